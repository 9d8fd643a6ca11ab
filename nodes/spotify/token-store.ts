// The accounts' OAuth tokens at rest, outside the flow's credential cycle so they survive a restart without a
// Deploy and keep rotated refresh tokens. Each entry is AES-256-GCM encrypted with a key derived from the
// config node's store key (a credential). Knows nothing about Node-RED.
//
// On disk: { "version": 1, "accounts": { "<account id>": { "iv", "tag", "data" } } } — base64url fields;
// account ids are the only clear text.
//
// Key derivation: HKDF-SHA256 over the store key with a fixed salt and an info string naming the account.
// A slow KDF (scrypt) would add nothing: the store key is 32 random bytes, not a password.
// The account id is also the GCM associated data, so an entry copied under another account id fails to open.
//
// Decision: an entry that does not open — wrong key, tampered or truncated ciphertext, iv or tag — reads as
// undefined ("not authorized"), exactly like a missing one: GCM cannot tell a wrong key from tampering, and
// the remedy is the same (authorize again, which overwrites the entry). A file that is not JSON, or not a
// token store this version understands, throws a StoreFileError naming the file instead: other accounts live
// there, so only an explicit repair (set with `repair`, what Authorize Access does) sets it aside.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { JsonFileStore, StoreFileError } from './file-store';
import { say } from './words';

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number; // epoch ms
  scope: string[];
  clientId: string;
  userId?: string;
  displayName?: string;
  authorizedAt: number;
  needsReauthorization?: boolean;
  /**
   * A refresh was sent and its answer is not stored yet. Spotify retires a rotated refresh token as it answers,
   * so if this is still set when the entry is read after a restart, the refresh token may be dead.
   */
  rotationPending?: boolean;
}

export interface EncryptedEntry {
  iv: string;
  tag: string;
  data: string;
}

interface TokenFile {
  version: 1;
  accounts: Record<string, EncryptedEntry>;
}

const VERSION = 1;
const HKDF_SALT = Buffer.from('tunewire-node-red-spotify/token-store/salt/v1', 'utf8');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Store keys come from newStoreKey() (43 chars); a short one is a bug or a hand-typed secret. */
const MIN_KEY_CHARS = 32;
/** The longest account id the store accepts; the admin routes check ids against this same figure. */
export const MAX_ACCOUNT_ID_CHARS = 200;
/** What a user does about a damaged token file: Authorize Access writes the account's entry to a new one. */

export interface SetOptions {
  /** A damaged file is kept under another name and replaced by a new one (other accounts in it are lost). */
  repair?: boolean;
  /** Not announced to the other processes sharing the store: a record they have no reason to re-read. */
  quiet?: boolean;
}

/** What stored tokens mean for the user: usable, or Authorize Access again (refused, or a rotation cut short). */
export function storedState(tokens: StoredTokens): 'authorized' | 'authorize_again' {
  return tokens.needsReauthorization || tokens.rotationPending ? 'authorize_again' : 'authorized';
}

/** What the token manager and the authorization flow need of a token store, wherever it keeps the entries. */
export interface TokenStorage {
  get(accountId: string, key: string): Promise<StoredTokens | undefined>;
  set(accountId: string, key: string, tokens: StoredTokens, options?: SetOptions): Promise<string | undefined>;
  delete(accountId: string): Promise<void>;
  /** Present when several processes share the store: runs `fn` while no other process refreshes this account. */
  readonly exclusive?: <R>(accountId: string, fn: () => Promise<R>) => Promise<R>;
}

/** Random 32 bytes, base64url: the config node keeps this as a credential. */
export function newStoreKey(): string {
  return randomBytes(32).toString('base64url');
}

export class TokenStore implements TokenStorage {
  private readonly file: JsonFileStore<unknown>;

  /** One file holds every account, keyed by account id (the config node's id). */
  constructor(filePath: string) {
    this.file = new JsonFileStore<unknown>(filePath, { mode: 0o600, remedy: say('store.file.authorizeToRepair') });
  }

  /** undefined when none is stored, or it was stored under another key (e.g. the config node was recreated),
   *  or the entry was tampered with. Never throws for a wrong key. */
  async get(accountId: string, key: string): Promise<StoredTokens | undefined> {
    checkAccountId(accountId);
    const file = this.parse(await this.file.read());
    const entry = ownEntry(file.accounts, accountId);
    if (entry === undefined || typeof key !== 'string' || key.length < MIN_KEY_CHARS) return undefined;
    return decrypt(entry, accountId, key);
  }

  /** Resolves to the name a damaged file was kept under when `repair` replaced it, else undefined. */
  async set(accountId: string, key: string, tokens: StoredTokens, options: SetOptions = {}): Promise<string | undefined> {
    checkAccountId(accountId);
    checkWrite(key, tokens);
    // Copy only the known fields, so nothing unexpected is persisted.
    const entry = encrypt(pickTokens(tokens), accountId, key);
    const withEntry = (raw: unknown): TokenFile => {
      const accounts = copyAccounts(this.parse(raw).accounts);
      accounts[accountId] = entry;
      return { version: VERSION, accounts };
    };
    if (options.repair) return this.file.updateSettingAside(withEntry);
    await this.file.update(withEntry);
    return undefined;
  }

  async delete(accountId: string): Promise<void> {
    checkAccountId(accountId);
    await this.file.update((raw) => {
      if (raw === undefined) return undefined;
      const file = this.parse(raw);
      const accounts = copyAccounts(file.accounts);
      delete accounts[accountId];
      // The last account gone: no file left behind.
      return Object.keys(accounts).length === 0 ? undefined : ({ version: VERSION, accounts } satisfies TokenFile);
    });
  }

  get fileName(): string {
    return path.basename(this.file.filePath);
  }

