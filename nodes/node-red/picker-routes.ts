// The lists the editor's pickers show: an account's playlists, its devices and a short catalog search,
// through the account's own client, so its tokens refresh and its 429 cooldowns hold. They spend the app's
// rate window and may rotate its refresh token, so they need the write permission Authorize Access needs: a
// read-only editor user (who cannot deploy what a picker fills in) gets a 403 that says so, and nothing is
// opened or asked of Spotify for it. Identical calls in a burst share one answer (recent-answers.ts).
// They work before the first Deploy as soon as the account is authorized: an account that is not running is
// opened from the token store with the store key the dialog holds or the runtime stored (standby-accounts.ts).
// An empty list says why (not authorized, a missing scope, no device online); a failure is a 4xx with a
// message (503 while the state store does not answer), never a 500. Each call writes an audit event.
import type { NodeAPI } from 'node-red';
import type { NextFunction, Request, Response } from 'express';
import { liveAccount, SpotifyAccount } from '../spotify/account';
import { AuthorizationError, InputError, SpotifyApiError } from '../spotify/errors';
import { expectText } from '../spotify/words';
import { StoreFileError } from '../spotify/file-store';
import { OPERATIONS, type Operation } from '../spotify/operations';
import {
  PICKER_SEARCH_TYPES,
  pickDevices,
  pickPlaylists,
  pickSearch,
  type PickedDevice,
  type PickedItem,
  type PickedPlaylist,
  type PickerSearchType,
} from '../spotify/pickers';
import { requirementWords, unmetRequirements } from '../spotify/scopes';
import { StoreUnavailableError } from '../spotify/state-store';
import { accountIdOf, expandEnv, json, ROUTE_PREFIX, sameOriginOnly, type Body } from './admin-routes';
import { audited, type AuditEvent } from './audit';
import { routeWords, type RouteWords } from './route-words';
import { packSettings } from './pack-settings';
import { RecentAnswers } from './recent-answers';
import { StandbyAccounts } from './standby-accounts';
import { sharedAccountConfig, stateBackend, type AccountCredentials } from './state-backend';

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
  /** The message by its catalog key, for the editor to say in its own language. */
  words?: RouteWords;
  /** The missing scope(s) by Spotify's names ("a or b, c"), with reason missing_scope: the message's tooltip. */
  scope?: string;
  /** With reason missing_scope: each unmet entry as its alternatives, for the editor to name in its words. */
  unmet?: string[][];
}

type Ready = { account: SpotifyAccount; userId: string | undefined } | PickerAnswer<never>;

const PERMISSION = 'spotify-account.write';
/** The standby accounts of the routes registered last (one set per Node-RED runtime): their number, for tests. */
let registered: StandbyAccounts | undefined;

/** How many accounts the pickers hold open for accounts that are not running (at most MAX_STANDBY_ACCOUNTS). */
export function standbyAccountCount(): number {
  return registered?.size ?? 0;
}

