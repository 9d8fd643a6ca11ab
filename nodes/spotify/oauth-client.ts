// Talks to Spotify's accounts service through simple-oauth2: the authorize URL, the code exchange and the
// refresh. Supports both client kinds Spotify has: with a secret (HTTP Basic) and PKCE-only (client_id in body).
import { globalAgent as httpGlobal, type Agent as HttpAgent } from 'node:http';
import { globalAgent as httpsGlobal, type Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';
import type { AuthorizationCode, ModuleOptions } from 'simple-oauth2';
import { locationHost } from './api-links';
import { proxyAgents, type ProxyConfig } from './proxy';
import { silenceOAuthDebug } from './oauth-debug';
import { say } from './words';

export interface OAuthApp {
  clientId: string;
  /** Empty or absent: a public client that relies on PKCE alone. */
  clientSecret?: string;
  accountsUrl: string;
  timeoutMs?: number;
  proxy?: ProxyConfig;
}

/** The token endpoint's answer, as Spotify sends it. */
export interface TokenAnswer {
  access_token: string;
  token_type: string;
  scope?: string;
  expires_in: number;
  refresh_token?: string;
}

/** The largest token answer read (Spotify's is under a kilobyte). */
export const MAX_TOKEN_ANSWER_BYTES = 64 * 1024;
/** The longest access or refresh token taken: Spotify's are a few hundred characters, and each goes into the
 *  store and (the access token) into every request's Authorization header. */
export const MAX_TOKEN_CHARS = 4096;
/** The longest access-token lifetime taken, in seconds (Spotify's is 3600): a longer one (up to 1e308) would keep
 *  a dead token for ever, and one past what a date can hold is no time at all. A token that dies sooner meets a
 *  401 and is refreshed then; a shorter lifetime is taken as it is (refreshed ahead, before each use). */
export const MAX_EXPIRES_IN = 86_400;

/** The token endpoint answered with a redirect: refused before anything (code, verifier, secret) goes there. */
class TokenRedirect extends Error {
  constructor(
    readonly status: number,
    readonly host: string,
  ) {
    super(`redirect ${status} to ${host}`);
  }
}

/** A failed token request: `code` is the RFC 6749 error code, or 'unreachable' / 'server_error' / 'bad_answer' /
 *  'redirect'. */
export class OAuthError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  /** A bad answer that still carried a usable new refresh token: Spotify retired the old one when it sent it,
   *  so the caller must keep this one. Not enumerable: an error that is logged or copied never shows it. */
  declare readonly refreshToken: string | undefined;
  constructor(code: string, message: string, status?: number, refreshToken?: string) {
    super(message);
    this.name = 'OAuthError';
    this.code = code;
    this.status = status;
    Object.defineProperty(this, 'refreshToken', { value: refreshToken, enumerable: false });
  }
  /** Spotify will never accept this grant again: the user must authorize again. */
  get isFinal(): boolean {
    return this.code === 'invalid_grant';
  }
}

// simple-oauth2 (with Joi) takes a tenth of a second to load: it is loaded when the first token request or
// authorize URL needs it, not while Node-RED starts.
const load = createRequire(__filename);
type SimpleOAuth2 = { AuthorizationCode: new (options: ModuleOptions) => AuthorizationCode };

export class OAuthClient {
  private client: AuthorizationCode | undefined;
  private readonly options: ModuleOptions;
  private readonly timeoutMs: number;

