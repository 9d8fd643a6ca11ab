// update playlist: the playlist (picked among the ones the user may change), its new name, description and flags.
import { attachAccountLine } from '../account-line';
import { attach } from '../pickers';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  attach({
    input: '#node-input-playlist',
    typeField: '#node-input-playlistType',
    default: 'msg',
    types: [...FROM_ELSEWHERE, 'str'],
    kind: 'playlist',
    writable: true,
    nameField: '#node-input-playlistName',
  });
  typedField('newName', 'msg', [...FROM_ELSEWHERE, 'str']);
  typedField('description', 'msg', [...FROM_ELSEWHERE, 'str']);
  typedField('public', 'msg', [...FROM_ELSEWHERE, 'bool']);
  typedField('collaborative', 'msg', [...FROM_ELSEWHERE, 'bool']);
}