export function registerPickerRoutes(RED: NodeAPI): void {
  const settings = packSettings(RED);
  const backend = stateBackend(RED, settings);
  // Core's check first (no token, a forged one: its 401), then the pack's own, which says what is missing.
  const canPick = (event: AuditEvent) => [sameOriginOnly, RED.auth.needsPermission('spotify-account.read'), audited(RED, event), mayWrite];
  registered?.clear();
  const standby = new StandbyAccounts({
    store: backend.tokens,
    open: (id, tokens, storeKey, clientSecret) =>
      new SpotifyAccount({
        id,
        clientId: tokens.clientId, // the client the tokens were issued to: no other can refresh them
        clientSecret,
        storeKey,
        ...sharedAccountConfig(settings, backend),
      }),
  });
  registered = standby;
  const playlists = new RecentAnswers<PickedPlaylist[]>();
  const devices = new RecentAnswers<PickedDevice[]>();
  const searches = new RecentAnswers<PickedItem[]>();

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
      const opened = storeKey ? await standby.get(accountId, storeKey, expandEnv(stored.clientSecret) || undefined) : undefined;
      if (!opened) return empty('not_authorized', 'pickers.notAuthorized');
      account = opened;
    }
    const status = await account.tokens.load();
    if (status.state === 'not_authorized') return empty('not_authorized', 'pickers.notAuthorized');
    if (status.state === 'authorize_again') return empty('authorize_again', 'pickers.authorizeAgain');
    const unmet = unmetRequirements(status.scopes, op.scopes ?? []);
    if (unmet.length > 0) {
      // Said in the words the account dialog's checklist shows for the scope; Spotify's name for the tooltip.
      const needs = unmet.map((alt) => requirementWords(alt)).join(', ');
      const scope = unmet.map((alt) => alt.join(' or ')).join(', ');
      return { ...empty('missing_scope', 'pickers.missingScope', { needs }), scope, unmet: unmet.map((alt) => [...alt]) };
    }
    return { account, userId: status.userId };
  }

  RED.httpAdmin.post(
    `${PICKER_PREFIX}/playlists`,
    canPick('pick.playlists'),
    picker(async (body) => {
      const r = await ready(body, OPERATIONS.myPlaylists);
      if (!('account' in r)) return r;
      const { account, userId } = r;
      const all = await playlists.get(account, JSON.stringify([userId]), () => pickPlaylists(account.client, userId));
      const writableOnly = body.writable === true;
      const items = writableOnly ? all.filter((p) => p.writable) : all;
      if (items.length > 0) return { ok: true, items };
      return empty('none', writableOnly && all.length > 0 ? 'pickers.noWritable' : 'pickers.noPlaylists');
    }),
  );

  RED.httpAdmin.post(
    `${PICKER_PREFIX}/devices`,
    canPick('pick.devices'),
    picker(async (body) => {
      const r = await ready(body, OPERATIONS.devices);
      if (!('account' in r)) return r;
      const { account, userId } = r;
      const items = await devices.get(account, JSON.stringify([userId]), () => pickDevices(account.client));
      return items.length > 0 ? { ok: true, items } : empty('no_devices', 'pickers.noDevices');
    }),
  );

  RED.httpAdmin.post(
    `${PICKER_PREFIX}/search`,
    canPick('pick.search'),
    picker(async (body) => {
      const types = searchTypes(body.type);
      const q = typeof body.q === 'string' ? body.q.trim() : '';
      if (q.length > MAX_QUERY_CHARS) throw new InputError('q', expectText('chars', { max: MAX_QUERY_CHARS }), q);
      if (q === '') return { ok: true, items: [] };
      const r = await ready(body, OPERATIONS.search);
      if (!('account' in r)) return r;
      const { account, userId } = r;
      const items = await searches.get(account, JSON.stringify([userId, q, types]), () => pickSearch(account.client, q, types));
      return items.length > 0 ? { ok: true, items } : empty('none', 'pickers.noResults');
    }),
  );
}

/** One type, or several separated by commas (one request serves them all). */
function searchTypes(value: unknown): PickerSearchType[] {
  const known: readonly string[] = PICKER_SEARCH_TYPES;
  const list = typeof value === 'string' ? value.split(',').map((t) => t.trim()) : [];
  if (list.length === 0 || list.length > known.length || !list.every((t) => known.includes(t))) {
    throw new InputError('type', expectText('someOf', { values: PICKER_SEARCH_TYPES.join(', ') }), value);
  }
  return [...new Set(list)] as PickerSearchType[];
}

function empty(reason: EmptyReason, key: string, vars?: Record<string, string | number>): PickerAnswer<never> {
  const { text, words } = routeWords(key, vars);
  return { ok: true, items: [], reason, message: text, words };
}

/**
 * Lets through an editor user who may write (Node-RED's permission rule: `*`, `write`, `*.write` or the
 * permission itself, alone or in a list), and everyone when adminAuth is off (no user). Anyone else gets a 403
 * whose message the picker shows.
 */
function mayWrite(req: Request, res: Response, next: NextFunction): void {
  const info: { scope?: unknown } | undefined = req.authInfo;
  if (!req.user || grants(info?.scope, PERMISSION)) return next();
  res.set('Cache-Control', 'no-store');
  const { text, words } = routeWords('pickers.needsWrite');
  res.status(403).json({ ok: false, error: text, words });
}

/** Whether a token's scope grants `permission`: core's hasPermission (editor-api auth/permissions.js), which the
 *  node API does not offer, for one permission of the form `<type>.read` or `<type>.write`. */
export function grants(scope: unknown, permission: string): boolean {
  if (Array.isArray(scope)) return scope.some((s) => grants(s, permission));
  if (scope === '*' || scope === permission) return true;
  const action = permission.slice(permission.lastIndexOf('.') + 1);
  return scope === action || scope === `*.${action}`;
}

/** Wraps a picker route: every failure is a 4xx with its message (see statusOf). */
function picker(handler: (body: Body) => Promise<unknown>) {
  return json(handler, statusOf);
}

function statusOf(err: unknown): number {
  if (err instanceof InputError) return 400;
  if (err instanceof StoreFileError) return 409; // its message says how to repair the token file
  if (err instanceof StoreUnavailableError) return 503; // the state store comes back by itself
  if (err instanceof SpotifyApiError && err.status === 429) return 429;
  if (err instanceof AuthorizationError) return 403;
  // Spotify refused or failed: the request was sound, what it depends on was not (RFC 4918 Failed Dependency).
  return 424;
}
