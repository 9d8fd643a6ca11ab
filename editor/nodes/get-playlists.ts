// get playlists: how many at most.
import { attachAccountLine } from '../account-line';
import { NUMBER, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', NUMBER);
}
