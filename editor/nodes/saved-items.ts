// saved items: the limit and the market; under More options, the offset.
import { attachAccountLine } from '../account-line';
import { NUMBER, TEXT, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', NUMBER);
  typedField('market', TEXT);
  typedField('offset', NUMBER);
  moreOptions(['offset']);
}
