// get item: the items (searched in the catalog for the chosen type) and the market.
import { attachAccountLine } from '../account-line';
import { attach } from '../pickers';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

/** The item types the catalog search can find; the others are picked by pasting a link or URI. */
const SEARCHABLE = ['track', 'album', 'artist'];

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  attach({
    input: '#node-input-items',
    typeField: '#node-input-itemsType',
    default: 'msg',
    types: [...FROM_ELSEWHERE, 'str', 'json'],
    kind: 'item',
    nameField: '#node-input-itemsName',
    searchType: () => {
      const t = String($('#node-input-itemType').val() ?? '');
      return SEARCHABLE.includes(t) ? t : null;
    },
  });
  typedField('market', 'str', ['str', ...FROM_ELSEWHERE]);
}
