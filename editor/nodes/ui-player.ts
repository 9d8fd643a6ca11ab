// now playing card (Dashboard 2): how often to poll, and the card's size in its group. Without Dashboard 2 the
// card has nowhere to show: the dialog says which package (and version) it needs.
import { attachAccountLine } from '../account-line';
import { pollIntervalField } from '../poll-interval';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  const hasDashboard = !!RED.nodes.getType('ui-group');
  $('#spotify-ui-player-needs-dashboard').toggle(!hasDashboard);
  attachAccountLine(node);
  pollIntervalField('pollEvery');
  const $size = $('#node-input-size');
  // Dashboard 2's own size picker; hidden in a subflow template, as Dashboard 2's widgets hide it there.
  if (hasDashboard && $size.elementSizer && !RED.nodes.subflow(node.z)) {
    $size.elementSizer({ width: '#node-input-width', height: '#node-input-height', group: '#node-input-group' });
  } else {
    $('#spotify-ui-player-size-row').hide();
  }
}
