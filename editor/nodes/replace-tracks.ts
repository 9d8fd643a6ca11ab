// replace tracks: the playlist (picked among the ones the user may change) and its new tracks; under More
// options, the snapshot ID.
import { attachAccountLine } from '../account-line';
import { playlistField } from '../pickers';
import { ITEMS, TEXT, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  playlistField(node, { writable: true });
  typedField('tracks', ITEMS);
  typedField('snapshot', TEXT);
  moreOptions(['snapshot']);
}
