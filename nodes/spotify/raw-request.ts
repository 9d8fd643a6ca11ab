// Any Web API call a node does not cover: the path checked to stay on the configured API base (the access
// token must never leave for another host), what the operation table knows about it applied, and paging
// objects ({items, next}) followed to the end when asked. Knows nothing about Node-RED.
import { InputError } from './errors';
import type { HttpMethod, QueryValue, RequestCounter, SpotifyHttpClient } from './http-client';
import { SPOTIFY_ENDPOINTS } from './endpoints';
import { OPERATIONS, type Operation } from './operations';

export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];
const MAX_PATH_CHARS = 4000;

/**
 * A path relative to the API base ("/me/top/tracks", "me/top/tracks", with or without a query string), or an
 * absolute URL under the API base (a `next` link). Returns the path relative to the base. Anything that
 * resolves outside the base — another host, another scheme, `..` out of /v1 — is refused.
 */
export function apiPath(value: unknown, apiUrl: string, field: string): string {
  const expected = `a path relative to the Web API (e.g. /me/top/tracks) or a URL starting with ${apiUrl}/`;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_PATH_CHARS) throw new InputError(field, expected, value);
  const text = value.trim();
  const base = apiUrl.replace(/\/+$/, '');
  let url: URL;
  try {
    // Scheme-relative ("//host/…") and absolute URLs keep their own host here, so the check below sees them.
    url = /^[a-z][a-z0-9+.-]*:|^[/\\]{2}/i.test(text) ? new URL(text, `${base}/`) : new URL(`${base}/${text.replace(/^[/\\]+/, '')}`);
  } catch {
    throw new InputError(field, expected, value);
  }
  const root = new URL(`${base}/`);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname) || url.username || url.password) {
    throw new InputError(field, `${expected} — requests go only to the configured Spotify API`, value);
  }
  return `/${url.pathname.slice(root.pathname.length)}${url.search}`;
}

/** Query values: text, numbers, booleans, or lists of them (sent comma-separated, as Spotify expects). */
export function queryObject(value: unknown, field: string): Record<string, QueryValue> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new InputError(field, 'an object of parameter names to values, e.g. {"limit": 50}', value);
  const out: Record<string, QueryValue> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'))
      out[key] = v.join(',');
    else throw new InputError(`${field}.${key}`, 'text, a number, true/false, or a list of them', v);
  }
  return out;
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

/** A `next` link as a path under the configured base. Spotify's own links name api.spotify.com even when the
 *  pack goes through a proxy or simulator: those are moved onto the configured base, never followed as is. */
function nextPath(link: string, apiUrl: string): string {
  const official = `${SPOTIFY_ENDPOINTS.apiUrl}/`;
  if (link.startsWith(official) && !link.startsWith(`${apiUrl.replace(/\/+$/, '')}/`))
    return apiPath(link.slice(official.length), apiUrl, 'next');
  return apiPath(link, apiUrl, 'next');
}

export interface FollowResult {
  body: unknown;
  /** Pages read after the first answer. */
  pages: number;
}

/**
 * Follows every paging object in `body` — the answer itself, or one wrapped under a key such as
 * `{artists: {...}}` — through its `next` links, and returns the same shape with all items (at most
 * `maxItems` per paging object) and `next: null`. Links outside the API base are not followed.
 */
export async function followPages(
  http: SpotifyHttpClient,
  body: unknown,
  apiUrl: string,
  opts: { maxItems?: number; counter?: RequestCounter; signal?: AbortSignal },
): Promise<FollowResult> {
  const max = opts.maxItems ?? Number.POSITIVE_INFINITY;
  let pages = 0;
  const follow = async (first: PagingObject, key: string | undefined): Promise<PagingObject> => {
    const items = [...first.items];
    let page: PagingObject = first;
    while (page.next && items.length < max) {
      const path = nextPath(page.next, apiUrl);
      const answer = (await http.request({ method: 'GET', path, signal: opts.signal }, opts.counter)).body as Record<string, unknown>;
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
