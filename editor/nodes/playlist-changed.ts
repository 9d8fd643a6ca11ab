// playlist changed: how often to poll, and which playlists to watch (picked among the user's).
import { attachAccountLine } from '../account-line';
import { attach } from '../pickers';
import { pollIntervalField } from '../poll-interval';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pollIntervalField();
  attach({
    input: '#node-input-playlists',
    typeField: '#node-input-playlistsType',
    default: 'str',
    types: ['str', 'json', 'flow', 'global', 'env'],
    kind: 'playlist',
    writable: false,
    nameField: '#node-input-playlistsName',
  });
}
