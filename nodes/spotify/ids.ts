// Turns what users paste (bare IDs, spotify: URIs, open.spotify.com links) and what other nodes output
// (track objects, playlist entries) into Spotify references. Knows nothing about Node-RED.
import { InputError } from './errors';
import { expectText, orList } from './words';

export const SPOTIFY_TYPES = ['track', 'album', 'artist', 'playlist', 'show', 'episode', 'audiobook', 'chapter', 'user'] as const;
export type SpotifyType = (typeof SPOTIFY_TYPES)[number];
export interface SpotifyRef {
  type: SpotifyType;
  id: string;
  uri: string;
  local?: boolean;
}

/** Longest single item we look at: real references are under 200 chars; this bounds every regex below. */
const MAX_ITEM_CHARS = 2000;
/** Most references one message may carry when the caller sets no smaller `max`. */
const MAX_LIST_ITEMS = 10_000;
/** Characters per reference in a pasted list, separator included: real links are under 200. Bounds a list
 *  string by its count before it is split. */
const LIST_CHARS_PER_ITEM = 200;

const BASE62_ID = /^[0-9A-Za-z]{22}$/;
// User IDs are not base-62-22: legacy usernames ("wizzler"), numeric Facebook-era ids, newer random ids.
const USER_ID = /^[0-9A-Za-z._-]{1,128}$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are rejected in ids
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
// Host must end right there: rejects open.spotify.com.evil.example and user@host tricks.
const SPOTIFY_WEB = /^(?:https?:\/\/)?(?:open|play)\.spotify\.com(?=[/?#]|$)/i;
const INTL_SEGMENT = /^intl-[a-z]{2}(?:[-_][a-z]{2,4})?$/i;
/** One item of a list string: what lies between commas, whitespace or newlines. */
const LIST_ITEM = /[^\s,]+/g;
/** Keys of entries that wrap the referenced object: playlist items (`item`, formerly `track`), saved tracks,
 *  saved episodes, recently played, saved albums/shows/audiobooks. */
const WRAPPER_KEYS = ['item', 'track', 'episode', 'album', 'show', 'audiobook'] as const;
type WrapperKey = (typeof WRAPPER_KEYS)[number];

export function isSpotifyType(value: unknown): value is SpotifyType {
  return typeof value === 'string' && (SPOTIFY_TYPES as readonly string[]).includes(value);
}

/** One reference. `accept` lists the types allowed here; a bare 22-char base-62 ID takes accept[0].
 *  Also takes an object carrying `uri`/`id` (or a playlist/library entry wrapping one), like parseRefs. */
export function parseRef(input: unknown, field: string, accept: readonly SpotifyType[]): SpotifyRef {
  checkAccept(accept);
  return parseItem(input, field, accept);
}

/** Many references from: a string with items separated by commas, whitespace or newlines; an array of strings;
 *  an array of objects that carry `uri` or `id` (e.g. track objects), or playlist/library entries carrying
 *  `item`/`track`/`episode` objects (so one node's output can feed another's input); a single such object.
 *  Order is kept, duplicates are kept (a playlist may hold a track twice). `max` caps the count (error beyond).
 *  Empty input (undefined, null, blank string, empty array) is an error unless `allowEmpty`. */
export function parseRefs(
  input: unknown,
  field: string,
  accept: readonly SpotifyType[],
  opts: { max?: number; allowEmpty?: boolean } = {},
): SpotifyRef[] {
  return listItems(input, field, accept, opts).map((item) => parseItem(item.value, item.field, accept));
}

/** One item of a list input and the field that names it in errors ("tracks[3]", or "tracks" for a lone one). */
export interface ListItem {
  value: unknown;
  field: string;
}

/** The items of a list input as parseRefs reads it (a list string, an array or one object), sizes checked
 *  first; each item still to be parsed (parseRef). */
export function listItems(
  input: unknown,
  field: string,
  accept: readonly SpotifyType[],
  opts: { max?: number; allowEmpty?: boolean } = {},
): ListItem[] {
  checkAccept(accept);
  // Sizes first, before any per-item work: a message must not hold the event loop (or fill the heap) by
  // being long — `[]` with length 1e7, 200,000 URIs, a 2 MB string — only to be refused at the end.
  const max = Math.min(opts.max ?? MAX_LIST_ITEMS, MAX_LIST_ITEMS);
  const tooMany = (count: number): InputError => new InputError(field, expectText('ref.tooMany', { max, count }));
  let items: ListItem[];
  if (input === undefined || input === null) {
    items = [];
  } else if (typeof input === 'string') {
    const maxChars = max * LIST_CHARS_PER_ITEM;
    if (input.length > maxChars) throw new InputError(field, expectText('ref.listTooLong', { max, chars: maxChars }), input);
    const { parts, count } = splitList(input, max);
    if (count > max) throw tooMany(count);
    // A single pasted reference reports errors under the plain field name; a list names the position.
    items = parts.map((value, i) => ({ value, field: parts.length > 1 ? `${field}[${i}]` : field }));
  } else if (Array.isArray(input)) {
    if (input.length > max) throw tooMany(input.length);
    // Array.from, not map: map keeps the holes of a sparse array ([, x]), which then reach callers as undefined refs.
    items = Array.from(input as unknown[], (value: unknown, i) => ({ value, field: `${field}[${i}]` }));
  } else if (typeof input === 'object') {
    items = resultLists(input, field, max, tooMany) ?? [{ value: input, field }];
  } else {
    throw new InputError(field, expectText('ref.orList', { one: expectedRef(accept) }), input);
  }

  if (items.length === 0 && !opts.allowEmpty) throw new InputError(field, expectedRef(accept, 'atLeastOne'), input ?? undefined);
  return items;
}

/**
 * A search's answer as the search node sends it ({tracks: […]}, or several such lists): the items of its lists,
 * one after the other, each named by where it is ("items.tracks[0]"), so a search wires straight into a write.
 * Undefined for anything else (an item, an entry, an object with other keys).
 */
function resultLists(obj: object, field: string, max: number, tooMany: (count: number) => InputError): ListItem[] | undefined {
  const lists = searchAnswerLists(obj);
  if (!lists) return undefined;
  const total = lists.reduce((n, l) => n + l.list.length, 0);
  if (total > max) throw tooMany(total); // before any per-item work
  return lists.flatMap(({ key, list }) => Array.from(list, (value: unknown, i) => ({ value, field: `${field}.${key}[${i}]` })));
}

/** The lists of a search node's answer ({tracks: […], albums: […]}), in its order; undefined for anything else. */
export function searchAnswerLists(value: unknown): { key: string; list: unknown[] }[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || carriesRef(value) || wrapped(value)) return undefined;
  const keys = Object.keys(value);
  const isList = (key: string): boolean => key.endsWith('s') && isSpotifyType(key.slice(0, -1)) && Array.isArray(ownValue(value, key));
  if (keys.length === 0 || !keys.every(isList)) return undefined;
  return keys.map((key) => ({ key, list: ownValue(value, key) as unknown[] }));
}

/** The first `max` non-empty parts of a list string, and how many there are in all (the string's length is
 *  bounded already, so counting the rest is cheap). */
function splitList(text: string, max: number): { parts: string[]; count: number } {
  const parts: string[] = [];
  let count = 0;
  LIST_ITEM.lastIndex = 0;
  for (let m = LIST_ITEM.exec(text); m !== null; m = LIST_ITEM.exec(text)) {
    if (count++ < max) parts.push(m[0]);
  }
  return { parts, count };
}

function checkAccept(accept: readonly SpotifyType[]): void {
  // A programming error, not bad input: no InputError.
  if (accept.length === 0 || !accept.every(isSpotifyType)) throw new TypeError('accept must list Spotify types');
}

function parseItem(value: unknown, field: string, accept: readonly SpotifyType[]): SpotifyRef {
  if (typeof value === 'string') return parseString(value, field, accept);
  if (Array.isArray(value)) {
    throw new InputError(field, expectText('ref.notNested', { one: expectedRef(accept) }), value);
  }
  if (typeof value === 'object' && value !== null) return parseObject(value, field, accept, false);
  throw new InputError(field, expectedRef(accept), value);
}

function parseObject(obj: object, field: string, accept: readonly SpotifyType[], nested: boolean): SpotifyRef {
  const uri = ownValue(obj, 'uri');
  if (typeof uri === 'string' && uri !== '') return parseString(uri, field, accept);
  const id = ownValue(obj, 'id');
  if (typeof id === 'string' && id !== '') {
    const type = ownValue(obj, 'type');
    return parseString(isSpotifyType(type) ? `spotify:${type}:${id}` : id, field, accept);
  }
  // Only one level of wrapping: an entry's inner object must carry the uri or id itself.
  const inner = nested ? undefined : wrapped(obj);
  if (inner) {
    if (typeof inner.value === 'object' && inner.value !== null && !Array.isArray(inner.value)) {
      return parseObject(inner.value, `${field}.${inner.key}`, accept, true);
    }
    // e.g. a playlist entry whose track is no longer available has `item: null`.
    throw new InputError(`${field}.${inner.key}`, expectText(inner.value === null ? 'ref.objectNull' : 'ref.object'), inner.value);
  }
  throw new InputError(field, expectText('ref.orObject', { one: expectedRef(accept) }), obj);
}

/** Whether an object names its item itself (a non-empty `uri` or `id`), rather than wrapping it. */
export function carriesRef(obj: object): boolean {
  const uri = ownValue(obj, 'uri');
  const id = ownValue(obj, 'id');
  return (typeof uri === 'string' && uri !== '') || (typeof id === 'string' && id !== '');
}

/** What an entry wraps (playlist entry, saved item, play): its first wrapper key that is present and the value
 *  there (null when Spotify sent null: the item is no longer available). */
export function wrapped(obj: object): { key: WrapperKey; value: unknown } | undefined {
  for (const key of WRAPPER_KEYS) {
    const value = ownValue(obj, key);
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/** An own data property only: never follows the prototype chain (`__proto__`, `constructor`) nor runs getters. */
export function ownValue(obj: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(obj, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

type Recognized =
  | { kind: 'typed'; type: SpotifyType; id: string }
  | { kind: 'local'; uri: string }
  | { kind: 'bare'; id: string }
  | { kind: 'bareUser'; id: string };

function parseString(raw: string, field: string, accept: readonly SpotifyType[]): SpotifyRef {
  const text = raw.trim();
  // Built only for an error: a list of hundreds of valid URIs should not pay for the sentence each time.
  const expected = (): string => expectedRef(accept);
  if (text === '') throw new InputError(field, expected(), raw);
  if (text.length > MAX_ITEM_CHARS) {
    throw new InputError(field, expectText('ref.tooLong', { one: expected(), max: MAX_ITEM_CHARS }), raw);
  }
  if (SPACE_OR_CONTROL.test(text)) throw new InputError(field, expected(), raw);

  const found = recognize(text);
  if (found === undefined) throw new InputError(field, expected(), raw);
  switch (found.kind) {
    case 'bare':
      return { type: accept[0], id: found.id, uri: `spotify:${accept[0]}:${found.id}` };
    case 'bareUser':
      if (accept[0] !== 'user') throw new InputError(field, expected(), raw);
      return { type: 'user', id: found.id, uri: `spotify:user:${found.id}` };
    case 'local':
      if (!accept.includes('track')) throw new InputError(field, expectText('ref.notLocal', { one: expected() }), raw);
      return { type: 'track', id: '', uri: found.uri, local: true };
    case 'typed':
      if (!accept.includes(found.type)) {
        throw new InputError(field, expectText('ref.notType', { one: expected(), type: expectText(`ref.a.${found.type}`) }), raw);
      }
      return { type: found.type, id: found.id, uri: `spotify:${found.type}:${found.id}` };
  }
}

/** Whether a trimmed text is meant as a Spotify reference (an ID, a `spotify:` URI or a link), right or wrong: what
 *  is not may be a name (a playlist by name). A mistyped URI or link stays a reference, and so an error. */
export function looksLikeReference(text: string): boolean {
  return BASE62_ID.test(text) || /^spotify:/i.test(text) || SPOTIFY_WEB.test(text) || /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** What the text names, or undefined. `text` is trimmed, ≤ MAX_ITEM_CHARS and has no whitespace. */
function recognize(text: string): Recognized | undefined {
  if (BASE62_ID.test(text)) return { kind: 'bare', id: text };
  if (/^spotify:/i.test(text)) {
    const parts = text.split(':');
    if (parts[1].toLowerCase() === 'local') {
      // spotify:local:artist:album:title:duration — fields are URL-encoded and may be empty.
      return parts.length >= 6 && /^\d+$/.test(parts[parts.length - 1]) ? { kind: 'local', uri: text } : undefined;
    }
    return fromSegments(parts.slice(1));
  }
  const web = SPOTIFY_WEB.exec(text);
  if (web) {
    const rest = text.slice(web[0].length);
    const pathEnd = rest.search(/[?#]/);
    const segments = (pathEnd === -1 ? rest : rest.slice(0, pathEnd)).split('/').filter((s) => s !== '');
    if (segments.length > 0 && INTL_SEGMENT.test(segments[0])) segments.shift();
    if (segments.length > 0 && segments[0].toLowerCase() === 'embed') segments.shift();
    return fromSegments(segments);
  }
  if (USER_ID.test(text)) return { kind: 'bareUser', id: text };
  return undefined;
}

/** [type, id] or the legacy [user, name, playlist, id], from a URI or a link path. */
function fromSegments(segments: string[]): Recognized | undefined {
  if (segments.length === 4 && segments[0].toLowerCase() === 'user' && segments[2].toLowerCase() === 'playlist') {
    const owner = decode(segments[1]);
    return owner !== undefined && USER_ID.test(owner) ? typed('playlist', segments[3]) : undefined;
  }
  if (segments.length !== 2) return undefined;
  const type = segments[0].toLowerCase();
  if (!isSpotifyType(type)) return undefined;
  if (type === 'user') {
    const name = decode(segments[1]);
    return name !== undefined && USER_ID.test(name) ? { kind: 'typed', type, id: name } : undefined;
  }
  return typed(type, segments[1]);
}

function typed(type: SpotifyType, id: string): Recognized | undefined {
  return BASE62_ID.test(id) ? { kind: 'typed', type, id } : undefined;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * What a reference field takes, e.g. "a Spotify track ID, spotify:track: URI or open.spotify.com/track/… link"
 * (`atLeastOne`: "at least one Spotify track ID, …"). Whole phrases by key: each language words it its own way.
 */
function expectedRef(accept: readonly SpotifyType[], form: 'one' | 'atLeastOne' = 'one'): string {
  const names = orList(accept.map((t) => expectText(`ref.type.${t}`)));
  const uris = accept.map((t) => `spotify:${t}:`).join('/');
  const links = accept
    .map((t, i) => (i === 0 ? `open.spotify.com/${t}/…` : `/${t}/…`))
    .reduce((first, last) => expectText('or', { first, last }));
  if (accept.length === 1) return expectText(`ref.${form}`, { names, uris, links });
  return expectText(`ref.${form}Bare`, { names, uris, links, bare: expectText(`ref.a.${accept[0]}`) });
}
