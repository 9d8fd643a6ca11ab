// The saved library: GET /me/{tracks,albums,shows,episodes,audiobooks}, the 2026 /me/library endpoints that
// replaced every type-specific save/remove/contains/follow call, and GET /me/following?type=artist.

import { isoSeconds } from '../data';
import { ApiError } from '../errors';
import { json, jsonBody, noContent } from '../http';
import { parseUri, type ParsedUri } from '../ids';
import { offsetPage, otherParams, pageUrl, parseLimit, parseOffset, type CursorPage } from '../paging';
import { endpointUrl, hasScope, requireScope, type ApiContext } from './context';
import type { Router } from './router';
import { csv } from './values';

const MAX_URIS = 40;
const SAVED = { tracks: 'track', albums: 'album', shows: 'show', episodes: 'episode', audiobooks: 'audiobook' } as const;
type SavedList = keyof typeof SAVED;
const WRITABLE_TYPES = new Set(['track', 'album', 'episode', 'show', 'audiobook', 'user', 'playlist']);

export function register(router: Router): void {
  for (const list of Object.keys(SAVED) as SavedList[]) router.add('GET', `/me/${list}`, (ctx) => savedList(ctx, list));
  router.add('PUT', '/me/library', (ctx) => changeLibrary(ctx, 'save'));
  router.add('DELETE', '/me/library', (ctx) => changeLibrary(ctx, 'remove'));
  router.add('GET', '/me/library/contains', contains);
  router.add('GET', '/me/following', following);
}

function savedList(ctx: ApiContext, list: SavedList) {
  requireScope(ctx, 'user-library-read');
  const limit = parseLimit(ctx.query, 20, 50);
  const offset = parseOffset(ctx.query);
  const saved = ctx.store.saved[list];
  const key = SAVED[list];
  return json(
    200,
    offsetPage(endpointUrl(ctx), otherParams(ctx.query), saved.length, offset, limit, (s, e) =>
      saved.slice(s, e).map((rec) => ({ added_at: rec.added_at, [key]: ctx.render.item(rec.uri) })),
    ),
  );
}

/** `?uris=a,b` (or `{uris:[…]}` in the body), at most 40, each a well-formed URI of an accepted type. */
function readUris(ctx: ApiContext, allowed: (type: string) => boolean): ParsedUri[] {
  let uris = csv(ctx.query.uris);
  if (uris.length === 0 && ctx.req.method !== 'GET') {
    const body = jsonBody(ctx.req);
    if (Array.isArray(body.uris)) uris = body.uris.filter((u): u is string => typeof u === 'string');
  }
  if (uris.length === 0) throw new ApiError(400, 'Missing required parameter: uris');
  if (uris.length > MAX_URIS) throw new ApiError(400, 'Too many ids requested');
  return uris.map((uri) => {
    const parsed = parseUri(uri);
    if (parsed === 'bad-id') throw new ApiError(400, 'Invalid base62 id');
    if (parsed === 'bad-uri' || !allowed(parsed.type)) throw new ApiError(400, `Unsupported uri: ${uri}`);
    return parsed;
  });
}

function changeLibrary(ctx: ApiContext, change: 'save' | 'remove') {
  const items = readUris(ctx, (t) => WRITABLE_TYPES.has(t));
  // Each kind of URI needs its own scope; all are checked before anything changes.
  for (const it of items) {
    if (it.type === 'user') requireScope(ctx, 'user-follow-modify');
    else if (it.type === 'playlist') requireScope(ctx, 'playlist-modify-public', 'playlist-modify-private');
    else requireScope(ctx, 'user-library-modify');
    if (it.type === 'playlist' && !ctx.store.playlistMap.has(it.id)) throw new ApiError(404, 'Resource not found');
  }
  const s = ctx.store;
  const now = isoSeconds(Date.now());
  for (const it of items) {
    if (it.type === 'user') {
      const at = s.followedUsers.indexOf(it.id);
      if (change === 'save' && at < 0) s.followedUsers.push(it.id);
      if (change === 'remove' && at >= 0) s.followedUsers.splice(at, 1);
    } else if (it.type === 'playlist') {
      const at = s.myPlaylists.indexOf(it.id);
      if (change === 'save' && at < 0) s.myPlaylists.unshift(it.id);
      if (change === 'remove' && at >= 0) s.myPlaylists.splice(at, 1);
    } else {
      const list = s.saved[listOf(it.type)].items();
      const at = list.findIndex((rec) => rec.uri === it.uri);
      if (change === 'save' && at < 0) list.unshift({ uri: it.uri, added_at: now });
      if (change === 'remove' && at >= 0) list.splice(at, 1);
    }
  }
  return noContent(200);
}

function contains(ctx: ApiContext) {
  const items = readUris(ctx, (t) => WRITABLE_TYPES.has(t) || t === 'artist');
  requireScope(ctx, 'user-library-read');
  if (items.some((it) => it.type === 'artist' || it.type === 'user') && !hasScope(ctx, 'user-follow-read'))
    throw new ApiError(403, 'Insufficient client scope');
  const s = ctx.store;
  const savedSets = new Map<string, Set<string>>();
  const savedSet = (type: string): Set<string> => {
    let set = savedSets.get(type);
    if (!set) {
      const list = s.saved[listOf(type)];
      set = new Set(list.slice(0, list.length).map((rec) => rec.uri));
      savedSets.set(type, set);
    }
    return set;
  };
  return json(
    200,
    items.map((it) => {
      if (it.type === 'artist') return s.followedArtists.includes(it.id);
      if (it.type === 'user') return s.followedUsers.includes(it.id);
      if (it.type === 'playlist') return s.myPlaylists.includes(it.id);
      return savedSet(it.type).has(it.uri);
    }),
  );
}

function listOf(type: string): keyof typeof SAVED {
  const entry = (Object.entries(SAVED) as [SavedList, string][]).find(([, t]) => t === type);
  if (!entry) throw new ApiError(400, `Unsupported uri type: ${type}`);
  return entry[0];
}

/** Followed artists ordered by id; the `after` cursor is the last id of the previous page. */
function following(ctx: ApiContext) {
  if (ctx.query.type === undefined) throw new ApiError(400, 'Missing parameter type');
  if (ctx.query.type !== 'artist') throw new ApiError(400, "type must be 'artist'");
  requireScope(ctx, 'user-follow-read');
  const limit = parseLimit(ctx.query, 20, 50);
  const after = ctx.query.after;
  const ids = [...ctx.store.followedArtists].sort();
  const rest = after ? ids.filter((id) => id > after) : ids;
  const page = rest.slice(0, limit);
  const more = rest.length > limit;
  const last = page[page.length - 1];
  const base = endpointUrl(ctx);
  const keep = otherParams(ctx.query, ['limit', 'after']);
  const c = ctx.store.catalogue;
  const artists: CursorPage<unknown> = {
    href: pageUrl(base, keep, { ...(after ? { after } : {}), limit }),
    items: page.map((id) => {
      const i = c.indexOf('artist', id);
      return i === undefined ? ctx.render.item(`spotify:artist:${id}`) : ctx.render.artist(c.artist(i));
    }),
    limit,
    next: more && last ? pageUrl(base, keep, { after: last, limit }) : null,
    // Spotify's followed-artists pages carry only the `after` cursor.
    cursors: { after: more && last ? last : null },
    total: ids.length,
  };
  return json(200, { artists });
}
