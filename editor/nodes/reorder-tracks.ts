// reorder tracks: the playlist (picked among the ones the user may change), the range to move, where to, the snapshot.
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
  typedField('rangeStart', 'num', ['num', ...FROM_ELSEWHERE]);
  typedField('rangeLength', 'num', ['num', ...FROM_ELSEWHERE]);
  typedField('insertBefore', 'num', ['num', ...FROM_ELSEWHERE]);
  typedField('snapshot', 'str', ['str', ...FROM_ELSEWHERE]);
}
