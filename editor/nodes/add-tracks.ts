// add tracks: the playlist (picked among the ones the user may change), the tracks, the position.
import { attachAccountLine } from '../account-line';
import { playlistField } from '../pickers';
import { NUMBER, ITEMS, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  playlistField(node, { writable: true });
  typedField('tracks', ITEMS);
  typedField('position', NUMBER);
}
