// get item: the items (searched in the catalog for the chosen type) and the market.
import { attachAccountLine } from '../account-line';
import { pickerField } from '../pickers';
import { TEXT, ITEMS, typedField } from '../typed-fields';

/** The item types the catalog search can find; the others are picked by pasting a link or URI. */
const SEARCHABLE = ['track', 'album', 'artist'];

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pickerField(node, 'items', {
    types: ITEMS,
    kind: 'item',
    searchType: () => {
      const t = String($('#node-input-itemType').val() ?? '');
      return SEARCHABLE.includes(t) ? t : null;
    },
  });
  typedField('market', TEXT);
}
