// The lists the editor's pickers show: an account's playlists, its devices and a short catalog search. Reads
// only (read permission is enough), through the account's own client, so its tokens refresh and its 429
// cooldowns hold. They work before the first Deploy as soon as the account is authorized: an account that is
// not running is opened from the token store with the store key the dialog holds or the runtime stored.
// An empty list says why (not authorized, a missing scope, no device online); a failure is a 4xx with a
// message, never a 500.
import type { NodeAPI } from 'node-red';
import { liveAccount, SpotifyAccount } from '../spotify/account';
import { AuthorizationError, InputError, SpotifyApiError } from '../spotify/errors';
import { StoreFileError } from '../spotify/file-store';
import { OPERATIONS, type Operation } from '../spotify/operations';
import { PICKER_SEARCH_TYPES, pickDevices, pickPlaylists, pickSearch, type PickerSearchType } from '../spotify/pickers';
import { missingScopes } from '../spotify/scopes';
import { accountIdOf, expandEnv, json, ROUTE_PREFIX, sameOriginOnly, text, type Body } from './admin-routes';
import { runtimeText } from './messages';
import { packSettings, tokenStorePath, type ResolvedPackSettings } from './pack-settings';
import { stateBackend, type StateBackend } from './state-backend';

export const PICKER_PREFIX = `${ROUTE_PREFIX}/pick`;
/** Longest search text taken: Spotify's own limit is far above what anyone types into a picker. */
const MAX_QUERY_CHARS = 200;

/** Why a list is empty, when that is not simply "the account has none". */
export type EmptyReason = 'not_authorized' | 'authorize_again' | 'missing_scope' | 'no_devices' | 'none';

export interface PickerAnswer<T> {
  ok: true;
  items: T[];
  /** Set when `items` is empty: why, and `message` says it for the user. */
  reason?: EmptyReason;
  message?: string;
  /** The missing scope(s), with reason missing_scope. */
  scope?: string;
}

interface AccountCredentials {
  clientSecret?: string;
  storeKey?: string;
}

type Ready = { account: SpotifyAccount; userId: string | undefined } | PickerAnswer<never>;

export function registerPickerRoutes(RED: NodeAPI): void {
  const settings = packSettings(RED);
  const canRead = [sameOriginOnly, RED.auth.needsPermission('spotify-account.read')];
  const standby = new StandbyAccounts(settings, stateBackend(RED, settings));

  /** The account to ask, authorized and granted the operation's scopes; or the answer that says why not. */
  async function ready(body: Body, op: Operation): Promise<Ready> {
    const accountId = accountIdOf(body);
    const askedKey = typeof body.storeKey === 'string' && body.storeKey ? body.storeKey : undefined;
    const live = liveAccount(accountId);
    let account: SpotifyAccount;
    if (live && (askedKey === undefined || askedKey === live.config.storeKey)) {
      account = live;
    } else {
      const stored: AccountCredentials = RED.nodes.getCredentials(accountId) ?? {};
      const storeKey = askedKey ?? stored.storeKey;
      if (!storeKey) return empty('not_authorized', runtimeText('pickers.notAuthorized'));
      const clientId = text(body.clientId, 'clientId', 'the Client ID of the Spotify account node');
      account = await standby.get(accountId, clientId, expandEnv(stored.clientSecret), storeKey);
    }
    const status = await account.tokens.load();
    if (status.state === 'not_authorized') return empty('not_authorized', runtimeText('pickers.notAuthorized'));
    if (status.state === 'authorize_again') return empty('authorize_again', runtimeText('pickers.authorizeAgain'));
    const missing = missingScopes(status.scopes, op.scopes ?? []);
    if (missing.length > 0) {
      const scope = missing.join(', ');
      return { ...empty('missing_scope', runtimeText('pickers.missingScope', { scope })), scope };
    }
    return { account, userId: status.userId };
  }

  RED.httpAdmin.post(
    `${PICKER_PREFIX}/playlists`,
    canRead,
    picker(async (body) => {
      const r = await ready(body, OPERATIONS.myPlaylists);
      if (!('account' in r)) return r;
      const all = await pickPlaylists(r.account.client, r.userId);
      const writableOnly = body.writable === true;
      const items = writableOnly ? all.filter((p) => p.writable) : all;
      if (items.length > 0) return { ok: true, items };
      return empty('none', runtimeText(writableOnly && all.length > 0 ? 'pickers.noWritable' : 'pickers.noPlaylists'));
    }),
  );

  RED.httpAdmin.post(
    `${PICKER_PREFIX}/devices`,
    canRead,
    picker(async (body) => {
      const r = await ready(body, OPERATIONS.devices);
      if (!('account' in r)) return r;
      const items = await pickDevices(r.account.client);
      return items.length > 0 ? { ok: true, items } : empty('no_devices', runtimeText('pickers.noDevices'));
    }),
  );

  RED.httpAdmin.post(
    `${PICKER_PREFIX}/search`,
    canRead,
    picker(async (body) => {
      const types = searchTypes(body.type);
      const q = typeof body.q === 'string' ? body.q.trim() : '';
      if (q.length > MAX_QUERY_CHARS) throw new InputError('q', `at most ${MAX_QUERY_CHARS} characters`, q);
      if (q === '') return { ok: true, items: [] };
      const r = await ready(body, OPERATIONS.search);
      if (!('account' in r)) return r;
      const items = await pickSearch(r.account.client, q, types);
      return items.length > 0 ? { ok: true, items } : empty('none', runtimeText('pickers.noResults'));
    }),
  );
}

