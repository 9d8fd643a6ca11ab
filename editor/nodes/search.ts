// search: the query, the market, the limit, and the item types to search (checkboxes, stored as a list); under
// More options, the offset and externally hosted audio.
import { attachAccountLine } from '../account-line';
import { NUMBER, TEXT, MESSAGE_OR_TEXT, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('query', MESSAGE_OR_TEXT);
  typedField('market', TEXT);
  typedField('limit', NUMBER);
  // Stored as a list (older flows: a comma-separated string, which the migration splits).
  const selected = Array.isArray(node.types) ? node.types.map(String) : typeof node.types === 'string' ? node.types.split(',') : [];
  $('.tunewire-search-type').each(function () {
    $(this).prop('checked', selected.includes(String($(this).val())));
  });
  typedField('offset', NUMBER);
  moreOptions(['offset', 'external']);
}

export function oneditsave(node: NodeRedEditor.EditorNode): void {
  node.types = $('.tunewire-search-type:checked')
    .map((_i, el) => String($(el).val()))
    .get();
}
