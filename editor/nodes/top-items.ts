// top items: the limit (the item type and time range are plain selects); At shows only when the node repeats.
import { attachAccountLine } from '../account-line';
import { NUMBER, typedField } from '../typed-fields';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('limit', NUMBER);
  const $repeat = $('#node-input-repeat');
  const showAt = (): void => {
    $('#tunewire-top-items-at-row').toggle($repeat.val() !== 'none');
  };
  $repeat.on('change', showAt);
  showAt();
}
