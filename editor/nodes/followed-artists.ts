// followed artists: how many at most.
import { attachAccountLine } from '../account-line';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', 'num', ['num', ...FROM_ELSEWHERE]);
}
