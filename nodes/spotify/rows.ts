// Flat rows for people: what a list node emits, turned into one flat object per item, ready for a Dashboard 2
// table, a CSV file or a chart — artists as one string, durations as "3:45", times in the local time zone, a
// small cover's URL. Every row of a kind has the same keys in the same order (a CSV header holds for the whole
// list). Spotify's answers are read defensively: a missing or odd field gives '' (text) or null (number), never
// an exception. Knows nothing about Node-RED.
import { carriesRef, isSpotifyType, ownValue, wrapped } from './ids';
import { localDateTime, localIso } from './local-time';

export type Row = Record<string, string | number | boolean | null>;

type Json = Record<string, unknown>;

/** More names than a table cell shows; bounds the work for a hostile answer. */
const MAX_NAMES = 20;
/** The smallest cover that still looks like one in a table row (Spotify sends 64, 300 and 640 px). */
const SMALL_COVER_PX = 60;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(obj: unknown, key: string): string {
  const value = isObject(obj) ? ownValue(obj, key) : undefined;
  return typeof value === 'string' ? value : '';
}

function num(obj: unknown, key: string): number | null {
  const value = isObject(obj) ? ownValue(obj, key) : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function child(obj: unknown, key: string): unknown {
  return isObject(obj) ? ownValue(obj, key) : undefined;
}

/** "Ana, Bo": the names of a list of objects ({name}), as one string. */
function names(list: unknown): string {
  if (!Array.isArray(list)) return '';
  return list
    .slice(0, MAX_NAMES)
    .map((a) => text(a, 'name'))
    .filter((n) => n !== '')
    .join(', ');
}

/** "3:45", or "1:02:03" from an hour on; '' when unknown. */
export function duration(ms: number | null): string {
  if (ms === null || ms < 0) return '';
  const total = Math.round(ms / 1000);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The URL of a small image of the list: the smallest at least SMALL_COVER_PX wide, else the largest known,
 *  else the first (playlist mosaics come without sizes); '' when there is none. */
export function smallImage(images: unknown): string {
  if (!Array.isArray(images)) return '';
  const all = (images as unknown[]).slice(0, MAX_NAMES).filter((i) => text(i, 'url') !== '');
  const sized = all.filter((i) => num(i, 'width') !== null);
  const width = (i: unknown): number => num(i, 'width') ?? 0;
  const small: unknown = sized.filter((i) => width(i) >= SMALL_COVER_PX).sort((a, b) => width(a) - width(b))[0];
  const best: unknown = small ?? sized.sort((a, b) => width(b) - width(a))[0] ?? all[0];
  return best === undefined ? '' : text(best, 'url');
}

/** The open.spotify.com link of an object. */
function link(obj: unknown): string {
  return text(child(obj, 'external_urls'), 'spotify');
}

/** What a wrapping entry adds to its item's row: when it was played or added (and by whom, in a playlist). */
interface EntryFacts {
  /** played_at or added_at, as Spotify sent it (ISO, UTC). */
  time?: { name: 'played_at' | 'added_at'; iso: string };
  addedBy?: string;
}

/** The readable local time, first column of a row. */
function timeFirst(facts: EntryFacts): Row {
  if (!facts.time) return {};
  const at = Date.parse(facts.time.iso);
  return { [facts.time.name]: Number.isFinite(at) ? localDateTime(at) : '' };
}

/** The local ISO time (and who added it), among the machine columns at the end. */
function timeLast(facts: EntryFacts): Row {
  const out: Row = {};
  if (facts.addedBy !== undefined) out.added_by = facts.addedBy;
  if (facts.time) {
    const at = Date.parse(facts.time.iso);
    out[`${facts.time.name}_iso`] = Number.isFinite(at) ? localIso(at) : '';
  }
  return out;
}

/** Tracks, episodes, chapters and local files: one set of columns, so a playlist mixing them is one table. */
function playableRow(item: unknown, facts: EntryFacts): Row {
  const type = text(item, 'type');
  // Episodes and chapters have no artists or album: their show or audiobook stands in, as Spotify's app shows them.
  const parent = type === 'episode' ? child(item, 'show') : type === 'chapter' ? child(item, 'audiobook') : undefined;
  let artists = names(child(item, 'artists'));
  if (type === 'episode') artists = text(parent, 'publisher') || text(parent, 'name');
  if (type === 'chapter') artists = names(child(parent, 'authors'));
  const album = parent === undefined ? text(child(item, 'album'), 'name') : text(parent, 'name');
  const images = child(item, 'images') ?? child(child(item, 'album'), 'images') ?? child(parent, 'images');
  const ms = num(item, 'duration_ms');
  return {
    ...timeFirst(facts),
    title: text(item, 'name'),
    artists,
    album,
    duration: duration(ms),
    cover: smallImage(images),
    link: link(item),
    uri: text(item, 'uri'),
    type,
    duration_ms: ms,
    ...timeLast(facts),
  };
}

/** Albums, artists, playlists, shows, audiobooks, users: their own columns around the same title and cover. */
function collectionRow(item: unknown, facts: EntryFacts): Row {
  const type = text(item, 'type');
  const title = text(item, type === 'user' ? 'display_name' : 'name');
  let columns: Row = {};
  switch (type) {
    case 'album':
      columns = { artists: names(child(item, 'artists')), release_date: text(item, 'release_date'), tracks: num(item, 'total_tracks') };
      break;
    case 'artist':
      columns = {
        genres: strings(child(item, 'genres')),
        followers: num(child(item, 'followers'), 'total'),
        popularity: num(item, 'popularity'),
      };
      break;
    case 'playlist': {
      const owner = child(item, 'owner');
      const isPublic = child(item, 'public');
      columns = {
        owner: text(owner, 'display_name') || text(owner, 'id'),
        // Since 2026 the count is under `items`; `tracks` is the deprecated duplicate.
        tracks: num(child(item, 'items'), 'total') ?? num(child(item, 'tracks'), 'total'),
        public: typeof isPublic === 'boolean' ? isPublic : null,
      };
      break;
    }
    case 'show':
      columns = { artists: text(item, 'publisher'), episodes: num(item, 'total_episodes') };
      break;
    case 'audiobook':
      columns = { artists: names(child(item, 'authors')), chapters: num(item, 'total_chapters') };
      break;
    case 'user':
      columns = { followers: num(child(item, 'followers'), 'total') };
      break;
  }
  return {
    ...timeFirst(facts),
    title,
    ...columns,
    cover: smallImage(child(item, 'images')),
    link: link(item),
    uri: text(item, 'uri'),
    type,
    ...timeLast(facts),
  };
}

/** "rock, indie": a list of strings as one. */
function strings(list: unknown): string {
  return Array.isArray(list)
    ? list
        .slice(0, MAX_NAMES)
        .filter((g): g is string => typeof g === 'string')
        .join(', ')
    : '';
}

const PLAYABLE = new Set(['track', 'episode', 'chapter']);

function objectRow(item: unknown, facts: EntryFacts = {}): Row {
  return PLAYABLE.has(text(item, 'type')) ? playableRow(item, facts) : collectionRow(item, facts);
}

/**
 * One flat row for an item of a list: a play ({track, played_at}), a playlist entry ({item, added_at,
 * added_by}), a saved item ({track|album|show|episode|audiobook, added_at}) or a plain object (track, album,
 * artist, playlist, show, episode, audiobook, chapter, user). An entry whose item Spotify no longer has (null)
 * gives a row with its time and empty columns.
 */
export function toRow(entry: unknown): Row {
  // An entry wraps its item; an object that says its own type is the item (a husk's `album` wraps nothing).
  if (!isObject(entry) || carriesRef(entry) || isSpotifyType(ownValue(entry, 'type'))) return objectRow(entry);
  const inner = wrapped(entry);
  if (inner === undefined) return objectRow(entry);
  const playedAt = text(entry, 'played_at');
  const facts: EntryFacts = {
    time: playedAt !== '' ? { name: 'played_at', iso: playedAt } : { name: 'added_at', iso: text(entry, 'added_at') },
  };
  const addedBy = child(entry, 'added_by');
  if (isObject(addedBy)) facts.addedBy = text(addedBy, 'display_name') || text(addedBy, 'id');
  // A removed item (null): the columns of the kind it was (a playlist entry holds tracks and episodes).
  const item = isObject(inner.value) ? inner.value : { type: inner.key === 'item' ? 'track' : inner.key };
  return objectRow(item, facts);
}
