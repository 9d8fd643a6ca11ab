// The button on a reading node (as core's inject has one): the editor POSTs here and the deployed node gets
// one empty message, so "get playlists → debug" runs with no inject node dragged and wired. Only node types
// that read (readOnlyNodeTypes) are run; anything else, or a node not deployed, is a 404 with a message. Each
// press writes an audit event naming the editor user (audit.ts).
import type { NodeAPI } from 'node-red';
import type { Request, Response } from 'express';
import { readOnlyNodeTypes } from '../spotify/node-scopes';
import { ROUTE_PREFIX, sameOriginOnly } from './admin-routes';
import { audited } from './audit';
import { routeWords } from './route-words';

export const RUN_ONCE_PATH = `${ROUTE_PREFIX}/run`;

export function registerRunOnceRoute(RED: NodeAPI): void {
  const runnable = new Set(readOnlyNodeTypes());
  // Running a node is a change to what the flows do, as core's inject button is: write permission.
  const canRun = [sameOriginOnly, RED.auth.needsPermission('spotify-account.write')];
  RED.httpAdmin.post(`${RUN_ONCE_PATH}/:id`, canRun, audited(RED, 'run'), (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const node = RED.nodes.getNode(String(req.params.id));
    if (!node || !runnable.has(node.type)) {
      const { text, words } = routeWords(node ? 'errors.runOnceNotReadOnly' : 'errors.runOnceNotDeployed');
      res.status(404).json({ ok: false, error: text, words });
      return;
    }
    node.receive({});
    res.json({ ok: true });
  });
}
