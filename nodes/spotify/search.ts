// GET /search for several types at once with the fewest requests: one request per offset serves every type
// (Spotify answers {tracks: page, albums: page, …}), pages of 10 (Spotify's 2026 maximum), to a depth of
// 1000, and later pages ask only for the types that still have results there.
import type { RequestCounter } from './http-client';
import { OPERATIONS } from './operations';
import { offsetPages, type OffsetPage } from './paging';
import type { SpotifyClient } from './spotify-client';

export const SEARCH_TYPES = ['album', 'artist', 'playlist', 'track', 'show', 'episode', 'audiobook'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** The key Spotify wraps each type's page in: track → tracks. */
export function resultKey(type: SearchType): string {
  return `${type}s`;
}

export interface SearchOptions {
  market?: string;
  /** Results per type (undefined: as deep as Spotify allows). */
  maxItems?: number;
  /** The first result to read, per type (default 0). */
  offset?: number;
  /** Also externally hosted audio among episodes (Spotify's `include_external=audio`). */
  includeExternal?: boolean;
  concurrency?: number;
  counter?: RequestCounter;
}

/** One answer's results, by type in the order asked, nulls (unavailable playlists) dropped. */
export interface SearchPage {
  offset: number;
  results: { type: SearchType; items: unknown[] }[];
}

export interface SearchRun {
  pages: AsyncIterable<SearchPage>;
  /** Spotify's totals by result key (tracks, albums, …), known once the first page has arrived. */
  readonly totals: Record<string, number>;
}

type Answer = Record<string, OffsetPage<unknown> | undefined>;
interface CombinedPage extends OffsetPage<unknown> {
  answer: Answer;
  asked: SearchType[];
}

export function searchPages(client: SpotifyClient, q: string, types: readonly SearchType[], opts: SearchOptions = {}): SearchRun {
  const op = OPERATIONS.search;
  const paging = op.paging;
  const totals: Record<string, number> = {};
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  const start = opts.offset ?? 0;
  const external = opts.includeExternal ? 'audio' : undefined;
  const fetchPage = async (offset: number, limit: number): Promise<CombinedPage> => {
    // After the first answer, types whose results end before this offset are left out of the request.
    const asked =
      offset === start || Object.keys(totals).length === 0 ? [...types] : types.filter((t) => (totals[resultKey(t)] ?? 0) > offset);
    const answer =
      (await client.call<Answer>(
        op,
        { query: { q, type: asked.join(','), market: opts.market, include_external: external, limit, offset } },
        opts.counter,
      )) ?? {};
    let covered = 0;
    let total = 0;
    for (const t of asked) {
      const page = answer[resultKey(t)];
      if (!page) continue;
      if (offset === start || totals[resultKey(t)] === undefined) totals[resultKey(t)] = page.total;
      covered = Math.max(covered, Array.isArray(page.items) ? page.items.length : 0);
      total = Math.max(total, page.total ?? 0);
    }
    // A stand-in page for the shared pager: as long as the longest type, as deep as the deepest type.
    return { items: new Array<null>(covered).fill(null), total, limit, offset, next: null, answer, asked };
  };
  const combined = offsetPages<unknown>(fetchPage, {
    pageLimit: paging.limit,
    maxOffset: paging.maxOffset,
    maxItems: opts.maxItems,
    concurrency: opts.concurrency,
    offset: start,
  });
  const pages = (async function* (): AsyncGenerator<SearchPage> {
    for await (const raw of combined) {
      const page = raw as CombinedPage;
      const results = page.asked.map((type) => {
        const items = page.answer[resultKey(type)]?.items ?? [];
        // Per type, only positions below the cap; Spotify's null entries are dropped.
        const keep = Math.max(0, Math.min(items.length, max - (page.offset - start)));
        return { type, items: items.slice(0, keep).filter((i) => i !== null && i !== undefined) };
      });
      yield { offset: page.offset, results };
    }
  })();
  return { pages, totals };
}
