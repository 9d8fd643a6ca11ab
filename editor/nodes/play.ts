// play: what to play (one of the user's playlists, or tracks, an album or an artist from the catalog), where in it to start, the device, the volume.
import { attachAccountLine } from '../account-line';
import { deviceField, pickerField } from '../pickers';
import { FROM_ELSEWHERE, NUMBER, ITEMS, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pickerField(node, 'play', {
    types: ITEMS,
    kind: 'item',
    searchType: () => 'track,album,artist',
    keepUri: true,
    ownPlaylists: true,
  });
  typedField('offset', ['num', 'str', ...FROM_ELSEWHERE]);
  typedField('positionMs', NUMBER);
  deviceField(node);
  typedField('volume', NUMBER);
}
