// create playlist: its name, description and flags, each a literal or from the message.
import { attachAccountLine } from '../account-line';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('playlistName', 'msg', [...FROM_ELSEWHERE, 'str']);
  typedField('description', 'msg', [...FROM_ELSEWHERE, 'str']);
  typedField('public', 'msg', [...FROM_ELSEWHERE, 'bool']);
  typedField('collaborative', 'msg', [...FROM_ELSEWHERE, 'bool']);
}
