// Any Web API call a node does not cover: the path checked to stay on the configured API base (the access
// token must never leave for another host), what the operation table knows about it applied, and paging
// objects ({items, next}) followed to the end when asked. Knows nothing about Node-RED.
import { ForeignLinkError, pathUnderApi } from './api-links';
import { InputError, reason } from './errors';
import { expectText } from './words';
import type { HttpMethod, QueryValue, RequestCounter, SpotifyHttpClient } from './http-client';
import { OPERATIONS, type Operation } from './operations';
import { DEFAULT_MAX_PAGES, PageBudget } from './paging';
import type { SpotifyClient } from './spotify-client';

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];
const MAX_PATH_CHARS = 4000;

/**
 * A path relative to the API base ("/me/top/tracks", "me/top/tracks", with or without a query string), or an
 * absolute URL under the API base (a `next` link). Returns the path relative to the base. Anything that
 * resolves outside the base is refused (the rule lives in api-links.ts).
 */
export function apiPath(value: unknown, apiUrl: string, field: string): string {
  const expected = (): string => expectText('request.path', { base: `${apiUrl}/` });
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_PATH_CHARS) throw new InputError(field, expected(), value);
  try {
    return pathUnderApi(value.trim(), apiUrl);
  } catch (err) {
    if (err instanceof ForeignLinkError) throw new InputError(field, expectText('request.foreign', { path: expected() }), value);
    throw err;
  }
}

/** Query values: text, numbers, booleans, or lists of them (sent comma-separated, as Spotify expects). */
export function queryObject(value: unknown, field: string): Record<string, QueryValue> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InputError(field, expectText('request.query'), value);
  const out: Record<string, QueryValue> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'))
      out[key] = v.join(',');
    else throw new InputError(`${field}.${key}`, expectText('request.queryValue'), v);
  }
  return out;
}

export function requestMethod(value: unknown, field: string): HttpMethod {
  const m = typeof value === 'string' ? value.trim().toUpperCase() : value;
  if (typeof m === 'string' && (HTTP_METHODS as readonly string[]).includes(m)) return m as HttpMethod;
  throw new InputError(field, expectText('oneOf', { values: HTTP_METHODS.join(', ') }), value);
}

/** A JSON object or array that JSON.stringify can write (not nested past its stack, no throwing getters, no
 *  BigInt, no cycles); none for GET. Undefined when there is none. */
export function requestBody(value: unknown, method: HttpMethod, field: string): object | undefined {
  if (value === undefined || value === null) return undefined;
  if (method === 'GET') throw new InputError(field, expectText('request.noBody'), value);
  if (typeof value !== 'object' || Buffer.isBuffer(value)) throw new InputError(field, expectText('request.body'), value);
  try {
    JSON.stringify(value);
  } catch (err) {
    throw new InputError(field, expectText('request.bodyJson', { reason: reason(err) }));
  }
  return value;
}

export interface RawRequest {
  method: HttpMethod;
  /** Relative to the API base (see apiPath). */
  path: string;
  query: Record<string, QueryValue>;
  body?: object;
  /** GET only: follow the answer's paging objects to the end (or to `maxItems` each). */
  follow?: boolean;
  maxItems?: number;
}

export interface RawAnswer {
  payload: unknown;
  status: number;
  /** Pages read in all when paging objects were followed. */
  pages?: number;
}

/** Sends the request with what the operation table knows about it (whether repeating is safe, what a 403
 *  likely means, the page size), then follows its pages when asked. */
export async function sendRawRequest(client: SpotifyClient, req: RawRequest, counter?: RequestCounter): Promise<RawAnswer> {
  const { method, path, maxItems } = req;
  const query = { ...req.query };
  const follow = req.follow === true && method === 'GET';
  const op = matchOperation(method, path);
  const paging = op?.paging;
  if (follow && paging && query.limit === undefined && !/[?&]limit=/.test(path)) {
    query.limit = maxItems === undefined ? paging.limit : Math.min(paging.limit, maxItems);
  }
  const http = client.http;
  const res = await http.request(
    { method, path, query, body: req.body, idempotent: op?.idempotent, forbiddenHint: op?.forbiddenHint },
    counter,
  );
  const payload: unknown = res.body ?? null;
  if (!follow) return { payload, status: res.status };
  const followed = await followPages(http, payload, { maxItems, maxPages: client.maxPages, counter });
  return { payload: followed.body, status: res.status, pages: 1 + followed.pages };
}

/** The table's entry for a request, when there is one: literal paths win over `{param}` segments. */
export function matchOperation(method: HttpMethod, path: string): Operation | undefined {
  const segments = path.split('?')[0].split('/').filter(Boolean);
  let best: { op: Operation; literals: number } | undefined;
  for (const op of Object.values(OPERATIONS) as Operation[]) {
    if (op.method !== method) continue;
    const pattern = op.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    let literals = 0;
    const fits = pattern.every((p, i) => {
      if (/^\{\w+\}$/.test(p)) return true;
      literals++;
      return p === segments[i];
    });
    if (fits && (!best || literals > best.literals)) best = { op, literals };
  }
  return best?.op;
}

interface PagingObject {
  items: unknown[];
  next: string | null;
  [key: string]: unknown;
}

export function isPagingObject(value: unknown): value is PagingObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as { items?: unknown }).items) &&
    'next' in value &&
    (value.next === null || typeof value.next === 'string')
  );
}

export interface FollowResult {
  body: unknown;
  /** Pages read after the first answer. */
  pages: number;
}

/**
 * Follows every paging object in `body` — the answer itself, or one wrapped under a key such as
 * `{artists: {...}}` — through its `next` links, and returns the same shape with all items (at most
 * `maxItems` per paging object) and `next: null`. The http client keeps every link on the API base; the
 * PageBudget stops at the announced total and at `maxPages` pages per paging object.
 */
export async function followPages(
  http: SpotifyHttpClient,
  body: unknown,
  opts: { maxItems?: number; maxPages?: number; counter?: RequestCounter; signal?: AbortSignal },
): Promise<FollowResult> {
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  let pages = 0;
  const follow = async (first: PagingObject, key: string | undefined): Promise<PagingObject> => {
    const items = [...first.items];
    const budget = new PageBudget(opts.maxPages ?? DEFAULT_MAX_PAGES);
    budget.take(); // the first page, already read
    let page: PagingObject = first;
    while (page.next && items.length < max && budget.goOn(page, items.length)) {
      budget.take();
      const answer = (await http.request({ method: 'GET', path: page.next, signal: opts.signal }, opts.counter)).body as Record<
        string,
        unknown
      >;
      pages++;
      const nextPage = key === undefined ? answer : answer?.[key];
      if (!isPagingObject(nextPage) || nextPage.items.length === 0) break;
      items.push(...nextPage.items);
      page = nextPage;
    }
    // The first page's description with every item and nothing left to follow; a cursor listing keeps the
    // last page's cursors, so a later call can go on from there.
    return { ...first, ...(page.cursors !== undefined ? { cursors: page.cursors } : {}), items: items.slice(0, max), next: null };
  };
  if (isPagingObject(body)) return { body: await follow(body, undefined), pages };
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const [key, value] of Object.entries(out)) {
      if (isPagingObject(value)) out[key] = await follow(value, key);
    }
    return { body: out, pages };
  }
  return { body, pages };
}
