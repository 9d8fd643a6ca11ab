// recently played: the limit, and the time window (a number of milliseconds or a date text).
import { attachAccountLine } from '../account-line';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', 'num', ['num', ...FROM_ELSEWHERE]);
  typedField('after', 'num', ['num', ...FROM_ELSEWHERE, 'str']);
  typedField('before', 'num', ['num', ...FROM_ELSEWHERE, 'str']);
}