  /** The entries as stored (still encrypted), by account id: what a move to another store copies. */
  async entries(): Promise<Record<string, EncryptedEntry>> {
    const file = this.parse(await this.file.read());
    const out = Object.create(null) as Record<string, EncryptedEntry>;
    for (const id of Object.keys(file.accounts)) {
      const entry = ownEntry(file.accounts, id);
      if (entry) out[id] = entry;
    }
    return out;
  }

  private parse(raw: unknown): TokenFile {
    if (raw === undefined) return { version: VERSION, accounts: Object.create(null) as Record<string, EncryptedEntry> };
    if (isRecord(raw) && typeof raw.version === 'number' && raw.version > VERSION) {
      throw new StoreFileError(this.file.filePath, 'newer', say('store.file.newer'), say('store.file.updatePack'));
    }
    if (!isRecord(raw) || raw.version !== VERSION || !isRecord(raw.accounts)) {
      throw this.file.problem('not_store', say('store.file.notTokenStore'));
    }
    return { version: VERSION, accounts: raw.accounts as Record<string, EncryptedEntry> };
  }
}

/** Throws for a store key too short to be one, or tokens missing fields. */
export function checkWrite(key: string, tokens: StoredTokens): void {
  if (typeof key !== 'string' || key.length < MIN_KEY_CHARS) {
    throw new Error(`token store key must be at least ${MIN_KEY_CHARS} characters (use newStoreKey())`);
  }
  if (!isStoredTokens(tokens)) throw new TypeError('tokens are missing fields or have the wrong types');
}

/** A key that could be a store key (anything shorter opens nothing). */
export function usableKey(key: unknown): key is string {
  return typeof key === 'string' && key.length >= MIN_KEY_CHARS;
}

export function checkAccountId(accountId: string): void {
  if (typeof accountId !== 'string' || accountId === '' || accountId.length > MAX_ACCOUNT_ID_CHARS) {
    throw new TypeError(`account id must be a string of 1 to ${MAX_ACCOUNT_ID_CHARS} characters`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A null-prototype copy: an account id such as "__proto__" stays an ordinary key. */
function copyAccounts(accounts: Record<string, EncryptedEntry>): Record<string, EncryptedEntry> {
  const copy = Object.create(null) as Record<string, EncryptedEntry>;
  for (const [id, entry] of Object.entries(accounts)) copy[id] = entry;
  return copy;
}

export function ownEntry(accounts: Record<string, unknown>, accountId: string): EncryptedEntry | undefined {
  if (!Object.prototype.hasOwnProperty.call(accounts, accountId)) return undefined;
  const entry = accounts[accountId];
  if (!isRecord(entry)) return undefined;
  const { iv, tag, data } = entry;
  return typeof iv === 'string' && typeof tag === 'string' && typeof data === 'string' ? { iv, tag, data } : undefined;
}

function deriveKey(key: string, accountId: string): Buffer {
  const info = Buffer.from(`token-store v${VERSION} aes-256-gcm ${accountId}`, 'utf8');
  return Buffer.from(hkdfSync('sha256', Buffer.from(key, 'utf8'), HKDF_SALT, info, 32));
}

function additionalData(accountId: string): Buffer {
  return Buffer.from(`v${VERSION}:${accountId}`, 'utf8');
}

/** The entry for `tokens`; the caller checked the key (checkStoreKey) and the tokens (isStoredTokens). */
export function encrypt(tokens: StoredTokens, accountId: string, key: string): EncryptedEntry {
  const iv = randomBytes(IV_BYTES); // fresh for every write: GCM must never reuse an IV under one key
  const cipher = createCipheriv('aes-256-gcm', deriveKey(key, accountId), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(accountId));
  const data = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
}

export function decrypt(entry: EncryptedEntry, accountId: string, key: string): StoredTokens | undefined {
  try {
    const iv = Buffer.from(entry.iv, 'base64url');
    const tag = Buffer.from(entry.tag, 'base64url');
    // Explicit lengths: Node would otherwise accept a truncated tag, weakening authentication.
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(key, accountId), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(accountId));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64url')), decipher.final()]);
    const tokens: unknown = JSON.parse(plain.toString('utf8'));
    return isStoredTokens(tokens) ? pickTokens(tokens) : undefined;
  } catch {
    // Authentication failed: wrong key or tampered entry (see the decision at the top).
    return undefined;
  }
}

export function isStoredTokens(value: unknown): value is StoredTokens {
  if (!isRecord(value)) return false;
  const v = value;
  return (
    typeof v.accessToken === 'string' &&
    typeof v.refreshToken === 'string' &&
    typeof v.expiresAt === 'number' &&
    Number.isFinite(v.expiresAt) &&
    Array.isArray(v.scope) &&
    v.scope.every((s: unknown) => typeof s === 'string') &&
    typeof v.clientId === 'string' &&
    typeof v.authorizedAt === 'number' &&
    Number.isFinite(v.authorizedAt) &&
    (v.userId === undefined || typeof v.userId === 'string') &&
    (v.displayName === undefined || typeof v.displayName === 'string') &&
    (v.needsReauthorization === undefined || typeof v.needsReauthorization === 'boolean') &&
    (v.rotationPending === undefined || typeof v.rotationPending === 'boolean')
  );
}

export function pickTokens(t: StoredTokens): StoredTokens {
  const out: StoredTokens = {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: t.expiresAt,
    scope: [...t.scope],
    clientId: t.clientId,
    authorizedAt: t.authorizedAt,
  };
  if (t.userId !== undefined) out.userId = t.userId;
  if (t.displayName !== undefined) out.displayName = t.displayName;
  if (t.needsReauthorization !== undefined) out.needsReauthorization = t.needsReauthorization;
  if (t.rotationPending) out.rotationPending = true;
  return out;
}
