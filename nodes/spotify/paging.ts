// Reading lists of any length with the fewest requests Spotify's page limits allow: the first page tells the
// total, the rest are fetched with bounded concurrency and yielded in order, holding only a window in memory.
import { say } from './words';

export interface OffsetPage<T> {
  items: (T | null)[];
  total: number;
  limit: number;
  offset: number;
  next: string | null;
}

export interface CursorPage<T> {
  items: T[];
  next: string | null;
  cursors?: { after?: string | null; before?: string | null } | null;
  total?: number;
}

export interface OffsetPagingOptions {
  /** Spotify's page limit for this endpoint (50, or 10 for search). */
  pageLimit: number;
  /** Stop after this many items (undefined: all). */
  maxItems?: number;
  /** Pages in flight at once after the first. */
  concurrency?: number;
  /** First offset to read. */
  offset?: number;
  /** Spotify refuses offsets beyond this (search: 1000). */
  maxOffset?: number;
  /** At most this many pages (default DEFAULT_MAX_PAGES). */
  maxPages?: number;
}

export const DEFAULT_PAGE_CONCURRENCY = 4;
/** Pages one listing may take (50,000 items at Spotify's 50 a page): an upstream that never stops sending
 *  `next` must not keep a node reading, and its memory growing, for ever. */
export const DEFAULT_MAX_PAGES = 1000;

/** A listing needed more pages than the runtime setting `maxPages` allows. */
export class PageCapError extends Error {
  constructor(maxPages: number, needed?: number) {
    super(needed === undefined ? say('paging.capWentOn', { max: maxPages }) : say('paging.capNeeds', { needed, max: maxPages }));
    this.name = 'PageCapError';
  }
}

/** The paging rule every mode follows (offset pages, cursor pages, a request node's `next` links): at most
 *  `maxPages` pages, and none once the items read reach the total the first page announced. */
export class PageBudget {
  private read = 0;
  private total: number | undefined;
  constructor(private readonly maxPages: number) {}

  /** Before fetching a page. */
  take(): void {
    if (++this.read > this.maxPages) throw new PageCapError(this.maxPages);
  }

  /** After a page: false when reading on is pointless (its `total` is reached, or it was empty). */
  goOn(page: { items: unknown[]; total?: unknown }, seen: number): boolean {
    if (this.total === undefined && typeof page.total === 'number' && Number.isFinite(page.total)) this.total = page.total;
    return page.items.length > 0 && (this.total === undefined || seen < this.total);
  }
}

export async function* offsetPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
  opts: OffsetPagingOptions,
): AsyncGenerator<OffsetPage<T>> {
  const start = opts.offset ?? 0;
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  if (max <= 0) return;
  const first = await fetchPage(start, Math.min(opts.pageLimit, max));
  const end = Math.min(first.total, start + max, opts.maxOffset === undefined ? Infinity : opts.maxOffset + opts.pageLimit);
  // Known from the first page: refuse before planning millions of offsets for an absurd total.
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const needed = 1 + Math.max(0, Math.ceil((end - start - first.items.length) / opts.pageLimit));
  if (first.items.length > 0 && needed > maxPages) throw new PageCapError(maxPages, needed);
  yield first;
  const offsets: { offset: number; limit: number }[] = [];
  for (let o = start + first.items.length; o < end && first.items.length > 0; o += opts.pageLimit) {
    if (opts.maxOffset !== undefined && o > opts.maxOffset) break;
    offsets.push({ offset: o, limit: Math.min(opts.pageLimit, end - o) });
  }
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_PAGE_CONCURRENCY);
  const inFlight: Promise<OffsetPage<T>>[] = [];
  let nextIndex = 0;
  const launch = (): void => {
    const p = offsets[nextIndex++];
    const promise = fetchPage(p.offset, p.limit);
    promise.catch(() => undefined); // rejections surface when awaited in order below
    inFlight.push(promise);
  };
  while (nextIndex < offsets.length && inFlight.length < concurrency) launch();
  while (inFlight.length > 0) {
    const page = await (inFlight.shift() as Promise<OffsetPage<T>>);
    if (nextIndex < offsets.length) launch();
    yield page;
    if (page.items.length === 0) break; // the list shrank while reading
  }
}

/** Follows `next` links one by one (cursor paging cannot be parallelised), under the PageBudget rule. */
export async function* cursorPages<T>(
  fetchPage: (next: string | undefined) => Promise<CursorPage<T>>,
  opts: { maxItems?: number; maxPages?: number },
): AsyncGenerator<CursorPage<T>> {
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  const budget = new PageBudget(opts.maxPages ?? DEFAULT_MAX_PAGES);
  let seen = 0;
  let next: string | undefined;
  do {
    budget.take();
    const page = await fetchPage(next);
    seen += page.items.length;
    yield page;
    next = page.next ?? undefined;
    if (!budget.goOn(page, seen)) break;
  } while (next && seen < max);
}

/** Items of the pages, in order, at most `maxItems`, skipping the null entries Spotify sometimes sends. */
export async function* itemsOf<T>(pages: AsyncIterable<{ items: (T | null)[] }>, maxItems?: number): AsyncGenerator<T> {
  let left = maxItems ?? Number.POSITIVE_INFINITY;
  for await (const page of pages) {
    for (const item of page.items) {
      if (left <= 0) return;
      left--;
      if (item !== null && item !== undefined) yield item;
    }
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
