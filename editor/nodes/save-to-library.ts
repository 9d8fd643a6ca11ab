// save to library: the items to save.
import { attachAccountLine } from '../account-line';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('items', 'msg', [...FROM_ELSEWHERE, 'str', 'json']);
}
