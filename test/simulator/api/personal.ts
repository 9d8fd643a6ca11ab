// Listening history: /me/player/recently-played (cursor paging on unix-ms timestamps) and /me/top/{type}.

import { ApiError } from '../errors';
import { json } from '../http';
import { offsetPage, otherParams, pageUrl, parseLimit, parseOffset, type CursorPage } from '../paging';
import { permutation } from '../prng';
import type { SimPlay } from '../types';
import { endpointUrl, requireScope, type ApiContext } from './context';
import type { Router } from './router';

const TIME_RANGES = ['short_term', 'medium_term', 'long_term'];
const TOP_SIZE = 50;

export function register(router: Router): void {
  router.add('GET', '/me/player/recently-played', recentlyPlayed);
  router.add('GET', '/me/top/:type', top);
}

function recentlyPlayed(ctx: ApiContext) {
  requireScope(ctx, 'user-read-recently-played');
  const limit = parseLimit(ctx.query, 20, 50);
  const after = cursor(ctx.query.after, 'after');
  const before = cursor(ctx.query.before, 'before');
  if (after !== undefined && before !== undefined) throw new ApiError(400, 'Only one of after or before may be given');
  const plays = ctx.store.playLog; // oldest first

  let candidates: SimPlay[];
  let page: SimPlay[];
  if (after !== undefined) {
    // The plays right after the cursor, so that paging forward with `after` misses none.
    candidates = plays.filter((p) => p.played_at_ms > after);
    page = candidates.slice(0, limit);
  } else {
    candidates = before === undefined ? plays : plays.filter((p) => p.played_at_ms < before);
    page = candidates.slice(Math.max(0, candidates.length - limit));
  }
  page = [...page].reverse(); // newest first
  const more = candidates.length > limit;
  const base = endpointUrl(ctx);
  const keep = otherParams(ctx.query, ['limit', 'after', 'before']);
  const newest = page[0]?.played_at_ms;
  const oldest = page[page.length - 1]?.played_at_ms;
  let next: string | null = null;
  if (more && after !== undefined && newest !== undefined) next = pageUrl(base, keep, { after: newest, limit });
  if (more && after === undefined && oldest !== undefined) next = pageUrl(base, keep, { before: oldest, limit });
  const answer: CursorPage<unknown> = {
    href: pageUrl(base, keep, { ...(after !== undefined ? { after } : {}), ...(before !== undefined ? { before } : {}), limit }),
    items: page.map((p) => ({ track: ctx.render.item(p.uri), played_at: p.played_at, context: ctx.render.context(p.context_uri) })),
    limit,
    next,
    // An empty page has no cursors at all (observed: cursors null, not cursors of nulls).
    cursors: newest === undefined || oldest === undefined ? null : { after: String(newest), before: String(oldest) },
    total: candidates.length,
  };
  return json(200, answer);
}

function cursor(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new ApiError(400, `Invalid ${name} cursor`);
  return Number(raw);
}

function top(ctx: ApiContext) {
  const type = ctx.params.type;
  if (type !== 'artists' && type !== 'tracks') throw new ApiError(404, 'Service not found');
  requireScope(ctx, 'user-top-read');
  const range = ctx.query.time_range ?? 'medium_term';
  if (!TIME_RANGES.includes(range)) throw new ApiError(400, 'Invalid time range');
  const limit = parseLimit(ctx.query, 20, 50);
  const offset = parseOffset(ctx.query);
  const c = ctx.store.catalogue;
  const kind = type === 'artists' ? 'artist' : 'track';
  const perm = permutation(c.count(kind), ctx.store.seed, 'top', kind, range);
  return json(
    200,
    offsetPage(endpointUrl(ctx), otherParams(ctx.query), TOP_SIZE, offset, limit, (s, e) => {
      const out: unknown[] = [];
      for (let i = s; i < e; i++) out.push(ctx.render.full(c.get(kind, perm(i))));
      return out;
    }),
  );
}
