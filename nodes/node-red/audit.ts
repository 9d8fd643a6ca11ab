// Audit events for the pack's admin actions, written the way Node-RED core's admin API writes its own
// (`flows.set`, `credentials.get`): RED.log.audit with the request, so that the log names the editor user, the
// path and the address. They show where a log handler has `audit: true` (settings.js → logging). What the pack
// adds is the event's name, the account or node concerned and the HTTP status of the answer: never a body, so
// never a secret (client secret, store key, an authorization code in a pasted address).
import type { NodeAPI } from 'node-red';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MAX_ACCOUNT_ID_CHARS } from '../spotify/token-store';

export type AuditEvent =
  'authorize.start' | 'authorize.complete' | 'token.clear' | 'run' | 'pick.playlists' | 'pick.devices' | 'pick.search';

export interface AuditDetails {
  /** The account (config node) id concerned. */
  account?: string;
  /** The node id concerned (run once). */
  node?: string;
  /** The HTTP status answered. */
  status?: number;
  /** The caller went away before the answer was sent: the action may still have happened. */
  aborted?: boolean;
}

/** Writes one audit event `tunewire.<event>`; `req` (absent for no request) names the user as core does. */
export function audit(RED: NodeAPI, event: AuditEvent, details: AuditDetails, req?: Request): void {
  const entry = { level: RED.log.AUDIT, event: `tunewire.${event}`, ...details };
  RED.log.audit(entry, req);
}

/**
 * A route step that writes `event` once the answer is sent, with its status and the account id of the JSON body
 * (or the node id of the path), or as soon as the caller goes away. Placed after the permission check: a refused
 * token is core's own audit event.
 */
export function audited(RED: NodeAPI, event: AuditEvent): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    let written = false;
    const write = (outcome: AuditDetails): void => {
      if (written) return;
      written = true;
      audit(RED, event, { ...subjectOf(req), ...outcome }, req);
    };
    res.once('finish', () => write({ status: res.statusCode }));
    res.once('close', () => write({ aborted: true })); // after 'finish' when the answer was sent
    next();
  };
}

function subjectOf(req: Request): AuditDetails {
  const body: unknown = req.body;
  const account = body && typeof body === 'object' ? (body as Record<string, unknown>).accountId : undefined;
  const node: unknown = req.params?.id;
  return {
    account: typeof account === 'string' ? account.slice(0, MAX_ACCOUNT_ID_CHARS) : undefined,
    node: typeof node === 'string' ? node.slice(0, MAX_ACCOUNT_ID_CHARS) : undefined,
  };
}
