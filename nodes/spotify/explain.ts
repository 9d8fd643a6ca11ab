// Turns a Spotify error answer into a message that says what most likely went wrong and what to do.
import { STATUS_CODES } from 'node:http';
import { SpotifyApiError } from './errors';
import type { ForbiddenHint } from './operations';
import { isRemovedEndpoint } from './removed-endpoints';
import { say } from './words';

export interface ErrorContext {
  method: string;
  /** Path relative to the Web API base, no query. */
  path: string;
  status: number;
  body: unknown;
  /** What a 403 "Forbidden" most likely means for this operation, when the operation knows. */
  forbiddenHint?: ForbiddenHint;
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
  return say('spotify.answeredTo', { status: statusInWords(status), method, path });
}

export function explainError(ctx: ErrorContext): SpotifyApiError {
  const { message, reason } = spotifyErrorFields(ctx.body);
  // Spotify's own words, quoted as it sent them (the causes below test them, never the translated text).
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
  if (reason === 'NO_ACTIVE_DEVICE') return say('spotify.cause.noActiveDevice');
  if (reason === 'PREMIUM_REQUIRED') return say('spotify.cause.premiumRequired');
  switch (ctx.status) {
    case 400:
      return say('spotify.cause.rejected', { said });
    case 401:
      return say('spotify.cause.tokenRejected', { said });
    case 403:
      if (/scope/i.test(said)) {
        return ctx.scopes ? say('spotify.cause.scopeTick', { said, scopes: ctx.scopes }) : say('spotify.cause.scope', { said });
      }
      if (isRemovedEndpoint(ctx.method, ctx.path)) return say('spotify.cause.removed', { said });
      return say('spotify.cause.forbidden', { said, hint: say(`spotify.forbidden.${ctx.forbiddenHint ?? 'allowList'}`) });
    case 404:
      // The ID may come from a picker, a list node or a message, not from the user's typing: no "check the ID".
      return say('spotify.cause.notFound', { said });
    case 413:
      return say('spotify.cause.tooLarge', { said });
    default:
      if (ctx.status >= 500) return say('spotify.cause.failed', { said });
      return say('spotify.cause.other', { said });
  }
}
