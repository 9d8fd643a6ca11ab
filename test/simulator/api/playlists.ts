// Playlists: /me/playlists (list, create), /playlists/{id} (get, change details), /playlists/{id}/items
// (get, add, remove, replace/reorder) and /playlists/{id}/images. Writes are stateful; each change of the
// entries gives a new snapshot_id.

import { randomBytes } from 'node:crypto';
import { isoSeconds, ME, type PlaylistRecord } from '../data';
import { ApiError } from '../errors';
import { withFields } from '../fields';
import { json, jsonBody, noContent } from '../http';
import { parseUri } from '../ids';
import { LazyList } from '../lazy-list';
import { otherParams, offsetPage, parseLimit, parseOffset } from '../paging';
import type { SimPlaylistEntry } from '../types';
import { endpointUrl, requireId, requireScope, wantsEpisodes, type ApiContext } from './context';
import type { Router } from './router';
import { optionalBool, optionalString, toInt } from './values';

const MAX_URIS = 100;
const MAX_COVER_BYTES = 256 * 1024;

export function register(router: Router): void {
  router.add('GET', '/me/playlists', listMine);
  router.add('POST', '/me/playlists', create);
  router.add('GET', '/playlists/:id', getOne);
  router.add('PUT', '/playlists/:id', changeDetails);
  router.add('GET', '/playlists/:id/items', getItems);
  router.add('POST', '/playlists/:id/items', addItems);
  router.add('DELETE', '/playlists/:id/items', removeItems);
  router.add('PUT', '/playlists/:id/items', replaceOrReorder);
  router.add('GET', '/playlists/:id/images', getImages);
  router.add('PUT', '/playlists/:id/images', uploadCover);
}

function listMine(ctx: ApiContext) {
  requireScope(ctx, 'playlist-read-private');
  const limit = parseLimit(ctx.query, 20, 50);
  const offset = parseOffset(ctx.query);
  const ids = ctx.store.myPlaylists;
  return json(
    200,
    offsetPage(endpointUrl(ctx), otherParams(ctx.query), ids.length, offset, limit, (s, e) =>
      ids.slice(s, e).map((id) => {
        const p = id === null ? undefined : ctx.store.playlistMap.get(id);
        return p ? ctx.render.playlistSimple(p) : null;
      }),
    ),
  );
}

function create(ctx: ApiContext) {
  const body = jsonBody(ctx.req);
  const isPublic = optionalBool(body, 'public') ?? true;
  requireScope(ctx, isPublic ? 'playlist-modify-public' : 'playlist-modify-private');
  if (typeof body.name !== 'string' || body.name.trim() === '') throw new ApiError(400, 'Missing required field: name');
  const collaborative = optionalBool(body, 'collaborative') ?? false;
  if (collaborative && isPublic) throw new ApiError(400, 'You can only set collaborative to true on non-public playlists');
  const description = optionalString(body, 'description') ?? '';
  const p = ctx.store.addPlaylist(body.name, description, ctx.grant.userId, isPublic, collaborative, [], LazyList.of<SimPlaylistEntry>([]));
  ctx.store.myPlaylists.unshift(p.id); // newest first, as in the Spotify app
  return json(201, ctx.render.playlist(p, true, wantsEpisodes(ctx)), { location: `${ctx.apiUrl}/playlists/${p.id}` });
}

function getOne(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  return json(200, withFields(ctx.render.playlist(p, p.canEdit(ctx.grant.userId), wantsEpisodes(ctx)), ctx.query.fields));
}

function changeDetails(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  const body = jsonBody(ctx.req);
  requireModify(ctx, p);
  // Collaborators may edit the entries, not the name or visibility.
  if (p.owner.id !== ctx.grant.userId) throw new ApiError(403, 'Forbidden');
  const name = optionalString(body, 'name');
  const isPublic = optionalBool(body, 'public');
  const collaborative = optionalBool(body, 'collaborative');
  const description = optionalString(body, 'description');
  if (name !== undefined && name.trim() === '') throw new ApiError(400, 'Invalid name');
  if ((collaborative ?? p.collaborative) && (isPublic ?? p.public))
    throw new ApiError(400, 'You can only set collaborative to true on non-public playlists');
  if (name !== undefined) p.name = name;
  if (description !== undefined) p.description = description;
  if (isPublic !== undefined) p.public_ = isPublic;
  if (collaborative !== undefined) p.collaborative = collaborative;
  p.touch();
  return noContent(200);
}

function getItems(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  requireScope(ctx, 'playlist-read-private');
  // Since 2026 only the owner and collaborators can read a playlist's entries.
  if (!p.canEdit(ctx.grant.userId)) throw new ApiError(403, 'Forbidden');
  const limit = parseLimit(ctx.query, 20, 50);
  const offset = parseOffset(ctx.query);
  return json(200, withFields(ctx.render.playlistItems(p, otherParams(ctx.query), offset, limit, wantsEpisodes(ctx)), ctx.query.fields));
}

function addItems(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  const body = jsonBody(ctx.req);
  requireModify(ctx, p);
  const uris = urisFrom(body, ctx.query);
  if (!uris || uris.length === 0) throw new ApiError(400, 'No uris provided');
  const entries = newEntries(uris, ctx.grant.userId);
  const rawPosition = body.position ?? ctx.query.position;
  const position = rawPosition === undefined ? p.entries.length : toInt(rawPosition);
  if (position === undefined || position < 0 || position > p.entries.length) throw new ApiError(400, 'Index out of bounds');
  p.entries.items().splice(position, 0, ...entries);
  p.touch();
  return json(201, { snapshot_id: p.snapshot_id });
}

