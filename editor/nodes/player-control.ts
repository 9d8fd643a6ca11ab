// player control: the command, the value some commands take (with a hint that says which), the device.
import { attachAccountLine } from '../account-line';
import { deviceField } from '../pickers';
import { FROM_ELSEWHERE, typedField } from '../typed-fields';

/** The commands that take a value (seek position, volume, shuffle on/off, repeat mode, the device to move to). */
const NEEDS_VALUE = ['seek', 'volume', 'shuffle', 'repeat', 'transfer'];

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  typedField('value', [...FROM_ELSEWHERE, 'num', 'str', 'bool']);
  deviceField(node);
  const update = (): void => {
    const command = String($('#node-input-command').val() ?? '');
    $('.tunewire-player-control-value').toggle(NEEDS_VALUE.includes(command));
    $('.tunewire-player-control-play').toggle(command === 'transfer');
    $('#tunewire-player-control-value-hint').text(node._('spotify-player-control.hint.' + command));
    // Rows shown or hidden change the dialog's width: the typed input must be told.
    $('#node-input-device').typedInput('width', '70%');
  };
  $('#node-input-command').on('change', update);
  update();
}
