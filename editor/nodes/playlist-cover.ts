// playlist cover: get or upload, the playlist (picked among the ones the user may change), the image.
import { attachAccountLine } from '../account-line';
import { playlistField } from '../pickers';
import { typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  playlistField(node, { writable: true });
  typedField('image', ['msg', 'flow', 'global']);
  // The image only matters when uploading.
  $('#node-input-action')
    .on('change', function () {
      $('#tunewire-playlist-cover-row-image').toggle($(this).val() === 'upload');
    })
    .trigger('change');
}
