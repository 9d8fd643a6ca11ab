// playback state: the account, and under More options the market (what to read is a plain select).
import { attachAccountLine } from '../account-line';
import { TEXT, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('market', TEXT);
  moreOptions(['market']);
}
