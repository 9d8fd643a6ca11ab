// get playlists: how many at most; under More options, the offset.
import { attachAccountLine } from '../account-line';
import { NUMBER, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', NUMBER);
  typedField('offset', NUMBER);
  moreOptions(['offset']);
}
