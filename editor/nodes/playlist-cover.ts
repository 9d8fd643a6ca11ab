// playlist cover: get or upload, the playlist (picked among the ones the user may change), the image.
import { attachAccountLine } from '../account-line';
import { attach } from '../pickers';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  attach({
    input: '#node-input-playlist',
    typeField: '#node-input-playlistType',
    default: 'msg',
    types: [...FROM_ELSEWHERE, 'str'],
    kind: 'playlist',
    writable: true,
    nameField: '#node-input-playlistName',
  });
  typedField('image', 'msg', ['msg', 'flow', 'global']);
  // The image only matters when uploading.
  $('#node-input-action')
    .on('change', function () {
      $('#tunewire-playlist-cover-row-image').toggle($(this).val() === 'upload');
    })
    .trigger('change');
}
