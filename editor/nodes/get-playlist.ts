// get playlist: the playlist (picked among the user's), the fields to return, the market.
import { attachAccountLine } from '../account-line';
import { playlistField } from '../pickers';
import { TEXT, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  playlistField(node, { writable: false });
  typedField('fields', TEXT);
  typedField('market', TEXT);
}
