// Spotify renamed playlist fields in 2026: a playlist's `tracks` is now `items`, an entry's `track` is now
// `item`. The old names still come as deprecated duplicates. Outputs keep what Spotify sent and make sure the
// new names are there, so flows written today keep working when the old names go away.

type Json = Record<string, unknown>;

/**
 * The `fields` filter for reading playlist entries: everything of an entry except the deprecated `track`
 * duplicate of `item`, which would double every page Spotify sends.
 */
export const PLAYLIST_ENTRY_FIELDS = 'href,limit,next,offset,previous,total,items(added_at,added_by,is_local,item)';

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
