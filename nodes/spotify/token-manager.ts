// One account's tokens in use: loaded from the encrypted store, refreshed ahead of expiry and after a 401,
// one refresh at a time however many requests wait (single flight), and every new token persisted before use.
import { EventEmitter } from 'node:events';
import { AuthorizationError } from './errors';
import type { RenewedToken } from './http-client';
import type { OAuthClient, TokenAnswer } from './oauth-client';
import { OAuthError } from './oauth-client';
import { StoreUnavailableError } from './state-store';
import { storedState, type StoredTokens, type TokenStorage } from './token-store';
import type { AuthorizationState } from './authorization-state';
import { say } from './words';

export interface AuthorizationStatus {
  state: AuthorizationState;
  displayName?: string;
  userId?: string;
  scopes: string[];
  /** When the user consented (epoch ms): Spotify refuses the refresh token 6 months later. */
  authorizedAt?: number;
  /** store_unreadable because the state store (Redis, a context store) did not answer, not a damaged file. */
  storeUnavailable?: boolean;
}

export interface TokenManagerOptions {
  accountId: string;
  storeKey: string;
  store: TokenStorage;
  oauth: () => OAuthClient;
  /** Refresh this long before Spotify's expiry, so a request never starts with a token about to lapse. */
  refreshAheadMs?: number;
  now?: () => number;
}

/** What a request meets before any authorization: what to do about it. */
export function notAuthorizedMessage(): string {
  return say('auth.notAuthorized');
}

/** What a request meets when Spotify refused the saved refresh token. */
export function authorizeAgainMessage(): string {
  return say('auth.authorizeAgain');
}

export class TokenManager extends EventEmitter {
  private tokens: StoredTokens | undefined;
  private loadError: Error | undefined;
  private loading: Promise<void> | undefined;
  private refreshing: Promise<Refreshed> | undefined;
  private readonly refreshAheadMs: number;
  private readonly now: () => number;
  /** Counts token requests made, for the status shown to users and for tests of single flight; also tells a
   *  token requested after a 401 from one requested before it. */
  refreshCount = 0;