  constructor(app: OAuthApp) {
    const base = new URL(app.accountsUrl.endsWith('/') ? app.accountsUrl : `${app.accountsUrl}/`);
    const prefix = base.pathname.replace(/\/$/, '');
    const secret = app.clientSecret ?? '';
    const publicClient = secret === '';
    const options: ModuleOptions = {
      client: publicClient
        ? // simple-oauth2 always adds a secret parameter in body mode; naming it client_id with the id as its
          // value makes a public client send exactly `client_id=<id>` and no empty client_secret.
          { id: app.clientId, secret: app.clientId, secretParamName: 'client_id' }
        : { id: app.clientId, secret },
      auth: {
        tokenHost: base.origin,
        tokenPath: `${prefix}/api/token`,
        authorizeHost: base.origin,
        authorizePath: `${prefix}/authorize`,
      },
      options: { authorizationMethod: publicClient ? 'body' : 'header' },
      // Wreck would otherwise hand a redirect's own answer back as if it were the token answer; allowing one
      // redirect only brings it to beforeRedirect, which refuses it, so nothing is ever sent to its target.
      http: {
        maxBytes: MAX_TOKEN_ANSWER_BYTES,
        redirects: 1,
        beforeRedirect: (_method: string, status: number, location: string, _h: unknown, _o: unknown, next: (err?: Error) => void) =>
          next(new TokenRedirect(status, locationHost(location, base.href))),
        ...proxied(base, app.proxy),
      },
    };
    this.options = options;
    this.timeoutMs = app.timeoutMs ?? 15000;
  }

  private get oauth(): AuthorizationCode {
    this.client ??= new (load('simple-oauth2') as SimpleOAuth2).AuthorizationCode(this.options);
    return this.client;
  }

  authorizeUrl(p: { redirectUri: string; scopes: readonly string[]; state: string; codeChallenge: string }): string {
    return this.oauth.authorizeURL({
      redirect_uri: p.redirectUri,
      scope: p.scopes.join(' '),
      state: p.state,
      code_challenge_method: 'S256',
      code_challenge: p.codeChallenge,
    } as Parameters<AuthorizationCode['authorizeURL']>[0]);
  }

  async exchangeCode(p: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenAnswer> {
    return this.call(async () => {
      const token = await this.oauth.getToken(
        { code: p.code, redirect_uri: p.redirectUri, code_verifier: p.codeVerifier } as Parameters<AuthorizationCode['getToken']>[0],
        { timeout: this.timeoutMs },
      );
      return token.token;
    });
  }

  /** The answer may lack `refresh_token` (no rotation): the caller keeps the one it has. */
  async refresh(refreshToken: string): Promise<TokenAnswer> {
    return this.call(async () => {
      const current = this.oauth.createToken({ refresh_token: refreshToken, access_token: '' });
      const next = await current.refresh({}, { timeout: this.timeoutMs });
      return next.token;
    });
  }

  private async call(run: () => Promise<Record<string, unknown>>): Promise<TokenAnswer> {
    let raw: Record<string, unknown>;
    silenceOAuthDebug(); // its debug lines would carry the secret, the code, the verifier, the refresh token
    try {
      raw = await run();
    } catch (err) {
      throw toOAuthError(err);
    }
    return checkAnswer(raw);
  }
}

/** Why `value` cannot be a token (undefined when it can): a short string of visible ASCII, fit for a header. */
function tokenProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return say('oauth.token.none');
  if (value.length > MAX_TOKEN_CHARS) return say('oauth.token.tooLong', { chars: value.length, max: MAX_TOKEN_CHARS });
  if (!/^[\x21-\x7e]+$/.test(value)) return say('oauth.token.badCharacters');
  return undefined;
}

/**
 * What the pack takes from a token answer. A refresh token that is no token fails the answer; an access token
 * that is none fails it too, but a usable new refresh token in it goes with the error (Spotify has retired the
 * old one by then). The lifetime is bounded, the scope list dropped when it is not a sane string.
 */
function checkAnswer(raw: Record<string, unknown>): TokenAnswer {
  const { access_token, token_type, scope, expires_in, refresh_token } = raw;
  const refreshProblem = refresh_token === undefined || refresh_token === null ? undefined : tokenProblem(refresh_token);
  if (refreshProblem) throw new OAuthError('bad_answer', say('oauth.badRefreshToken', { problem: refreshProblem }));
  const rotated = typeof refresh_token === 'string' ? refresh_token : undefined;
  const accessProblem = tokenProblem(access_token);
  if (accessProblem || typeof access_token !== 'string') {
    const problem = accessProblem ?? say('oauth.token.none');
    throw new OAuthError(
      'bad_answer',
      rotated ? say('oauth.badAccessTokenKept', { problem }) : say('oauth.badAccessToken', { problem }),
      undefined,
      rotated,
    );
  }
  const lifetime = typeof expires_in === 'number' && Number.isFinite(expires_in) && expires_in > 0 ? expires_in : 3600;
  return {
    access_token,
    token_type: typeof token_type === 'string' ? token_type : 'Bearer',
    scope: typeof scope === 'string' && scope.length <= MAX_TOKEN_CHARS ? scope : undefined,
    expires_in: Math.min(MAX_EXPIRES_IN, lifetime),
    refresh_token: rotated,
  };
}

