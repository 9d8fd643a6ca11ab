// play: what to play (tracks, an album or an artist from the catalog), where in it to start, the device.
import { attachAccountLine } from '../account-line';
import { attach } from '../pickers';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  attach({
    input: '#node-input-play',
    typeField: '#node-input-playType',
    default: 'msg',
    types: [...FROM_ELSEWHERE, 'str', 'json'],
    kind: 'item',
    nameField: '#node-input-playName',
    searchType: () => 'track,album,artist',
    keepUri: true,
  });
  typedField('offset', 'num', ['num', 'str', ...FROM_ELSEWHERE]);
  typedField('positionMs', 'num', ['num', ...FROM_ELSEWHERE]);
  attach({
    input: '#node-input-device',
    typeField: '#node-input-deviceType',
    default: 'str',
    types: ['str', ...FROM_ELSEWHERE],
    kind: 'device',
    nameField: '#node-input-deviceName',
  });
}
