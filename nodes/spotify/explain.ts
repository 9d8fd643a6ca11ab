// Turns a Spotify error answer into a message that says what most likely went wrong and what to do.
import { SpotifyApiError } from './errors';
import { isRemovedEndpoint } from './removed-endpoints';

export interface ErrorContext {
  method: string;
  /** Path relative to the Web API base, no query. */
  path: string;
  status: number;
  body: unknown;
  /** What a 403 "Forbidden" most likely means for this operation, when the operation knows. */
  forbiddenHint?: string;
  scopes?: string;
}

export function spotifyErrorFields(body: unknown): { message?: string; reason?: string } {
  if (!body || typeof body !== 'object') return {};
  const err = (body as { error?: unknown }).error;
  if (err && typeof err === 'object') {
    const { message, reason } = err as { message?: unknown; reason?: unknown };
    return {
      message: typeof message === 'string' ? message : undefined,
      reason: typeof reason === 'string' ? reason : undefined,
    };
  }
  if (typeof err === 'string') return { message: err };
  return {};
}

export function explainError(ctx: ErrorContext): SpotifyApiError {
  const { message, reason } = spotifyErrorFields(ctx.body);
  const said = message ?? `HTTP ${ctx.status}`;
  const where = `${ctx.method} ${ctx.path}`;
  return new SpotifyApiError({
    message: `${likelyCause(ctx, said, reason)} [${where} → ${ctx.status}${reason ? ` ${reason}` : ''}]`,
    method: ctx.method,
    path: ctx.path,
    status: ctx.status,
    reason,
    spotifyMessage: message,
  });
}

function likelyCause(ctx: ErrorContext, said: string, reason: string | undefined): string {
  if (reason === 'NO_ACTIVE_DEVICE') return 'No active device: open Spotify on a device first, or name a device';
  if (reason === 'PREMIUM_REQUIRED') return 'Spotify Premium is required to control playback';
  switch (ctx.status) {
    case 400:
      return `Spotify rejected the request: ${said}`;
    case 401:
      return `Spotify rejected the access token even after a refresh (${said}): authorize again`;
    case 403:
      if (/scope/i.test(said)) {
        return `Spotify says the authorization lacks a scope (${said})${ctx.scopes ? `: tick ${ctx.scopes}` : ''} in the Spotify account node and authorize again`;
      }
      if (isRemovedEndpoint(ctx.method, ctx.path)) {
        return `Spotify removed this endpoint for development-mode apps (${said})`;
      }
      return `Spotify refused (${said}): ${ctx.forbiddenHint ?? "the user may not be on the app's allow-list (Spotify dashboard → User Management), or the item is not theirs to change"}`;
    case 404:
      return `Not found (${said}): check the ID`;
    case 413:
      return `Spotify refused the upload as too large (${said})`;
    default:
      if (ctx.status >= 500) return `Spotify failed (${said}); try again later`;
      return `Spotify answered ${ctx.status} (${said})`;
  }
}
