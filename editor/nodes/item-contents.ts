// item contents: the album or artist (searched in the catalog for the chosen kind), the market, the limit; under
// More options, the offset and an artist's album groups.
import { attachAccountLine } from '../account-line';
import { pickerField } from '../pickers';
import { NUMBER, TEXT, MESSAGE_OR_TEXT, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

/** The containers the catalog search can find; the others are picked by pasting a link or URI. */
const SEARCHABLE = ['album', 'artist'];

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pickerField(node, 'item', {
    types: MESSAGE_OR_TEXT,
    kind: 'item',
    searchType: () => {
      const t = String($('#node-input-containerType').val() ?? '');
      return SEARCHABLE.includes(t) ? t : null;
    },
  });
  typedField('market', TEXT);
  typedField('limit', NUMBER);
  typedField('offset', NUMBER);
  typedField('groups', TEXT);
  moreOptions(['offset', 'groups']);
}
