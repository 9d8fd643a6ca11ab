// add to queue: the items (picked from the catalog or from the message) and the device.
import { attachAccountLine } from '../account-line';
import { attach } from '../pickers';
import { FROM_ELSEWHERE } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  attach({
    input: '#node-input-items',
    typeField: '#node-input-itemsType',
    default: 'msg',
    types: [...FROM_ELSEWHERE, 'str', 'json'],
    kind: 'item',
    nameField: '#node-input-itemsName',
    searchType: () => 'track',
    keepUri: true,
  });
  attach({
    input: '#node-input-device',
    typeField: '#node-input-deviceType',
    default: 'str',
    types: ['str', ...FROM_ELSEWHERE],
    kind: 'device',
    nameField: '#node-input-deviceName',
  });
}
