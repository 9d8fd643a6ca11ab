// add tracks: the playlist (picked among the ones the user may change), the tracks, the position.
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
  typedField('tracks', 'msg', [...FROM_ELSEWHERE, 'str', 'json']);
  typedField('position', 'num', ['num', ...FROM_ELSEWHERE]);
}
