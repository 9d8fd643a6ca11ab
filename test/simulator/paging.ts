// Spotify's paging: offset pages {href, items, limit, next, offset, previous, total} with absolute URLs on the
// simulator, the limit/offset checks, and cursor pages {href, items, limit, next, cursors, total}.

import { ApiError } from './errors';

export interface OffsetPage<T> {
  href: string;
  items: T[];
  limit: number;
  next: string | null;
  offset: number;
  previous: string | null;
  total: number;
}

export interface CursorPage<T> {
  href: string;
  items: T[];
  limit: number;
  next: string | null;
  /** Spotify's: `after` (and on recently played `before`); null on an empty recently-played page. */
  cursors: { after: string | null; before?: string } | null;
  total: number;
}

const INT_RE = /^\d+$/;

/** limit in 1..max (default `def`); anything else is Spotify's 400 "Invalid limit". */
export function parseLimit(query: Record<string, string>, def: number, max: number): number {
  const raw = query.limit;
  if (raw === undefined || raw === '') return def;
  const n = INT_RE.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= max)) throw new ApiError(400, 'Invalid limit');
  return n;
}

export function parseOffset(query: Record<string, string>, max = Number.MAX_SAFE_INTEGER): number {
  const raw = query.offset;
  if (raw === undefined || raw === '') return 0;
  const n = INT_RE.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= max)) throw new ApiError(400, 'Invalid offset');
  return n;
}

/** A URL with these query parameters, keeping the caller's other parameters (market, fields, …) in order. */
export function pageUrl(base: string, keep: Record<string, string>, set: Record<string, string | number>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(keep)) if (!(k in set)) params.set(k, v);
  for (const [k, v] of Object.entries(set)) params.set(k, String(v));
  return `${base}?${params.toString()}`;
}

/**
 * An offset page over `total` entries; `slice(start, end)` yields the entries of this page (so a 50,000-entry
 * list is never copied). `base` is the endpoint's absolute URL, `keep` the caller's other query parameters.
 */
export function offsetPage<T>(
  base: string,
  keep: Record<string, string>,
  total: number,
  offset: number,
  limit: number,
  slice: (start: number, end: number) => T[],
): OffsetPage<T> {
  const items = offset < total ? slice(offset, Math.min(total, offset + limit)) : [];
  return {
    href: pageUrl(base, keep, { offset, limit }),
    items,
    limit,
    next: offset + limit < total ? pageUrl(base, keep, { offset: offset + limit, limit }) : null,
    offset,
    previous: offset > 0 ? pageUrl(base, keep, { offset: Math.max(0, offset - limit), limit }) : null,
    total,
  };
}

/** Without the paging parameters themselves, for `keep`. */
export function otherParams(query: Record<string, string>, drop: string[] = ['offset', 'limit']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (!drop.includes(k)) out[k] = v;
  return out;
}
