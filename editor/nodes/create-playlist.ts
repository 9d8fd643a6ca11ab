// create playlist: its name, description and flags, each a literal or from the message.
import { attachAccountLine } from '../account-line';
import { MESSAGE_OR_TEXT, FLAG, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('playlistName', MESSAGE_OR_TEXT);
  typedField('description', MESSAGE_OR_TEXT);
  typedField('public', FLAG);
  typedField('collaborative', FLAG);
}
