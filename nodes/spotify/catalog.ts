// Catalogue reads for a new app: one item per request (the "get several" batch GETs are gone), run a few at
// a time, results kept in input order; an item Spotify does not know fails alone, anything else fails all.
import { SpotifyApiError } from './errors';
import type { RequestCounter } from './http-client';
import type { SpotifyRef } from './ids';
import { OPERATIONS, type Operation } from './operations';
import type { SpotifyClient } from './spotify-client';
import { say } from './words';

export const CATALOG_TYPES = ['track', 'album', 'artist', 'show', 'episode', 'audiobook', 'chapter'] as const;
export type CatalogType = (typeof CATALOG_TYPES)[number];

export const ITEM_OPERATIONS: Record<CatalogType, Operation> = {
  track: OPERATIONS.track,
  album: OPERATIONS.album,
  artist: OPERATIONS.artist,
  show: OPERATIONS.show,
  episode: OPERATIONS.episode,
  audiobook: OPERATIONS.audiobook,
  chapter: OPERATIONS.chapter,
};

/** The catalogue reads and saved-item lists Spotify documents `market` on: not GET /artists/{id}, /me/shows
 *  or /me/audiobooks, where it would be an undeclared parameter. */
const TAKES_MARKET: ReadonlySet<string> = new Set([
  'track',
  'album',
  'show',
  'episode',
  'audiobook',
  'chapter',
  'tracks',
  'albums',
  'episodes',
]);

/** The `market` query for a read of this catalogue type (`artist`) or saved list (`shows`), where Spotify takes one. */
export function marketQuery(type: string, market: string | undefined): { market?: string } {
  return market && TAKES_MARKET.has(type) ? { market } : {};
}

/** The listing that reads what each container holds. */
export const CONTENT_TYPES = ['album', 'artist', 'show', 'audiobook'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
export const CONTENT_OPERATIONS: Record<ContentType, { op: Operation }> = {
  album: { op: OPERATIONS.albumTracks },
  artist: { op: OPERATIONS.artistAlbums },
  show: { op: OPERATIONS.showEpisodes },
  audiobook: { op: OPERATIONS.audiobookChapters },
};

/** What an artist's albums may be limited to (Spotify's `include_groups`; none: all of them). */
export const ALBUM_GROUPS = ['album', 'single', 'appears_on', 'compilation'] as const;

export interface ItemFailure {
  index: number;
  uri: string;
  status: number | null;
  message: string;
  error: Error;
}

export interface LookupResult<T> {
  /** In input order; null where the lookup failed. */
  items: (T | null)[];
  failed: ItemFailure[];
}

/** 400 (malformed id) and 404 (unknown id) concern one item; other failures (authorization, rate limit,
 *  Spotify down) would hit every item, so they fail the whole lookup. */
function isItemFailure(err: unknown): err is SpotifyApiError {
  return err instanceof SpotifyApiError && (err.status === 400 || err.status === 404);
}

export async function getItems<T = unknown>(
  client: SpotifyClient,
  refs: readonly SpotifyRef[],
  opts: { concurrency: number; market?: string; counter?: RequestCounter },
): Promise<LookupResult<T>> {
  const items: (T | null)[] = new Array<T | null>(refs.length).fill(null);
  const failed: ItemFailure[] = [];
  await mapBounded(refs, opts.concurrency, async (ref, index) => {
    const op = ITEM_OPERATIONS[ref.type as CatalogType];
    if (ref.local || !op) {
      const error = new Error(say('catalog.localFile', { uri: ref.uri }));
      failed.push({ index, uri: ref.uri, status: null, message: error.message, error });
      return;
    }
    try {
      items[index] = await client.call<T>(op, { params: { id: ref.id }, query: marketQuery(ref.type, opts.market) }, opts.counter);
    } catch (err) {
      if (!isItemFailure(err)) throw err;
      failed.push({ index, uri: ref.uri, status: err.status ?? null, message: err.message, error: err });
    }
  });
  failed.sort((a, b) => a.index - b.index);
  return { items, failed };
}

/** Runs `fn` over `items` with at most `limit` at once; the first failure stops new starts and is thrown. */
export async function mapBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        await fn(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}
