// The token store on a StateStore (a Node-RED context store, Redis): the same encrypted entries as the token
// file, one key per account, so a value read from the store is as opaque as the file is. Every change is
// announced to the other processes sharing the store, and refreshes take the store's lock (one at a time).
import type { StateStore } from './state-store';
import {
  checkAccountId,
  checkWrite,
  decrypt,
  encrypt,
  ownEntry,
  pickTokens,
  usableKey,
  type EncryptedEntry,
  type SetOptions,
  type StoredTokens,
  type TokenStorage,
} from './token-store';

/** Longer than a token request may take (its timeout is 15 s by default), so a live holder keeps it. */
const REFRESH_LOCK_MS = 30_000;

export class KeyValueTokenStore implements TokenStorage {
  readonly exclusive?: <R>(accountId: string, fn: () => Promise<R>) => Promise<R>;

  /** `ready`: settles when the store may be read (entries being moved into it first). */
  constructor(
    readonly store: StateStore,
    private readonly ready: () => Promise<void> = () => Promise.resolve(),
  ) {
    if (store.shared) this.exclusive = (accountId, fn) => store.withLock(`refresh:${accountId}`, REFRESH_LOCK_MS, fn);
  }

  async get(accountId: string, key: string): Promise<StoredTokens | undefined> {
    checkAccountId(accountId);
    await this.ready();
    const entry = parseEntry(await this.store.get(keyOf(accountId)));
    if (entry === undefined || !usableKey(key)) return undefined;
    return decrypt(entry, accountId, key);
  }

  async set(accountId: string, key: string, tokens: StoredTokens, options: SetOptions = {}): Promise<undefined> {
    checkAccountId(accountId);
    checkWrite(key, tokens);
    await this.ready();
    await this.store.set(keyOf(accountId), JSON.stringify(encrypt(pickTokens(tokens), accountId, key)));
    if (!options.quiet) await this.announce(accountId);
    return undefined;
  }

  async delete(accountId: string): Promise<void> {
    checkAccountId(accountId);
    await this.ready();
    await this.store.set(keyOf(accountId), undefined);
    await this.announce(accountId);
  }

  /** Copies entries (still encrypted) that this store does not have yet; resolves to how many it copied. */
  async adopt(entries: Record<string, EncryptedEntry>): Promise<number> {
    let copied = 0;
    for (const [accountId, entry] of Object.entries(entries)) {
      if (await this.store.compareAndSet(keyOf(accountId), undefined, JSON.stringify(entry))) copied++;
    }
    return copied;
  }

  /** The others re-read the account; the value is already stored, so a lost announcement only delays them. */
  private async announce(accountId: string): Promise<void> {
    await this.store.publish({ type: 'tokens', accountId }).catch(() => undefined);
  }
}

function keyOf(accountId: string): string {
  return `tokens:${accountId}`;
}

function parseEntry(text: string | undefined): EncryptedEntry | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? ownEntry({ entry: value }, 'entry') : undefined;
  } catch {
    return undefined; // an unreadable entry is a missing one, as in the file (authorize again)
  }
}
