// item contents: the album or artist (searched in the catalog for the chosen kind), the market, the limit.
import { attachAccountLine } from '../account-line';
import { attach } from '../pickers';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

/** The containers the catalog search can find; the others are picked by pasting a link or URI. */
const SEARCHABLE = ['album', 'artist'];

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  attach({
    input: '#node-input-item',
    typeField: '#node-input-itemType',
    default: 'msg',
    types: [...FROM_ELSEWHERE, 'str'],
    kind: 'item',
    nameField: '#node-input-itemName',
    searchType: () => {
      const t = String($('#node-input-containerType').val() ?? '');
      return SEARCHABLE.includes(t) ? t : null;
    },
  });
  typedField('market', 'str', ['str', ...FROM_ELSEWHERE]);
  typedField('limit', 'num', ['num', ...FROM_ELSEWHERE]);
}
