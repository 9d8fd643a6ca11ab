// playlist changed: how often to poll, and which playlists to watch (picked among the user's).
import { attachAccountLine } from '../account-line';
import { pickerField } from '../pickers';
import { pollIntervalField } from '../poll-interval';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pollIntervalField();
  pickerField(node, 'playlists', {
    types: ['str', 'json', 'flow', 'global', 'env'],
    kind: 'playlist',
    writable: false,
  });
}
