// playlist tracks: the playlist (picked among the user's), the limit, the market; under More options, the offset
// and the entry fields.
import { attachAccountLine } from '../account-line';
import { playlistField } from '../pickers';
import { NUMBER, TEXT, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  playlistField(node, { writable: false });
  typedField('limit', NUMBER);
  typedField('market', TEXT);
  typedField('offset', NUMBER);
  typedField('fields', TEXT);
  moreOptions(['offset', 'fields']);
}
