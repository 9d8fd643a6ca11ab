// The button on a node that only reads (as core's inject has one): it runs the deployed node once with an empty
// message, so a first flow needs no inject node, and shows the Debug sidebar when a debug node is wired to it.
// Greyed while the node has changes not yet deployed: the runtime would run the deployed version.
import { AdminError, postJson } from './admin-api';
import { accountText, routeText } from './i18n';

/** The registerType `button.enabled`. */
export function enabled(node: NodeRedEditor.EditorNode): boolean {
  return !node.changed;
}

/** The registerType `button.onclick`. */
export function onclick(node: NodeRedEditor.EditorNode): void {
  if (node.changed) {
    RED.notify(accountText('runOnce.notDeployed'), 'warning');
    return;
  }
  const label = RED.utils.sanitize(RED.utils.getNodeLabel(node, node.type));
  postJson<unknown>('tunewire/run/' + encodeURIComponent(node.id), {}).then(
    () => {
      RED.notify(accountText('runOnce.done', { label }), { type: 'success', timeout: 2000 });
      // The result shows in the Debug sidebar when a debug node is wired to the node: show it there.
      const toDebug = RED.nodes.filterLinks({ source: node }).some((l) => l.target?.type === 'debug');
      if (toDebug) RED.sidebar.show('debug');
    },
    (err: unknown) => {
      const error = err instanceof AdminError ? routeText(err.words) || err.error || err.statusText : '';
      RED.notify(accountText('runOnce.failed', { label, error: RED.utils.sanitize(error) }), 'error');
    },
  );
}
