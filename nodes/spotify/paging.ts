// Reading lists of any length with the fewest requests Spotify's page limits allow: the first page tells the
// total, the rest are fetched with bounded concurrency and yielded in order, holding only a window in memory.

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
}

export const DEFAULT_PAGE_CONCURRENCY = 4;

export async function* offsetPages<T>(
  fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
  opts: OffsetPagingOptions,
): AsyncGenerator<OffsetPage<T>> {
  const start = opts.offset ?? 0;
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  if (max <= 0) return;
  const first = await fetchPage(start, Math.min(opts.pageLimit, max));
  yield first;
  const end = Math.min(first.total, start + max, opts.maxOffset === undefined ? Infinity : opts.maxOffset + opts.pageLimit);
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

/** Follows `next` links one by one (cursor paging cannot be parallelised). */
export async function* cursorPages<T>(
  fetchPage: (next: string | undefined) => Promise<CursorPage<T>>,
  opts: { maxItems?: number },
): AsyncGenerator<CursorPage<T>> {
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  let seen = 0;
  let next: string | undefined;
  do {
    const page = await fetchPage(next);
    seen += page.items.length;
    yield page;
    next = page.next ?? undefined;
    if (page.items.length === 0) break;
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
