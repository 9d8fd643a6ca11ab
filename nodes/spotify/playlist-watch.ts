// The watch of "playlist changed", without Node-RED: one pass over the watched playlists compares each one's
// snapshot_id with the one seen before and, only when it moved, reads the items and works out what was added
// and removed. The node sends, saves and reports what each step yields.
import type { RequestCounter } from './http-client';
import {
  concernsOnePlaylist,
  diffPlaylist,
  entryUri,
  readEntries,
  readSnapshot,
  readSnapshotsIfCheaper,
  type PlaylistDiff,
  type PlaylistEntry,
  type PlaylistSnapshot,
} from './list-watch';
import type { SpotifyClient } from './spotify-client';

/** What is kept of a playlist between passes. */
export interface SeenPlaylist {
  snapshot_id: string;
  uris: string[];
}

export type WatchStep =
  /** It moved (or is seen for the first time: `before` undefined): what it holds now, and the difference. */
  | {
      kind: 'moved';
      id: string;
      snapshot: PlaylistSnapshot;
      before: SeenPlaylist | undefined;
      entries: PlaylistEntry[];
      diff: PlaylistDiff;
      seen: SeenPlaylist;
    }
  /** Spotify refused this playlist (not found, not yours): the others are still watched. No error: refused at
   *  this snapshot before, not asked again. */
  | { kind: 'refused'; id: string; error?: Error };

export interface WatchOptions {
  counter: RequestCounter;
  signal: AbortSignal;
  concurrency: number;
}

/**
 * Playlists whose items Spotify refused at a snapshot are not asked again until the snapshot moves: `refusedAt`
 * (id → snapshot) lives as long as the watch does. Errors that concern every playlist (rate limits,
 * authorization, network) end the pass by throwing.
 */
export async function* watchPlaylists(
  client: SpotifyClient,
  ids: readonly string[],
  seen: Readonly<Record<string, SeenPlaylist>>,
  refusedAt: Map<string, string>,
  opts: WatchOptions,
): AsyncGenerator<WatchStep> {
  const bulk = await readSnapshotsIfCheaper(client, ids, opts.counter, { signal: opts.signal, concurrency: opts.concurrency });
  for (const id of ids) {
    if (opts.signal.aborted) return;
    let snapshot: string | undefined;
    let step: WatchStep;
    try {
      const snap = bulk.get(id) ?? (await readSnapshot(client, id, opts.counter, opts.signal));
      snapshot = snap.snapshot_id;
      const before = seen[id];
      if (before && before.snapshot_id === snap.snapshot_id) continue;
      if (refusedAt.get(id) === snap.snapshot_id) {
        yield { kind: 'refused', id };
        continue;
      }
      const entries = await readEntries(client, id, opts.counter, { signal: opts.signal, concurrency: opts.concurrency });
      const uris = entries.map(entryUri).filter((u): u is string => u !== undefined);
      const diff = before ? diffPlaylist(before.uris, entries) : { added: entries, removed: [] };
      // The snapshot read before the items: if the playlist moved in between, the next pass reads it again.
      step = { kind: 'moved', id, snapshot: snap, before, entries, diff, seen: { snapshot_id: snap.snapshot_id, uris } };
      refusedAt.delete(id);
    } catch (err) {
      if (!concernsOnePlaylist(err)) throw err;
      if (snapshot !== undefined) refusedAt.set(id, snapshot);
      step = { kind: 'refused', id, error: err as Error };
    }
    yield step;
  }
}
