// play: what to play (tracks, an album or an artist from the catalog), where in it to start, the device.
import { attachAccountLine } from '../account-line';
import { deviceField, pickerField } from '../pickers';
import { FROM_ELSEWHERE, NUMBER, ITEMS, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pickerField('play', {
    types: ITEMS,
    kind: 'item',
    searchType: () => 'track,album,artist',
    keepUri: true,
  });
  typedField('offset', ['num', 'str', ...FROM_ELSEWHERE]);
  typedField('positionMs', NUMBER);
  deviceField();
}