/** One type, or several separated by commas (one request serves them all). */
function searchTypes(value: unknown): PickerSearchType[] {
  const known: readonly string[] = PICKER_SEARCH_TYPES;
  const list = typeof value === 'string' ? value.split(',').map((t) => t.trim()) : [];
  if (list.length === 0 || list.length > known.length || !list.every((t) => known.includes(t))) {
    throw new InputError('type', `one or more of ${PICKER_SEARCH_TYPES.join(', ')}, separated by commas`, value);
  }
  return [...new Set(list)] as PickerSearchType[];
}

function empty(reason: EmptyReason, message: string): PickerAnswer<never> {
  return { ok: true, items: [], reason, message };
}

/**
 * Accounts opened for the pickers while no node of theirs runs (before the first Deploy, or with a store key
 * the dialog has not deployed yet). Kept, one per account, so that one token refresh serves a dialog's
 * requests; re-read from the store before each use so that a new authorization is seen at once.
 */
class StandbyAccounts {
  private readonly accounts = new Map<string, { key: string; account: SpotifyAccount }>();
  constructor(
    private readonly settings: ResolvedPackSettings,
    private readonly backend: StateBackend,
  ) {}

  async get(accountId: string, clientId: string, clientSecret: string | undefined, storeKey: string): Promise<SpotifyAccount> {
    const key = JSON.stringify([clientId, clientSecret ?? '', storeKey]);
    let entry = this.accounts.get(accountId);
    if (!entry || entry.key !== key) {
      const account = new SpotifyAccount({
        id: accountId,
        clientId,
        clientSecret: clientSecret || undefined,
        storeKey,
        tokenStorePath: tokenStorePath(this.settings),
        tokenStore: this.backend.tokens,
        shareCooldown: this.backend.shareCooldown,
        endpoints: this.settings.endpoints,
        retry: this.settings.retry,
        maxPages: this.settings.maxPages,
      });
      entry = { key, account };
      this.accounts.set(accountId, entry);
    }
    await entry.account.tokens.reload().catch(() => undefined); // an unreadable file shows on load() below
    return entry.account;
  }
}

/** Wraps a picker route: every failure is a 4xx with its message (see statusOf). */
function picker(handler: (body: Body) => Promise<unknown>) {
  return json(handler, statusOf);
}

function statusOf(err: unknown): number {
  if (err instanceof InputError) return 400;
  if (err instanceof StoreFileError) return 409; // its message says how to repair the token file
  if (err instanceof SpotifyApiError && err.status === 429) return 429;
  if (err instanceof AuthorizationError) return 403;
  // Spotify refused or failed: the request was sound, what it depends on was not (RFC 4918 Failed Dependency).
  return 424;
}