interface WreckLikeError {
  code?: string;
  message?: string;
  output?: { statusCode?: number };
  data?: { payload?: unknown; isResponseError?: boolean; res?: { headers?: Record<string, string | string[] | undefined> } };
}

// Maps simple-oauth2/Wreck failures to a message a user can act on. The request itself (with the code,
// verifier or refresh token) is never part of the message.
function toOAuthError(err: unknown): OAuthError {
  // Wreck hands beforeRedirect's error back boomified: the same object, its message prefixed.
  if (err instanceof TokenRedirect) {
    return new OAuthError('redirect', say('oauth.redirect', { status: err.status, host: err.host }), err.status);
  }
  const e = (err ?? {}) as WreckLikeError;
  const status = e.data?.isResponseError ? e.output?.statusCode : undefined;
  if (status === undefined) {
    // Past maxBytes Wreck destroys the answer, and on Node 20 reports that as a stream closed early unless the
    // whole answer had arrived: the announced length tells the two apart where there is one.
    const announced = Number(e.data?.res?.headers?.['content-length']);
    const bound = `${MAX_TOKEN_ANSWER_BYTES / 1024} KiB`;
    if (e.output?.statusCode === 413 || announced > MAX_TOKEN_ANSWER_BYTES) {
      return new OAuthError('bad_answer', say('oauth.tooLarge', { bound }));
    }
    if (e.message?.includes('Payload stream closed prematurely')) {
      return new OAuthError('bad_answer', say('oauth.brokeOff', { bound }));
    }
  }
  const payload = parsePayload(e.data?.payload);
  if (status !== undefined) {
    const code = typeof payload.error === 'string' ? payload.error : status >= 500 ? 'server_error' : 'invalid_request';
    const description = typeof payload.error_description === 'string' ? payload.error_description : '';
    return new OAuthError(code, describeOAuthFailure(code, description, status), status);
  }
  const netCode = e.code ?? '';
  return new OAuthError(
    'unreachable',
    netCode || e.message ? say('oauth.unreachableWhy', { why: netCode || (e.message ?? '').slice(0, 80) }) : say('oauth.unreachable'),
  );
}

function parsePayload(payload: unknown): Record<string, unknown> {
  if (payload && typeof payload === 'object' && !Buffer.isBuffer(payload)) return payload as Record<string, unknown>;
  const text = Buffer.isBuffer(payload) ? payload.toString('utf8') : typeof payload === 'string' ? payload : '';
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function describeOAuthFailure(code: string, description: string, status: number): string {
  // Spotify's description is quoted as it sent it.
  const said = description ? ` (${description})` : '';
  switch (code) {
    case 'invalid_client':
      return say('oauth.invalidClient', { said });
    case 'invalid_grant':
      return say('oauth.invalidGrant', { said });
    case 'server_error':
      return say('oauth.serverError', { status, said });
    default:
      return description ? say('oauth.refusedSaid', { code, description }) : say('oauth.refused', { code });
  }
}

/** Wreck's agents when token requests go through a proxy (it takes all three or none). */
function proxied(
  accounts: URL,
  proxy: ProxyConfig | undefined,
): { agents?: { http: HttpAgent; https: HttpsAgent; httpsAllowUnauthorized: HttpsAgent } } {
  const agents = proxyAgents(accounts, proxy);
  if (!agents) return {};
  return {
    agents: { http: agents.http ?? httpGlobal, https: agents.https ?? httpsGlobal, httpsAllowUnauthorized: agents.https ?? httpsGlobal },
  };
}
