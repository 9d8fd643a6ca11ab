// Watching lists cheaply: read only what is new since the last look (recently played after a cursor; saved
// items newest first down to the first one already seen; playlist items only when the snapshot_id moved), and
// tell exactly what was added or removed. Knows nothing about Node-RED: the state goes in and comes out.
import { AuthorizationError, SpotifyApiError } from './errors';
import type { RequestCounter } from './http-client';
import { OPERATIONS } from './operations';
import { PageBudget } from './paging';
import type { SpotifyClient } from './spotify-client';
import { PLAYLIST_ENTRY_FIELDS } from './playlist-entries';
import { WITH_EPISODES } from './item-types';
import { say } from './words';

// ---- recently played ----

export interface PlayHistory {
  played_at: string;
  track?: { uri?: string; name?: string } | null;
  context?: unknown;
  [key: string]: unknown;
}

export function playedAtMs(p: PlayHistory): number {
  const t = Date.parse(p.played_at);
  return Number.isFinite(t) ? t : 0;
}

/** Spotify's page limit for recently played, and how many pages one poll follows at most. */
const PLAYS_PAGE = 50;
const MAX_PLAY_PAGES = 20;

/** The latest plays, newest first (Spotify's order), at most `limit`, before or after a time (Unix ms): Spotify
 *  takes one of the two. */
export async function readRecentPlays(
  client: SpotifyClient,
  query: { limit: number; after?: number; before?: number },
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<PlayHistory[]> {
  const page = await client.call<{ items?: (PlayHistory | null)[] }>(OPERATIONS.recentlyPlayed, { query, signal }, counter);
  return (page?.items ?? []).filter((p): p is PlayHistory => !!p && typeof p.played_at === 'string');
}

/**
 * Plays newer than `after` (Unix ms), oldest first, and the cursor that follows them. With no cursor yet (the
 * first run) the latest 50 plays come back. Spotify's `after` pages forward from the cursor, so a backlog of
 * more than 50 is read page by page and nothing in between is skipped; `enough` stops the reading once that
 * many were found (the caller takes the oldest and leaves the rest to the next run).
 */
export async function readNewPlays(
  client: SpotifyClient,
  after: number | undefined,
  counter: RequestCounter,
  signal?: AbortSignal,
  enough: number = Number.POSITIVE_INFINITY,
): Promise<{ plays: PlayHistory[]; after: number }> {
  const found = new Map<string, PlayHistory>();
  let cursor = after;
  for (let page = 0; page < MAX_PLAY_PAGES; page++) {
    const body = await client.call<{ items?: PlayHistory[] }>(
      OPERATIONS.recentlyPlayed,
      { query: { limit: PLAYS_PAGE, after: cursor }, signal },
      counter,
    );
    const items = (body?.items ?? []).filter((p) => p && typeof p.played_at === 'string');
    const fresh = cursor === undefined ? items : items.filter((p) => playedAtMs(p) > (cursor as number));
    for (const p of fresh) found.set(`${p.played_at} ${p.track?.uri ?? ''}`, p);
    if (after === undefined || fresh.length < PLAYS_PAGE || found.size >= enough) break;
    cursor = Math.max(...fresh.map(playedAtMs));
  }
  const plays = [...found.values()].sort((a, b) => playedAtMs(a) - playedAtMs(b));
  const newest = plays.length > 0 ? playedAtMs(plays[plays.length - 1]) : undefined;
  return { plays, after: Math.max(newest ?? 0, after ?? 0) };
}

// ---- playlists ----

export interface PlaylistEntry {
  added_at?: string | null;
  added_by?: unknown;
  is_local?: boolean;
  /** Since 2026 the entry's object is `item`; `track` is the deprecated duplicate. */
  item?: { uri?: string; name?: string } | null;
  track?: { uri?: string; name?: string } | null;
  [key: string]: unknown;
}

export interface PlaylistDiff {
  /** Entries that are new, in playlist order (when a uri is there more often than before, the newest copies). */
  added: PlaylistEntry[];
  /** One `{uri}` per copy that went away, in the old order. */
  removed: { uri: string }[];
}

export function entryUri(e: PlaylistEntry | null | undefined): string | undefined {
  const obj = e?.item ?? e?.track;
  return obj && typeof obj.uri === 'string' ? obj.uri : undefined;
}

/** What changed from the uris seen before to the entries now, as multisets: a second copy of a track counts. */
export function diffPlaylist(before: readonly string[], entries: readonly PlaylistEntry[]): PlaylistDiff {
  const oldCount = new Map<string, number>();
  for (const uri of before) oldCount.set(uri, (oldCount.get(uri) ?? 0) + 1);
  const byUri = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const uri = entryUri(e);
    if (uri === undefined) return;
    const list = byUri.get(uri);
    if (list) list.push(i);
    else byUri.set(uri, [i]);
  });
  const addedAt = (i: number): number => {
    const t = Date.parse(entries[i].added_at ?? '');
    return Number.isFinite(t) ? t : 0;
  };
  const addedIndexes: number[] = [];
  for (const [uri, positions] of byUri) {
    const extra = positions.length - (oldCount.get(uri) ?? 0);
    if (extra <= 0) continue;
    // The copies added last are the new ones (ties: the later position).
    const newestFirst = [...positions].sort((a, b) => addedAt(b) - addedAt(a) || b - a);
    addedIndexes.push(...newestFirst.slice(0, extra));
  }
  addedIndexes.sort((a, b) => a - b);
  const gone = new Map<string, number>();
  for (const [uri, count] of oldCount) {
    const missing = count - (byUri.get(uri)?.length ?? 0);
    if (missing > 0) gone.set(uri, missing);
  }
  const removed: { uri: string }[] = [];
  for (const uri of before) {
    const left = gone.get(uri);
    if (!left) continue;
    removed.push({ uri });
    gone.set(uri, left - 1);
  }
  return { added: addedIndexes.map((i) => entries[i]), removed };
}

