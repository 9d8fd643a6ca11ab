// Playlist writes of any size: adding, removing and replacing entries in Spotify's batches of 100, in order, with
// errors that say exactly what state the playlist was left in.
import { BatchError } from './batching';
import { SpotifyApiError } from './errors';
import type { RequestCounter } from './http-client';
import { missingFromPlaylist } from './missing-items';
import { OPERATIONS } from './operations';
import type { SpotifyClient } from './spotify-client';
import { checkedBatched } from './write-check';
import { say } from './words';

interface SnapshotAnswer {
  snapshot_id?: string;
}

export interface PlaylistWriteResult {
  /** The playlist's version after the last request. */
  snapshot_id: string | undefined;
  /** Requests that changed the playlist. */
  batches: number;
}

/**
 * Removes every occurrence of each URI. `snapshotId` (the version the caller looked at) goes with every batch:
 * all removals are meant against that version.
 */
export async function removePlaylistItems(
  client: SpotifyClient,
  playlistId: string,
  uris: readonly string[],
  snapshotId: string | undefined,
  counter?: RequestCounter,
): Promise<PlaylistWriteResult> {
  const answers = await client.batched<string, SnapshotAnswer>(
    OPERATIONS.removePlaylistItems,
    uris,
    (batch) => ({
      params: { playlist_id: playlistId },
      body: { items: batch.map((uri) => ({ uri })), ...(snapshotId === undefined ? {} : { snapshot_id: snapshotId }) },
    }),
    counter,
    'tracks',
  );
  return { snapshot_id: answers.at(-1)?.snapshot_id, batches: answers.length };
}

/**
 * Makes the playlist hold exactly `uris`, in order: the first 100 replace the entries (an empty list clears
 * the playlist), the rest are appended in batches of 100. Running it again with the same list is always
 * safe, so a failure part way says so.
 */
export async function replacePlaylistItems(
  client: SpotifyClient,
  playlistId: string,
  uris: readonly string[],
  counter?: RequestCounter,
  /** The version the caller looked at: Spotify refuses the replace when the playlist moved on since. Only the
   *  first request carries it; the batches after it add to what that request made. */
  snapshotId?: string,
): Promise<PlaylistWriteResult> {
  const size = OPERATIONS.replacePlaylistItems.batchSize;
  const first = uris.slice(0, size);
  const rest = uris.slice(size);
  const params = { playlist_id: playlistId };
  let replaced: SnapshotAnswer;
  try {
    replaced = await client.call<SnapshotAnswer>(
      OPERATIONS.replacePlaylistItems,
      { params, body: { uris: first, ...(snapshotId === undefined ? {} : { snapshot_id: snapshotId }) } },
      counter,
    );
  } catch (err) {
    const cause = err instanceof Error ? err : new Error(String(err));
    // An HTTP error answer means Spotify did not apply it; a lost answer (after the client's retries) may have.
    const answered = cause instanceof SpotifyApiError && cause.status !== undefined;
    const state = answered
      ? say('write.replace.notChanged')
      : say('write.replace.maybeReplaced', { first: first.length, total: uris.length });
    throw replaceError(cause, [], answered ? [] : first, answered ? [...uris] : rest, state);
  }
  try {
    const added = await client.batched<string, SnapshotAnswer>(
      OPERATIONS.addPlaylistItems,
      rest,
      (batch) => ({ params, body: { uris: batch } }),
      counter,
      'tracks',
    );
    return { snapshot_id: added.at(-1)?.snapshot_id ?? replaced.snapshot_id, batches: 1 + added.length };
  } catch (err) {
    if (!(err instanceof BatchError)) throw err;
    const e = err as BatchError<string>;
    const holds = first.length + e.applied.length;
    const state = e.uncertain.length
      ? say('write.replace.holdsMaybe', { holds, total: uris.length, uncertain: e.uncertain.length })
      : say('write.replace.holds', { holds, total: uris.length });
    throw replaceError(e.cause, [...first, ...e.applied], e.uncertain, e.notApplied, state);
  }
}

function replaceError(cause: Error, applied: string[], uncertain: string[], notApplied: string[], state: string): BatchError<string> {
  const error = new BatchError(cause, applied, uncertain, notApplied, 'tracks');
  error.message = `${error.message}: ${state}`;
  return error;
}

export interface AddItemsOptions {
  /** Where the first item goes (0 = the top); at the end when not given. */
  position?: number;
  /** Only items the playlist does not hold yet, each once (safe to replay); reads the playlist first. */
  skipExisting?: boolean;
  /** Pages read at once when skipExisting reads the playlist. */
  concurrency: number;
  counter?: RequestCounter;
}

export interface AddItemsResult extends PlaylistWriteResult {
  /** The URIs sent, in order. */
  added: string[];
  /** Left out by skipExisting: already held, or given twice; undefined without skipExisting. */
  existing: number | undefined;
}

/**
 * Adds items in order, in Spotify's batches of 100. Batch failures report what was applied by URI; a batch whose
 * answer was lost is settled through the playlist's snapshot_id, never sent twice blindly (write-check.ts).
 */
export async function addPlaylistItems(
  client: SpotifyClient,
  playlistId: string,
  uris: readonly string[],
  options: AddItemsOptions,
): Promise<AddItemsResult> {
  const { position, counter } = options;
  let added = [...uris];
  let existing: number | undefined;
  if (options.skipExisting === true && added.length > 0) {
    const found = await missingFromPlaylist(client, playlistId, added, options.concurrency, counter);
    added = found.missing;
    existing = found.skipped;
  }
  const answers = await checkedBatched(
    client,
    playlistId,
    OPERATIONS.addPlaylistItems,
    added,
    (batch, start) => ({
      params: { playlist_id: playlistId },
      body: { uris: batch, ...(position === undefined ? {} : { position: position + start }) },
    }),
    counter,
    'tracks',
  );
  return { snapshot_id: answers.at(-1)?.snapshot_id, batches: answers.length, added, existing };
}
