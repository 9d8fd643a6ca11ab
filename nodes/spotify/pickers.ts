// What the editor's pickers list: the user's playlists (with whether the user may change each), the Spotify
// Connect devices, and a short catalog search. Plain summaries, no Spotify objects: the editor shows them as
// they are. Knows nothing about Node-RED.
import { listDevices } from './devices';
import type { RequestCounter } from './http-client';
import { OPERATIONS } from './operations';
import type { SpotifyClient } from './spotify-client';

export interface PickedPlaylist {
  id: string;
  name: string;
  owner: string;
  /** Number of entries; undefined when Spotify leaves it out. */
  size: number | undefined;
  /** The user owns it or it is collaborative: the write nodes may change it. */
  writable: boolean;
}

export interface PickedDevice {
  id: string;
  name: string;
  type: string;
  active: boolean;
}

export const PICKER_SEARCH_TYPES = ['track', 'album', 'artist'] as const;
export type PickerSearchType = (typeof PICKER_SEARCH_TYPES)[number];

export interface PickedItem {
  id: string;
  type: PickerSearchType;
  name: string;
  /** Artists of a track or album; empty for an artist. */
  by: string;
}

/** Spotify's most results per type and request in 2026: one request answers a typeahead (for every type asked). */
export const PICKER_SEARCH_LIMIT = 10;

interface PlaylistObject {
  id?: unknown;
  name?: unknown;
  collaborative?: unknown;
  owner?: { id?: unknown; display_name?: unknown } | null;
  items?: { total?: unknown } | null;
  tracks?: { total?: unknown } | null;
}

/** Every playlist in the user's library, in Spotify's order. `userId`: the authorized user, to tell owned ones. */
export async function pickPlaylists(
  client: SpotifyClient,
  userId: string | undefined,
  counter?: RequestCounter,
): Promise<PickedPlaylist[]> {
  const out: PickedPlaylist[] = [];
  for await (const p of client.list<PlaylistObject>(OPERATIONS.myPlaylists, {}, {}, counter)) {
    if (typeof p?.id !== 'string') continue;
    const ownerId = typeof p.owner?.id === 'string' ? p.owner.id : undefined;
    // `items` is the 2026 name; `tracks` is the deprecated duplicate still sent.
    const total = p.items?.total ?? p.tracks?.total;
    out.push({
      id: p.id,
      name: typeof p.name === 'string' ? p.name : p.id,
      owner: typeof p.owner?.display_name === 'string' ? p.owner.display_name : (ownerId ?? ''),
      size: typeof total === 'number' ? total : undefined,
      writable: p.collaborative === true || (ownerId !== undefined && ownerId === userId),
    });
  }
  return out;
}

/** The devices Spotify sees now; devices without an id (restricted ones may lack it) cannot be picked. */
export async function pickDevices(client: SpotifyClient, counter?: RequestCounter): Promise<PickedDevice[]> {
  const devices = await listDevices(client, counter);
  return devices
    .filter((d) => typeof d.id === 'string' && d.id !== '')
    .map((d) => ({ id: d.id as string, name: String(d.name ?? d.id), type: String(d.type ?? ''), active: d.is_active === true }));
}

interface NamedObject {
  id?: unknown;
  name?: unknown;
  artists?: { name?: unknown }[] | null;
}

/** The first results for `q` of each type asked, in one request: by type in the order asked. */
export async function pickSearch(
  client: SpotifyClient,
  q: string,
  types: readonly PickerSearchType[],
  counter?: RequestCounter,
): Promise<PickedItem[]> {
  const body = await client.call<Record<string, { items?: (NamedObject | null)[] } | undefined> | undefined>(
    OPERATIONS.search,
    { query: { q, type: types.join(','), limit: PICKER_SEARCH_LIMIT } },
    counter,
  );
  const out: PickedItem[] = [];
  for (const type of types) {
    for (const item of body?.[`${type}s`]?.items ?? []) {
      if (typeof item?.id !== 'string') continue;
      const by = Array.isArray(item.artists) ? item.artists.map((a) => (typeof a?.name === 'string' ? a.name : '')).filter(Boolean) : [];
      out.push({ id: item.id, type, name: typeof item.name === 'string' ? item.name : item.id, by: by.join(', ') });
    }
  }
  return out;
}