  constructor(private readonly opts: TokenManagerOptions) {
    super();
    // Every action node of the account listens for state changes: a flow may well have dozens.
    this.setMaxListeners(0);
    this.refreshAheadMs = opts.refreshAheadMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  status(): AuthorizationStatus {
    const t = this.tokens;
    if (!this.loading) return { state: 'unknown', scopes: [] };
    if (this.loadError) {
      const status: AuthorizationStatus = { state: 'store_unreadable', scopes: [] };
      if (this.loadError instanceof StoreUnavailableError) status.storeUnavailable = true;
      return status;
    }
    if (!t) return { state: 'not_authorized', scopes: [] };
    return {
      state: storedState(t),
      displayName: t.displayName,
      userId: t.userId,
      scopes: [...t.scope],
      authorizedAt: t.authorizedAt,
    };
  }

  async load(): Promise<AuthorizationStatus> {
    await this.ensureLoaded();
    return this.status();
  }

  /** Re-reads the store: the editor's authorization or Clear Token changed it from outside this object. */
  async reload(): Promise<AuthorizationStatus> {
    this.loading = this.readStore();
    try {
      await this.loading;
    } finally {
      this.emitState();
    }
    return this.status();
  }

  /**
   * Another process changed the stored tokens (authorized, cleared, refreshed). Its announcement may arrive
   * after this process refreshed again, so tokens of the same authorization that expire sooner than the ones
   * held are not taken.
   */
  async follow(): Promise<AuthorizationStatus> {
    if (!this.loading || this.loadError) return this.reload();
    await this.refreshing?.catch(() => undefined);
    const read = await this.opts.store.get(this.opts.accountId, this.opts.storeKey);
    // A rotation record read here belongs to a refresh under way in another process: one that died announces
    // nothing. Only a start or the refresh lock finds an interrupted one.
    const stored = read && withoutRotation(read);
    const held = this.tokens;
    const newer =
      !held ||
      !stored ||
      stored.authorizedAt !== held.authorizedAt ||
      stored.expiresAt >= held.expiresAt ||
      stored.needsReauthorization !== held.needsReauthorization;
    if (newer) this.tokens = stored;
    this.emitState();
    return this.status();
  }

  /** Forgets the tokens held in memory (the store entry is deleted by whoever cleared it). */
  forget(): void {
    this.tokens = undefined;
    this.loadError = undefined;
    this.loading = Promise.resolve();
    this.emitState();
  }

  /** Scopes granted at consent, once loaded; undefined before. */
  grantedScopes(): string[] | undefined {
    return this.tokens ? [...this.tokens.scope] : undefined;
  }

  async getAccessToken(): Promise<string> {
    await this.ensureLoaded();
    const t = this.usable();
    if (!t.rotationPending && t.expiresAt - this.refreshAheadMs > this.now()) return t.accessToken;
    return (await this.refresh()).tokens.accessToken;
  }

  /**
   * Spotify answered 401 to `rejected`. Refresh unless another request or process already did (then its new
   * token is tried): 100 requests that all get a 401 for the same token still cause one token request. Such a
   * token may have been issued before whatever lapsed `rejected` (Spotify expiring tokens early), so only a
   * token requested after this 401 is one whose rejection means "authorize again".
   */
  async refreshAfterRejected(rejected: string): Promise<RenewedToken> {
    const requestsBefore = this.refreshCount;
    await this.ensureLoaded();
    const t = this.usable();
    if (t.accessToken !== rejected) return { accessToken: t.accessToken, requestedAfter: false };
    const { tokens, request } = await this.refresh();
    return { accessToken: tokens.accessToken, requestedAfter: request > requestsBefore };
  }

  private usable(): StoredTokens {
    const t = this.tokens;
    if (!t) throw new AuthorizationError('not_authorized', notAuthorizedMessage());
    if (t.needsReauthorization) throw new AuthorizationError('authorize_again', authorizeAgainMessage());
    return t;
  }

  private refresh(): Promise<Refreshed> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private doRefresh(): Promise<Refreshed> {
    const before = this.usable();
    const exclusive = this.opts.store.exclusive;
    if (!exclusive) return this.refreshNow(before);
    return exclusive(this.opts.accountId, () => this.refreshShared(before));
  }

  /**
   * Holding the store's refresh lock, where the store is the truth: another process may have refreshed while
   * this one waited. Its tokens are used when still fresh (no token request at all), and its refresh token
   * when Spotify rotated it.
   */
  private async refreshShared(before: StoredTokens): Promise<Refreshed> {
    this.tokens = await this.opts.store.get(this.opts.accountId, this.opts.storeKey);
    const now = this.usable();
    const fresh = !now.rotationPending && now.expiresAt - this.refreshAheadMs > this.now();
    if (now.accessToken !== before.accessToken && fresh) return { tokens: now, request: 0 };
    return this.refreshNow(now);
  }

  private async refreshNow(current: StoredTokens): Promise<Refreshed> {
    let answer: TokenAnswer;
    const request = ++this.refreshCount;
    // Until the answer is stored, a process that dies leaves this record (see recordQuietly).
    if (!current.rotationPending) await this.recordQuietly({ ...current, rotationPending: true });
    try {
      answer = await this.opts.oauth().refresh(current.refreshToken);
    } catch (err) {
      if (err instanceof OAuthError && err.isFinal) {
        const rotated = await this.rotatedElsewhere(current);
        if (rotated) {
          this.tokens = rotated;
          if (current.rotationPending) this.emitState();
          return { tokens: rotated, request: 0 };
        }
        // Only mark if the tokens were not replaced meanwhile (a new authorization during the refresh).
        if (this.tokens === current) {
          this.tokens = { ...withoutRotation(current), needsReauthorization: true };
          await this.persist(this.tokens);
          this.emitState();
        }
        throw new AuthorizationError('authorize_again', authorizeAgainMessage());
      }
      if (err instanceof OAuthError && err.refreshToken !== undefined && this.tokens === current) {
        // An unusable answer that still brought a new refresh token: Spotify retired the old one when it sent it,
        // so the new one is kept (the access token marked expired, so the next request refreshes with it); the
        // write settles the rotation record too.
        this.tokens = { ...withoutRotation(current), refreshToken: err.refreshToken, expiresAt: 0 };
        await this.persist(this.tokens);
        if (current.rotationPending) this.emitState();
      } else if (!current.rotationPending && this.tokens === current) {
        // This process lives on to refresh again (a refresh token Spotify retired shows then): the record is for
        // a start after a death, and left in place it would say "authorize again" for a token endpoint that is down.
        await this.recordQuietly(current);
      }
      const reason = err instanceof Error ? err.message : String(err);
      throw new AuthorizationError('token_endpoint', say('auth.refreshFailed', { reason }));
    }
    const next: StoredTokens = {
      ...withoutRotation(current),
      accessToken: answer.access_token,
      // Spotify may rotate the refresh token; when it does not, the old one stays valid and is kept.
      refreshToken: answer.refresh_token ?? current.refreshToken,
      expiresAt: this.now() + answer.expires_in * 1000,
      scope: answer.scope ? answer.scope.split(/\s+/).filter(Boolean) : current.scope,
      needsReauthorization: false,
    };
    // Written before anything else happens with the answer: when Spotify rotates, it has already retired the old
    // refresh token, so until this write lands a crash loses the authorization (README: Reliability).
    try {
      await this.persist(next);
    } finally {
      // Kept in memory even if the write failed: the old refresh token may be dead, the next write may succeed.
      if (this.tokens === current) this.tokens = next;
    }
    if (current.rotationPending) this.emitState(); // the interrupted rotation is settled: authorized again
    return { tokens: next, request };
  }

  /**
   * The rotation record, written before a refresh is sent: when Spotify rotates, it retires the old refresh
   * token as it answers, so a process that dies before the answer is stored leaves the record, and the next
   * start says "authorize again" at once (and checks). Not announced (the others have nothing to re-read) and
   * not insisted on when the store refuses it: the refresh is still worth trying, as before the record existed.
   */
  private async recordQuietly(tokens: StoredTokens): Promise<void> {
    await this.opts.store.set(this.opts.accountId, this.opts.storeKey, tokens, { quiet: true }).catch(() => undefined);
  }

  /**
   * Spotify refused `current`'s refresh token: with a shared store, another process may have rotated it and
   * stored the new one meanwhile (a holder whose lock lapsed while it worked). Its tokens are taken then,
   * instead of marking the whole fleet's authorization as lost.
   */
  private async rotatedElsewhere(current: StoredTokens): Promise<StoredTokens | undefined> {
    if (!this.opts.store.exclusive) return undefined;
    const stored = await this.opts.store.get(this.opts.accountId, this.opts.storeKey).catch(() => undefined);
    const usable = stored && !stored.needsReauthorization && stored.refreshToken !== current.refreshToken;
    return usable ? withoutRotation(stored) : undefined;
  }

  private async persist(tokens: StoredTokens): Promise<void> {
    await this.opts.store.set(this.opts.accountId, this.opts.storeKey, tokens);
  }

  /** A rotation cut short (the record found at load): whether Spotify still takes the refresh token is asked at
   *  once, so the status is settled before a message needs it. */
  private checkInterruptedRotation(): void {
    // The outcome is shown by the refresh itself (authorized again, or marked "authorize again").
    if (this.tokens?.rotationPending && !this.tokens.needsReauthorization) this.refresh().catch(() => undefined);
  }

  private ensureLoaded(): Promise<void> {
    if (!this.loading) {
      this.loading = this.readStore();
      // Either way the nodes show the outcome (authorized, not authorized, or an unreadable token file).
      this.loading.then(
        () => this.emitState(),
        () => this.emitState(),
      );
    }
    return this.loading;
  }

  private async readStore(): Promise<void> {
    try {
      this.tokens = await this.opts.store.get(this.opts.accountId, this.opts.storeKey);
      this.loadError = undefined;
    } catch (err) {
      this.tokens = undefined;
      this.loadError = err instanceof Error ? err : new Error(String(err));
      throw this.loadError;
    }
    this.checkInterruptedRotation();
  }

  private emitState(): void {
    this.emit('state', this.status());
  }
}

function withoutRotation(tokens: StoredTokens): StoredTokens {
  if (!tokens.rotationPending) return tokens;
  const copy = { ...tokens };
  delete copy.rotationPending;
  return copy;
}

/** What a refresh brought: the tokens, and which token request of this manager got them (0: another process's). */
interface Refreshed {
  tokens: StoredTokens;
  request: number;
}
