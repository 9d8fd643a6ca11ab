// "Only tracks not already in the playlist": what of a list of URIs a playlist does not hold yet. Makes adding
// safe to repeat (a message replayed after a crash adds only what the first attempt did not), at the cost of
// reading the playlist's entries first: ceil(total / 50) requests, URIs only.
import type { RequestCounter } from './http-client';
import { OPERATIONS } from './operations';
import type { SpotifyClient } from './spotify-client';

/** Only each entry's URI (under the new and the deprecated name): the cheapest page Spotify sends. */
const URI_FIELDS = 'next,total,limit,offset,items(item(uri),track(uri))';

export interface MissingItems {
  /** The URIs to add, in the order given, each once. */
  missing: string[];
  /** How many were left out: already in the playlist, or given twice. */
  skipped: number;
}

export async function missingFromPlaylist(
  client: SpotifyClient,
  playlistId: string,
  uris: readonly string[],
  concurrency: number,
  counter?: RequestCounter,
): Promise<MissingItems> {
  const held = new Set<string>();
  const entries = client.list<{ item?: { uri?: string } | null; track?: { uri?: string } | null }>(
    OPERATIONS.playlistItems,
    { params: { playlist_id: playlistId }, query: { fields: URI_FIELDS } },
    { concurrency },
    counter,
  );
  for await (const entry of entries) {
    const uri = entry?.item?.uri ?? entry?.track?.uri;
    if (uri) held.add(uri);
  }
  const missing: string[] = [];
  for (const uri of uris) {
    if (held.has(uri)) continue;
    held.add(uri); // given twice: once is what "not already in the playlist" means after the first
    missing.push(uri);
  }
  return { missing, skipped: uris.length - missing.length };
}
