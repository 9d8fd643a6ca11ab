// playlist tracks: the playlist (picked among the user's), the limit, the market.
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
    writable: false,
    nameField: '#node-input-playlistName',
  });
  typedField('limit', 'num', ['num', ...FROM_ELSEWHERE]);
  typedField('market', 'str', ['str', ...FROM_ELSEWHERE]);
}
