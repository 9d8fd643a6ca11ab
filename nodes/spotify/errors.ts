// Errors the pack raises. Each carries what a Node-RED user needs to act on it; none carries a secret.
import { clip } from './text';
import { say } from './words';

/** Bad input from a message or a node's settings: names the field and what was expected. */
export class InputError extends Error {
  readonly field: string;
  constructor(field: string, expected: string, got?: unknown) {
    super(
      got === undefined ? say('input.expected', { field, expected }) : say('input.expectedGot', { field, expected, got: describe(got) }),
    );
    this.name = 'InputError';
    this.field = field;
  }
}

/** An error answer (or no answer) from Spotify's Web API, with the most likely cause spelled out. */
export class SpotifyApiError extends Error {
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly spotifyMessage: string | undefined;
  readonly method: string;
  readonly path: string;
  /** When the account may call Spotify again (429 beyond the wait cap), as epoch ms. */
  readonly retryAt: number | undefined;
  /** A write whose answer was lost (reset, timeout, 5xx): Spotify may or may not have applied it. */
  readonly maybeApplied: boolean;
  constructor(init: {
    message: string;
    method: string;
    path: string;
    status?: number;
    reason?: string;
    spotifyMessage?: string;
    retryAt?: number;
    maybeApplied?: boolean;
  }) {
    super(init.message);
    this.name = 'SpotifyApiError';
    this.status = init.status;
    this.reason = init.reason;
    this.spotifyMessage = init.spotifyMessage;
    this.method = init.method;
    this.path = init.path;
    this.retryAt = init.retryAt;
    this.maybeApplied = init.maybeApplied ?? false;
  }
}

/** The account has no usable authorization: never authorized, cleared, or the refresh token was rejected. */
export class AuthorizationError extends Error {
  readonly code: 'not_authorized' | 'authorize_again' | 'token_endpoint' | 'missing_scope';
  /** With missing_scope: the unmet entries of the request's requirement (each: any one of these scopes). */
  readonly missing: readonly (readonly string[])[];
  constructor(code: AuthorizationError['code'], message: string, missing: readonly (readonly string[])[] = []) {
    super(message);
    this.name = 'AuthorizationError';
    this.code = code;
    this.missing = missing;
  }
}

function describe(value: unknown): string {
  if (value === null) return say('input.got.null');
  if (Array.isArray(value)) return say('input.got.array', { count: value.length });
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return say('input.got.text', { text: JSON.stringify(shown) });
    }
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'symbol':
    case 'undefined':
    case 'function':
      // The type's name stays as JavaScript spells it, in every language.
      return say('input.got.value', { kind: typeof value, value: String(value) });
  }
  return say('input.got.object');
}

/** An error's message, short, without a stack (also for errors from another realm, e.g. a function node's). */
export function reason(err: unknown): string {
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  const text = typeof message === 'string' ? message : String(err);
  return clip(text, 120);
}
