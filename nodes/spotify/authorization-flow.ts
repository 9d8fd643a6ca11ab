// The authorization code flow with PKCE, from "Authorize Access" to tokens in the store. The `state` is the
// only thing guarding the open callback, so it is random (256 bits), single-use, and expires.
import { resolveEndpoints, type SpotifyEndpoints } from './endpoints';
import { OAuthClient, OAuthError } from './oauth-client';
import { codeChallenge, newCodeVerifier, newState } from './pkce';
import { SpotifyHttpClient, DEFAULT_RETRY_POLICY } from './http-client';
import { Cooldown } from './rate-limit';
import { OPERATIONS } from './operations';
import type { StoredTokens, TokenStorage } from './token-store';
import { say } from './words';

export interface AuthorizationRequest {
  accountId: string;
  clientId: string;
  clientSecret?: string;
  storeKey: string;
  scopes: readonly string[];
  redirectUri: string;
  endpoints?: Partial<SpotifyEndpoints>;
}

interface Pending extends AuthorizationRequest {
  verifier: string;
  expiresAt: number;
}

export interface AuthorizationResult {
  accountId: string;
  displayName: string;
  userId: string;
  scopes: string[];
  /** The token file was damaged: it was kept under this name and a new one now holds this account. */
  damagedFileKeptAs?: string;
}

/** A failure the user can read; `accountId` is known once the state matched a started authorization. */
export class AuthorizationFlowError extends Error {
  constructor(
    message: string,
    readonly accountId?: string,
  ) {
    super(message);
    this.name = 'AuthorizationFlowError';
  }
}

export interface AuthorizationFlowsOptions {
  store: (accountId: string) => TokenStorage;
  /** Called after the tokens are stored, to let running nodes pick them up. */
  onAuthorized?: (result: AuthorizationResult) => void | Promise<void>;
  ttlMs?: number;
  maxPending?: number;
  now?: () => number;
}

export class AuthorizationFlows {
  private readonly pending = new Map<string, Pending>();
  private readonly ttlMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  constructor(private readonly opts: AuthorizationFlowsOptions) {
    this.ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.maxPending = opts.maxPending ?? 50;
    this.now = opts.now ?? Date.now;
  }

  start(req: AuthorizationRequest): { authorizeUrl: string; expiresAt: number } {
    this.prune();
    const state = newState();
    const verifier = newCodeVerifier();
    const expiresAt = this.now() + this.ttlMs;
    this.pending.set(state, { ...req, verifier, expiresAt });
    const authorizeUrl = this.oauthFor(req).authorizeUrl({
      redirectUri: req.redirectUri,
      scopes: req.scopes,
      state,
      codeChallenge: codeChallenge(verifier),
    });
    return { authorizeUrl, expiresAt };
  }

  /** Finishes the flow from the callback's query (or an address the user pasted). */
  async complete(query: { code?: unknown; state?: unknown; error?: unknown }): Promise<AuthorizationResult> {
    const state = typeof query.state === 'string' ? query.state : '';
    const pending = this.pending.get(state);
    if (!pending) {
      throw new AuthorizationFlowError(say('auth.flow.unknown'));
    }
    this.pending.delete(state); // single use, whatever happens next
    if (pending.expiresAt <= this.now()) {
      throw new AuthorizationFlowError(say('auth.flow.expired'), pending.accountId);
    }
    if (typeof query.error === 'string' && query.error !== '') {
      const message =
        query.error === 'access_denied' ? say('auth.flow.declined') : say('auth.flow.refused', { error: query.error.slice(0, 100) });
      throw new AuthorizationFlowError(message, pending.accountId);
    }
    if (typeof query.code !== 'string' || query.code === '') {
      throw new AuthorizationFlowError(say('auth.flow.noCode'), pending.accountId);
    }
    let tokens: StoredTokens;
    try {
      const answer = await this.oauthFor(pending).exchangeCode({
        code: query.code,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.verifier,
      });
      if (!answer.refresh_token) throw new OAuthError('bad_answer', say('auth.flow.noRefreshToken'));
      const profile = await this.profile(pending, answer.access_token);
      const now = this.now();
      tokens = {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token,
        expiresAt: now + answer.expires_in * 1000,
        scope: (answer.scope ?? pending.scopes.join(' ')).split(/\s+/).filter(Boolean),
        clientId: pending.clientId,
        userId: profile.id,
        displayName: profile.display_name || profile.id,
        authorizedAt: now,
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new AuthorizationFlowError(say('auth.flow.failed', { message }), pending.accountId);
    }
    let keptAs: string | undefined;
    try {
      // Authorize Access is the repair of a damaged token file: the consent just given must not be thrown away.
      keptAs = await this.opts.store(pending.accountId).set(pending.accountId, pending.storeKey, tokens, { repair: true });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new AuthorizationFlowError(say('auth.flow.notSaved', { message }), pending.accountId);
    }
    const result: AuthorizationResult = {
      accountId: pending.accountId,
      displayName: tokens.displayName ?? '',
      userId: tokens.userId ?? '',
      scopes: tokens.scope,
    };
    if (keptAs !== undefined) result.damagedFileKeptAs = keptAs;
    await this.opts.onAuthorized?.(result);
    return result;
  }

  private async profile(p: Pending, accessToken: string): Promise<{ id: string; display_name?: string }> {
    // A one-off client holding just the new token: no refresh, and its own cooldown.
    const endpoints = resolveEndpoints(p.endpoints);
    const http = new SpotifyHttpClient(
      endpoints.apiUrl,
      {
        getAccessToken: () => Promise.resolve(accessToken),
        refreshAfterRejected: () => Promise.resolve({ accessToken, requestedAfter: true }),
        grantedScopes: () => undefined,
      },
      new Cooldown(),
      { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 5000 },
      undefined,
      endpoints.proxy,
    );
    const res = await http.request<{ id?: unknown; display_name?: unknown }>({ method: OPERATIONS.me.method, path: OPERATIONS.me.path });
    const id = typeof res.body?.id === 'string' ? res.body.id : '';
    const name = typeof res.body?.display_name === 'string' ? res.body.display_name : undefined;
    return { id, display_name: name };
  }

  private oauthFor(req: AuthorizationRequest): OAuthClient {
    return new OAuthClient({
      clientId: req.clientId,
      clientSecret: req.clientSecret,
      accountsUrl: resolveEndpoints(req.endpoints).accountsUrl,
      proxy: req.endpoints?.proxy,
    });
  }

  private prune(): void {
    const now = this.now();
    for (const [state, p] of this.pending) if (p.expiresAt <= now) this.pending.delete(state);
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
  }
}
