// Spotify renamed playlist fields in 2026: a playlist's `tracks` is now `items`, an entry's `track` is now
// `item`. The old names still come as deprecated duplicates. Outputs keep what Spotify sent and make sure the
// new names are there, so flows written today keep working when the old names go away.
import { phrase, type Phrase } from './phrase';

type Json = Record<string, unknown>;

/**
 * The `fields` filter for reading playlist entries: everything of an entry except the deprecated `track`
 * duplicate of `item`, which would double every page Spotify sends.
 */
export const PLAYLIST_ENTRY_FIELDS = 'href,limit,next,offset,previous,total,items(added_at,added_by,is_local,item)';

/** The page fields paging needs, kept whatever a user asks of each entry. */
const PAGE_FIELDS = 'href,limit,next,offset,previous,total';
/** Longer than any sensible filter; bounds what goes into a URL. */
export const MAX_ENTRY_FIELDS = 500;

/**
 * The `fields` filter for reading playlist entries: the default one, or the page fields plus `items(<entry>)` when a
 * user chose what each entry keeps (e.g. `added_at,item(name,uri)`), so paging still gets what it needs.
 */
export function playlistEntryFields(entry?: string): string {
  return entry === undefined ? PLAYLIST_ENTRY_FIELDS : `${PAGE_FIELDS},items(${entry})`;
}

/** What an entry filter must be ("the fields of each entry in Spotify's syntax, …"), worded by the runtime or the editor. */
export const EXPECTED_ENTRY_FIELDS: Phrase = phrase('entryFields', { max: MAX_ENTRY_FIELDS });

/**
 * What is wrong with an entry filter in Spotify's `fields` syntax (`a,b(c,d),e.f,!g`), or undefined when it is
 * well formed. Imports nothing: the editor checks the dialog field with the same rule.
 */
export function entryFieldsProblem(text: string): Phrase | undefined {
  const expected = EXPECTED_ENTRY_FIELDS;
  if (text.length > MAX_ENTRY_FIELDS) return expected;
  let pos = 0;
  const list = (): boolean => {
    for (;;) {
      if (!elem()) return false;
      if (text[pos] !== ',') return true;
      pos++;
    }
  };
  const elem = (): boolean => {
    if (text[pos] === '!') pos++;
    const name = /^[A-Za-z0-9_]+/.exec(text.slice(pos));
    if (!name) return false;
    pos += name[0].length;
    if (text[pos] === '(') {
      pos++;
      if (!list() || text[pos] !== ')') return false;
      pos++;
    } else if (text[pos] === '.') {
      pos++;
      return elem();
    }
    return true;
  };
  return list() && pos === text.length ? undefined : expected;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A playlist entry with `item` set (copied from the deprecated `track` when only that one came). */
export function withItem<T>(entry: T): T {
  if (!isObject(entry) || 'item' in entry || !('track' in entry)) return entry;
  return { ...entry, item: entry.track };
}

/** A playlist with `items` set (from `tracks` when only that came), and each of its entries with `item`. */
export function withItems<T>(playlist: T): T {
  if (!isObject(playlist)) return playlist;
  const items = 'items' in playlist ? playlist.items : playlist.tracks;
  if (items === undefined) return playlist;
  const page = isObject(items) && Array.isArray(items.items) ? { ...items, items: items.items.map(withItem) } : items;
  return { ...playlist, items: page };
}

/** `items.total` of a playlist object, when present. */
export function itemCount(playlist: unknown): number | undefined {
  if (!isObject(playlist) || !isObject(playlist.items)) return undefined;
  const total = playlist.items.total;
  return typeof total === 'number' ? total : undefined;
}
