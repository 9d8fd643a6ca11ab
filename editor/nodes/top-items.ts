// top items: the limit (the item type and time range are plain selects); At shows only when the node repeats;
// under More options, the offset.
import { attachAccountLine } from '../account-line';
import { NUMBER, typedField } from '../typed-fields';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', NUMBER);
  typedField('offset', NUMBER);
  moreOptions(['offset']);
  const $repeat = $('#node-input-repeat');
  const showAt = (): void => {
    $('#tunewire-top-items-at-row').toggle($repeat.val() !== 'none');
  };
  $repeat.on('change', showAt);
  showAt();
}
