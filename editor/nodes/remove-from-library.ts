// remove from library: the items to remove.
import { attachAccountLine } from '../account-line';
import { ITEMS, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('items', ITEMS);
}
