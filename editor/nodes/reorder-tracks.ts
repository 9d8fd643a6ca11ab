// reorder tracks: the playlist (picked among the ones the user may change), the range to move, where to, the snapshot.
import { attachAccountLine } from '../account-line';
import { playlistField } from '../pickers';
import { NUMBER, TEXT, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  playlistField(node, { writable: true });
  typedField('rangeStart', NUMBER);
  typedField('rangeLength', NUMBER);
  typedField('insertBefore', NUMBER);
  typedField('snapshot', TEXT);
}
