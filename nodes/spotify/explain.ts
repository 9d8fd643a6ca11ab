// Turns a Spotify error answer into a message that says what most likely went wrong and what to do.
import { STATUS_CODES } from 'node:http';
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

/** "404 Not Found": an HTTP status with its standard words. */
export function statusInWords(status: number): string {
  const words = STATUS_CODES[status];
  return words ? `${status} ${words}` : String(status);
}

/** The request an answer came to, in a sentence's words: " — Spotify answered 404 Not Found to GET /me/tracks". Only
 *  for a request that was sent; one refused before sending names no request. */
export function answeredTo(method: string, path: string, status: number): string {
  return ` — Spotify answered ${statusInWords(status)} to ${method} ${path}`;
}

export function explainError(ctx: ErrorContext): SpotifyApiError {
  const { message, reason } = spotifyErrorFields(ctx.body);
  const said = message ?? STATUS_CODES[ctx.status] ?? `HTTP ${ctx.status}`;
  return new SpotifyApiError({
    message: `${likelyCause(ctx, said, reason)}${answeredTo(ctx.method, ctx.path, ctx.status)}`,
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
      // The ID may come from a picker, a list node or a message, not from the user's typing: no "check the ID".
      return `Not found (${said}): it was deleted, or is not available to this account`;
    case 413:
      return `Spotify refused the upload as too large (${said})`;
    default:
      if (ctx.status >= 500) return `Spotify failed (${said}); try again later`;
      return `Spotify could not do this (${said})`;
  }
}