export interface PlaylistSnapshot {
  snapshot_id: string;
  name?: string;
}

/** One small request: the playlist's version (and name, for messages and status). */
export async function readSnapshot(
  client: SpotifyClient,
  playlistId: string,
  counter?: RequestCounter,
  signal?: AbortSignal,
): Promise<PlaylistSnapshot> {
  const body = await client.call<Partial<PlaylistSnapshot>>(
    OPERATIONS.playlist,
    { params: { playlist_id: playlistId }, query: { fields: 'snapshot_id,name' }, signal },
    counter,
  );
  if (!body || typeof body.snapshot_id !== 'string') throw new Error(say('playlist.noSnapshot', { id: playlistId }));
  return { snapshot_id: body.snapshot_id, name: typeof body.name === 'string' ? body.name : undefined };
}

/**
 * Snapshots of several playlists with the fewest requests. The user's own list (/me/playlists, 50 a page)
 * carries the snapshot_id of every playlist they own or follow, so watching several of those costs one page
 * per 50 playlists instead of one request each. Used only when that is cheaper; playlists not found there are
 * left out of the answer (the caller reads them one by one).
 */
export async function readSnapshots(
  client: SpotifyClient,
  ids: readonly string[],
  counter: RequestCounter,
  opts: { signal?: AbortSignal; concurrency?: number } = {},
): Promise<Map<string, PlaylistSnapshot>> {
  const found = new Map<string, PlaylistSnapshot>();
  const wanted = new Set(ids);
  const pageLimit = OPERATIONS.myPlaylists.paging.limit;
  const pages = client.pages<{ id?: unknown; snapshot_id?: unknown; name?: unknown }>(
    OPERATIONS.myPlaylists,
    { signal: opts.signal },
    { concurrency: opts.concurrency },
    counter,
  );
  for await (const page of pages) {
    for (const p of page.items) {
      if (p && typeof p.id === 'string' && wanted.has(p.id) && typeof p.snapshot_id === 'string') {
        found.set(p.id, { snapshot_id: p.snapshot_id, name: typeof p.name === 'string' ? p.name : undefined });
      }
    }
    // More pages than watched playlists: one request each is cheaper. Stop once every one is found.
    if (found.size === wanted.size || Math.ceil((page.total ?? 0) / pageLimit) >= wanted.size) break;
  }
  return found;
}

/** readSnapshots for two or more playlists; without the scope to read the user's list, none (each is then read
 *  on its own). */
export async function readSnapshotsIfCheaper(
  client: SpotifyClient,
  ids: readonly string[],
  counter: RequestCounter,
  opts: { signal?: AbortSignal; concurrency?: number } = {},
): Promise<Map<string, PlaylistSnapshot>> {
  if (ids.length < 2) return new Map();
  try {
    return await readSnapshots(client, ids, counter, opts);
  } catch (err) {
    if (err instanceof AuthorizationError && err.code === 'missing_scope') return new Map();
    throw err;
  }
}

/** A refusal about one playlist (not found, not yours): the others can still be watched. Rate limits,
 *  authorization and network failures concern every playlist. */
export function concernsOnePlaylist(err: unknown): boolean {
  return (
    err instanceof SpotifyApiError &&
    err.status !== undefined &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 401 &&
    err.status !== 429
  );
}

/** Every entry of the playlist, all pages, in order. */
export async function readEntries(
  client: SpotifyClient,
  playlistId: string,
  counter: RequestCounter,
  opts: { signal?: AbortSignal; concurrency?: number } = {},
): Promise<PlaylistEntry[]> {
  const entries: PlaylistEntry[] = [];
  const listing = client.list<PlaylistEntry>(
    OPERATIONS.playlistItems,
    { params: { playlist_id: playlistId }, query: { fields: PLAYLIST_ENTRY_FIELDS, ...WITH_EPISODES }, signal: opts.signal },
    { concurrency: opts.concurrency },
    counter,
  );
  for await (const e of listing) entries.push(e);
  return entries;
}

