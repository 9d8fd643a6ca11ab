// Accounts the pickers open while no node of theirs runs: before the first Deploy, or with a store key the
// dialog has not deployed yet. Kept so that one token refresh serves a dialog's requests, but only for an
// account the token store holds tokens of (an unknown id or store key costs one store read and no object),
// at most MAX_STANDBY_ACCOUNTS of them (the least recently used is let go) and for STANDBY_IDLE_MS after
// their last use. An account let go is referenced by nothing else: its cooldown, pacer and the cooldown shared
// through the state store belong to the Spotify app (its client id), not to the account.
import { SpotifyAccount } from '../spotify/account';
import type { StoredTokens, TokenStorage } from '../spotify/token-store';

/** A dialog asks for one account; a few more cover several dialogs or editors at once. */
export const MAX_STANDBY_ACCOUNTS = 4;
/** An account no picker asked for this long is let go (its tokens with it). */
export const STANDBY_IDLE_MS = 10 * 60_000;

export interface StandbyOptions {
  /** Where the tokens are (the one the running accounts use). */
  store: TokenStorage;
  /** Makes the account for tokens found in the store: their client id is the one they were issued to. */
  open: (accountId: string, tokens: StoredTokens, storeKey: string, clientSecret: string | undefined) => SpotifyAccount;
  now?: () => number;
}

interface Entry {
  /** What the account was opened with: another client, secret or store key opens a new one. */
  key: string;
  account: SpotifyAccount;
  usedAt: number;
}

export class StandbyAccounts {
  /** In order of last use, oldest first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private sweep: NodeJS.Timeout | undefined;

  constructor(private readonly opts: StandbyOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** How many accounts are held now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The account `accountId` as stored under `storeKey`, re-read from the store so that a new authorization is
   * seen at once; undefined when the store holds nothing for them. Throws what the store throws (a damaged
   * token file, a state store that does not answer).
   */
  async get(accountId: string, storeKey: string, clientSecret: string | undefined): Promise<SpotifyAccount | undefined> {
    this.letGoIdle();
    const tokens = await this.opts.store.get(accountId, storeKey);
    if (!tokens) {
      this.drop(accountId);
      return undefined;
    }
    const key = JSON.stringify([tokens.clientId, clientSecret ?? '', storeKey]);
    let entry = this.entries.get(accountId);
    this.entries.delete(accountId); // re-inserted below: now the most recently used
    if (!entry || entry.key !== key) {
      if (entry) release(entry);
      entry = { key, account: this.opts.open(accountId, tokens, storeKey, clientSecret), usedAt: 0 };
    }
    entry.usedAt = this.now();
    this.entries.set(accountId, entry);
    for (const [id, oldest] of this.entries) {
      if (this.entries.size <= MAX_STANDBY_ACCOUNTS) break;
      this.entries.delete(id);
      release(oldest);
    }
    this.scheduleSweep();
    await entry.account.tokens.reload().catch(() => undefined); // an unreadable store shows in its status
    return entry.account;
  }

  /** Lets every account go (the routes are being torn down). */
  clear(): void {
    for (const id of [...this.entries.keys()]) this.drop(id);
  }

  private drop(accountId: string): void {
    const entry = this.entries.get(accountId);
    if (!entry) return;
    this.entries.delete(accountId);
    release(entry);
    if (this.entries.size === 0 && this.sweep) {
      clearTimeout(this.sweep);
      this.sweep = undefined;
    }
  }

  private letGoIdle(): void {
    const cutoff = this.now() - STANDBY_IDLE_MS;
    for (const [id, entry] of this.entries) if (entry.usedAt <= cutoff) this.drop(id);
  }

  /** Idle accounts go even when no picker asks again; the timer never keeps Node-RED from exiting. */
  private scheduleSweep(): void {
    if (this.sweep) return;
    this.sweep = setTimeout(() => {
      this.sweep = undefined;
      this.letGoIdle();
      if (this.entries.size > 0) this.scheduleSweep();
    }, STANDBY_IDLE_MS);
    this.sweep.unref();
  }
}

/** What an account holds that others could reach: the listeners of its token state (none for a standby one). */
function release(entry: Entry): void {
  entry.account.tokens.removeAllListeners();
}