function removeItems(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  const body = jsonBody(ctx.req);
  requireModify(ctx, p);
  const list = body.items;
  if (!Array.isArray(list) || list.length === 0) throw new ApiError(400, 'Missing items');
  if (list.length > MAX_URIS) throw new ApiError(400, 'Too many ids requested');
  checkSnapshot(p, body.snapshot_id);
  const everywhere = new Set<string>();
  const atPositions = new Map<number, string>();
  for (const entry of list) {
    const uri = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).uri : undefined;
    if (typeof uri !== 'string') throw new ApiError(400, 'Missing uri');
    checkItemUri(uri, true);
    const positions = (entry as Record<string, unknown>).positions;
    if (Array.isArray(positions)) {
      for (const pos of positions) {
        const i = toInt(pos);
        if (i === undefined || i < 0 || i >= p.entries.length || p.entries.at(i).uri !== uri) throw new ApiError(400, 'Invalid position');
        atPositions.set(i, uri);
      }
    } else everywhere.add(uri);
  }
  if (p.entries.retain((e, i) => !everywhere.has(e.uri) && !atPositions.has(i)) > 0) p.touch();
  return json(200, { snapshot_id: p.snapshot_id });
}

function replaceOrReorder(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  const body = jsonBody(ctx.req);
  requireModify(ctx, p);
  if (body.range_start !== undefined) {
    checkSnapshot(p, body.snapshot_id);
    const len = p.entries.length;
    const start = toInt(body.range_start);
    const before = toInt(body.insert_before);
    const count = body.range_length === undefined ? 1 : toInt(body.range_length);
    if (
      start === undefined ||
      before === undefined ||
      count === undefined ||
      start < 0 ||
      count < 1 ||
      start + count > len ||
      before < 0 ||
      before > len
    ) {
      throw new ApiError(400, 'Index out of bounds');
    }
    if (before < start || before > start + count) {
      const arr = p.entries.items();
      const block = arr.splice(start, count);
      arr.splice(before > start ? before - count : before, 0, ...block);
      p.touch();
    }
    return json(200, { snapshot_id: p.snapshot_id });
  }
  const uris = urisFrom(body, ctx.query);
  if (uris === undefined) throw new ApiError(400, 'Missing uris');
  // The version the client looked at: a replace meant for a version the playlist never had is refused.
  checkSnapshot(p, body.snapshot_id);
  p.entries.replace(newEntries(uris, ctx.grant.userId));
  p.touch();
  return json(200, { snapshot_id: p.snapshot_id });
}

function getImages(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  return json(200, p.images);
}

function uploadCover(ctx: ApiContext) {
  const p = findPlaylist(ctx);
  requireScope(ctx, 'ugc-image-upload');
  requireModify(ctx, p);
  if (p.owner.id !== ctx.grant.userId) throw new ApiError(403, 'Forbidden');
  // The limit is on the base64 payload itself.
  if (ctx.req.body.length > MAX_COVER_BYTES) throw new ApiError(413, 'Payload too large');
  const text = ctx.req.body.toString('latin1').replace(/\s+/g, '');
  if (text === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new ApiError(400, 'Bad image data: expected base64');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < 3 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff)
    throw new ApiError(400, 'Bad image data: expected a JPEG');
  p.uploadedCover = [
    { url: `https://image-cdn-ak.spotifycdn.com/image/ab67706c0000da84${randomBytes(12).toString('hex')}`, height: null, width: null },
  ];
  return noContent(202);
}

// ---- helpers ----

function findPlaylist(ctx: ApiContext): PlaylistRecord {
  const id = requireId(ctx.params.id);
  const p = ctx.store.playlistMap.get(id);
  if (!p) throw new ApiError(404, 'Resource not found');
  return p;
}

/** Scope by the playlist's visibility, then the 2026 rule: only the owner and collaborators write. */
function requireModify(ctx: ApiContext, p: PlaylistRecord): void {
  requireScope(ctx, p.public ? 'playlist-modify-public' : 'playlist-modify-private');
  if (!p.canEdit(ctx.grant.userId)) throw new ApiError(403, 'Forbidden');
}

function checkSnapshot(p: PlaylistRecord, snapshot: unknown): void {
  if (snapshot === undefined) return;
  if (typeof snapshot !== 'string' || !p.snapshots.has(snapshot)) throw new ApiError(400, 'Invalid snapshot id');
}

/** `{uris:[…]}` in the body, else `?uris=a,b`. undefined when neither is given. */
function urisFrom(body: Record<string, unknown>, query: Record<string, string>): string[] | undefined {
  if (body.uris !== undefined) {
    if (!Array.isArray(body.uris) || body.uris.some((u) => typeof u !== 'string'))
      throw new ApiError(400, 'uris must be an array of strings');
    return body.uris as string[];
  }
  if (query.uris !== undefined) return query.uris.split(',').filter(Boolean);
  return undefined;
}

function newEntries(uris: string[], userId: string): SimPlaylistEntry[] {
  if (uris.length > MAX_URIS) throw new ApiError(400, 'Too many ids requested');
  const addedAt = isoSeconds(Date.now());
  return uris.map((uri) => {
    checkItemUri(uri, false);
    return { uri, added_at: addedAt, added_by: userId || ME, is_local: false };
  });
}

/** Tracks and episodes only; local files can be removed but not added through the API. */
function checkItemUri(uri: string, allowLocal: boolean): void {
  const parsed = parseUri(uri);
  if (parsed === 'bad-id') throw new ApiError(400, 'Invalid base62 id');
  if (parsed === 'bad-uri' || !(parsed.type === 'track' || parsed.type === 'episode' || (allowLocal && parsed.type === 'local'))) {
    throw new ApiError(400, `Invalid track uri: ${uri}`);
  }
}