// ---- saved items ----

export const SAVED_TYPES = ['tracks', 'albums', 'shows', 'episodes', 'audiobooks'] as const;
export type SavedType = (typeof SAVED_TYPES)[number];
const SAVED_KEY: Record<SavedType, string> = {
  tracks: 'track',
  albums: 'album',
  shows: 'show',
  episodes: 'episode',
  audiobooks: 'audiobook',
};

export interface SavedItem {
  added_at: string;
  [key: string]: unknown;
}

/** How far the library has been read: the newest `added_at` seen and the uris saved at that very second
 *  (Spotify's `added_at` has whole seconds, so several saves can share it). Empty `newestAt`: nothing yet. */
export interface SavedMark {
  newestAt: string;
  uris: string[];
}

export function savedUri(item: SavedItem, type: SavedType): string | undefined {
  const obj = item[SAVED_KEY[type]] as { uri?: unknown } | null | undefined;
  return obj && typeof obj.uri === 'string' ? obj.uri : undefined;
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

/** The first request asks for this many: enough to see that nothing is new, small enough to be cheap. */
export const SAVED_FIRST_PAGE = 10;
const SAVED_PAGE = 50;

/**
 * Items saved since `mark`, oldest first, and the new mark. Reads newest first and stops at the first item
 * already seen, so when nothing is new one request with a small limit is the whole cost. Without a mark (the
 * first run) only the first page is read: those are "the current state", and the mark starts there.
 */
export async function readNewSaved(
  client: SpotifyClient,
  type: SavedType,
  mark: SavedMark | undefined,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<{ items: SavedItem[]; mark: SavedMark }> {
  const markTime = mark && mark.newestAt ? timeOf(mark.newestAt) : undefined;
  const seenAtMark = new Set(mark?.uris ?? []);
  const isSeen = (item: SavedItem, uri: string): boolean =>
    markTime !== undefined && (timeOf(item.added_at) < markTime || (timeOf(item.added_at) === markTime && seenAtMark.has(uri)));

  const fresh = new Map<string, SavedItem>(); // by uri: the list shifts down when saves land while reading
  let offset = 0;
  let limit = SAVED_FIRST_PAGE;
  const budget = new PageBudget(client.maxPages);
  for (;;) {
    budget.take();
    const page = await client.call<{ items?: (SavedItem | null)[]; total?: number; next?: string | null }>(
      OPERATIONS.savedItems,
      { params: { type }, query: { limit, offset }, signal },
      counter,
    );
    const items = page?.items ?? [];
    let reachedSeen = false;
    for (const item of items) {
      if (!item || typeof item.added_at !== 'string') continue;
      const uri = savedUri(item, type);
      if (uri === undefined) continue;
      if (isSeen(item, uri)) {
        reachedSeen = true;
        break;
      }
      if (!fresh.has(uri)) fresh.set(uri, item);
    }
    offset += items.length;
    if (!mark || reachedSeen || items.length < limit || !page?.next || !budget.goOn({ items, total: page.total }, offset)) break;
    limit = SAVED_PAGE;
  }

  // Read newest first; reversed, then a stable sort keeps saves of the same second in the order they happened.
  const items = [...fresh.values()].reverse().sort((a, b) => timeOf(a.added_at) - timeOf(b.added_at));
  return { items, mark: advanceMark(mark, items, type) };
}

/** The latest `limit` saved items (at most one page of 50), newest first: Spotify's order. */
export async function readLatestSaved(
  client: SpotifyClient,
  type: SavedType,
  limit: number,
  counter: RequestCounter,
  signal?: AbortSignal,
): Promise<SavedItem[]> {
  const page = await client.call<{ items?: (SavedItem | null)[] }>(
    OPERATIONS.savedItems,
    { params: { type }, query: { limit: Math.min(limit, SAVED_PAGE) }, signal },
    counter,
  );
  return (page?.items ?? []).filter((item): item is SavedItem => !!item && typeof item.added_at === 'string');
}

function advanceMark(mark: SavedMark | undefined, items: readonly SavedItem[], type: SavedType): SavedMark {
  let newestAt = mark?.newestAt ?? '';
  let uris = [...(mark?.uris ?? [])];
  for (const item of items) {
    const uri = savedUri(item, type) as string;
    const t = timeOf(item.added_at);
    const current = newestAt ? timeOf(newestAt) : -Infinity;
    if (t > current) {
      newestAt = item.added_at;
      uris = [uri];
    } else if (t === current && !uris.includes(uri)) uris.push(uri);
  }
  return { newestAt, uris };
}
