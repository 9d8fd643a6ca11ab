// Talks to Spotify's accounts service through simple-oauth2: the authorize URL, the code exchange and the
// refresh. Supports both client kinds Spotify has: with a secret (HTTP Basic) and PKCE-only (client_id in body).
import { createRequire } from 'node:module';
import type { AuthorizationCode, ModuleOptions } from 'simple-oauth2';
import { locationHost } from './api-links';
import { silenceOAuthDebug } from './oauth-debug';

export interface OAuthApp {
  clientId: string;
  /** Empty or absent: a public client that relies on PKCE alone. */
  clientSecret?: string;
  accountsUrl: string;
  timeoutMs?: number;
}

/** The token endpoint's answer, as Spotify sends it. */
export interface TokenAnswer {
  access_token: string;
  token_type: string;
  scope?: string;
  expires_in: number;
  refresh_token?: string;
}

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
  constructor(code: string, message: string, status?: number) {
    super(message);
    this.name = 'OAuthError';
    this.code = code;
    this.status = status;
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
        redirects: 1,
        beforeRedirect: (_method: string, status: number, location: string, _h: unknown, _o: unknown, next: (err?: Error) => void) =>
          next(new TokenRedirect(status, locationHost(location, base.href))),
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

function checkAnswer(raw: Record<string, unknown>): TokenAnswer {
  const { access_token, token_type, scope, expires_in, refresh_token } = raw;
  if (typeof access_token !== 'string' || access_token === '') {
    throw new OAuthError('bad_answer', 'Spotify answered the token request without an access token');
  }
  return {
    access_token,
    token_type: typeof token_type === 'string' ? token_type : 'Bearer',
    scope: typeof scope === 'string' ? scope : undefined,
    expires_in: typeof expires_in === 'number' && expires_in > 0 ? expires_in : 3600,
    refresh_token: typeof refresh_token === 'string' && refresh_token !== '' ? refresh_token : undefined,
  };
}

interface WreckLikeError {
  code?: string;
  message?: string;
  output?: { statusCode?: number };
  data?: { payload?: unknown; isResponseError?: boolean };
}

// Maps simple-oauth2/Wreck failures to a message a user can act on. The request itself (with the code,
// verifier or refresh token) is never part of the message.
function toOAuthError(err: unknown): OAuthError {
  // Wreck hands beforeRedirect's error back boomified: the same object, its message prefixed.
  if (err instanceof TokenRedirect) {
    return new OAuthError(
      'redirect',
      `Spotify's accounts service answered ${err.status} with a redirect to ${err.host}; redirects are not followed, so nothing was sent there`,
      err.status,
    );
  }
  const e = (err ?? {}) as WreckLikeError;
  const status = e.data?.isResponseError ? e.output?.statusCode : undefined;
  const payload = parsePayload(e.data?.payload);
  if (status !== undefined) {
    const code = typeof payload.error === 'string' ? payload.error : status >= 500 ? 'server_error' : 'invalid_request';
    const description = typeof payload.error_description === 'string' ? payload.error_description : '';
    return new OAuthError(code, describeOAuthFailure(code, description, status), status);
  }
  const netCode = e.code ?? '';
  return new OAuthError(
    'unreachable',
    `Could not reach Spotify's accounts service${netCode ? ` (${netCode})` : e.message ? ` (${e.message.slice(0, 80)})` : ''}`,
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
  const said = description ? ` (${description})` : '';
  switch (code) {
    case 'invalid_client':
      return `Spotify rejected the app's credentials${said}: check the Client ID and Client Secret (leave the secret empty only for a PKCE app)`;
    case 'invalid_grant':
      return `Spotify no longer accepts this authorization${said}: authorize again`;
    case 'server_error':
      return `Spotify's accounts service failed (HTTP ${status})${said}`;
    default:
      return `Spotify's accounts service refused the request: ${code}${said}`;
  }
}
