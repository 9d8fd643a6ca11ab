// request: method, path, query and body of any Web API call; the body only for methods that send one, the
// limit only when following pages.
import { attachAccountLine } from '../account-line';
import { FROM_ELSEWHERE, NUMBER, TEXT, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('path', TEXT);
  typedField('query', ['json', ...FROM_ELSEWHERE]);
  typedField('body', ['json', ...FROM_ELSEWHERE]);
  typedField('limit', NUMBER);
  const update = (): void => {
    $('.tunewire-request-body').toggle($('#node-input-method').val() !== 'GET');
    $('.tunewire-request-limit').toggle($('#node-input-follow').prop('checked') === true);
  };
  $('#node-input-method').on('change', update);
  $('#node-input-follow').on('change', update);
  update();
}
