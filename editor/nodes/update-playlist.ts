// update playlist: the playlist (picked among the ones the user may change), its new name, description and flags.
import { attachAccountLine } from '../account-line';
import { playlistField } from '../pickers';
import { MESSAGE_OR_TEXT, FLAG, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  playlistField(node, { writable: true });
  typedField('newName', MESSAGE_OR_TEXT);
  typedField('description', MESSAGE_OR_TEXT);
  typedField('public', FLAG);
  typedField('collaborative', FLAG);
}
