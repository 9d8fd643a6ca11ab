// add to queue: the items (picked from the catalog or from the message) and the device.
import { attachAccountLine } from '../account-line';
import { deviceField, pickerField } from '../pickers';
import { ITEMS } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pickerField(node, 'items', {
    types: ITEMS,
    kind: 'item',
    searchType: () => 'track',
    keepUri: true,
  });
  deviceField(node);
}
