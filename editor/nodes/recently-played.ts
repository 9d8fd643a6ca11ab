// recently played: the limit, and the time window (a number of milliseconds or a date text).
import { attachAccountLine } from '../account-line';
import { FROM_ELSEWHERE, NUMBER, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', NUMBER);
  typedField('after', ['num', ...FROM_ELSEWHERE, 'str']);
  typedField('before', ['num', ...FROM_ELSEWHERE, 'str']);
}
