// save to library: the items to save.
import { attachAccountLine } from '../account-line';
import { ITEMS, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('items', ITEMS);
}
