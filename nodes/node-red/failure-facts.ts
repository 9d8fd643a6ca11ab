// What a Catch node's flow needs to know about a failure, put beside Node-RED's msg.error in msg.spotify: the
// requests made, Spotify's status and reason, when to try again, the authorization problem, and — for a write
// cut short — what was applied. Action and trigger nodes report failures the same way.
import type { NodeMessage } from 'node-red';
import { BatchError } from '../spotify/batching';
import { AuthorizationError, SpotifyApiError } from '../spotify/errors';
import type { RequestCounter } from '../spotify/http-client';

export function failureFacts(error: Error, counter: RequestCounter): Record<string, unknown> {
  const info: Record<string, unknown> = { requests: counter.requests };
  const cause = error instanceof BatchError ? error.cause : error;
  if (cause instanceof SpotifyApiError) {
    info.status = cause.status;
    info.reason = cause.reason;
    if (cause.retryAt) info.retryAt = new Date(cause.retryAt).toISOString();
  }
  if (cause instanceof AuthorizationError) info.authorization = cause.code;
  if (error instanceof BatchError) {
    info.applied = error.applied;
    info.notApplied = error.notApplied;
    info.uncertain = error.uncertain;
  }
  return info;
}

/** Adds the failure facts to what msg.spotify already holds. */
export function addFailureFacts(msg: NodeMessage, error: Error, counter: RequestCounter): void {
  const existing = msg.spotify && typeof msg.spotify === 'object' ? (msg.spotify as Record<string, unknown>) : {};
  msg.spotify = { ...existing, ...failureFacts(error, counter) };
}
