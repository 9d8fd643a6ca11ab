// Playlist writes whose answer was lost (connection reset, timeout, 5xx after the request went out): Spotify may
// or may not have applied them. Every applied change gives the playlist a new snapshot_id, so reading it tells:
// unchanged since before the write → not applied → send it once more; changed → applied → carry on. The
// "before" is the previous batch's answer; the first batch of a write has none (reading one first would cost a
// request on every write, above the floor of ceil(N/100)), so its lost answer is reported as "may or may not
// have been applied" and never sent again. Knows nothing about Node-RED: the caller passes the write and the
// snapshot read as callbacks.
//
// The comparison is only sound while nobody else changes the playlist between the "before" snapshot and the
// check, so writes of one playlist made through this runtime are serialised (withPlaylistLock). A change made
// elsewhere at that very moment (the Spotify app, another program) would still be mistaken for ours.
import { runBatches, type BatchItems } from './batching';
import { SpotifyApiError } from './errors';
import type { RequestCounter } from './http-client';
import { readSnapshot } from './list-watch';
import type { Operation } from './operations';
import type { CallInput, SpotifyClient } from './spotify-client';
import { KeyedQueue } from './keyed-queue';
import { say } from './words';

/** What Spotify answers to every playlist items write (POST, PUT, DELETE /playlists/{id}/items). */
export interface SnapshotAnswer {
  snapshot_id?: string;
}

export interface CheckedWriteOps<A extends SnapshotAnswer> {
  /** Sends the write once (the HTTP client has already done its own safe retries). */
  send(): Promise<A>;
  /** The playlist's current snapshot_id (GET /playlists/{id}?fields=snapshot_id). */
  readSnapshot(): Promise<string | undefined>;
}

/** How a write's fate became known. */
export type WriteFate = 'answered' | 'applied' | 'resent';

export interface CheckedWriteResult<A extends SnapshotAnswer> {
  /** Spotify's answer; for a write seen applied through its snapshot, `{snapshot_id}` of that read. */
  answer: A | SnapshotAnswer;
  snapshotId: string | undefined;
  fate: WriteFate;
}

/** A failure that says the request may have been applied (the answer never arrived). */
export function isLostAnswer(err: unknown): err is SpotifyApiError {
  return err instanceof SpotifyApiError && err.maybeApplied;
}

/**
 * Sends one write; when its answer is lost, settles its fate from the snapshot. `before` is the snapshot_id
 * the playlist had before this write (the previous batch's answer, or one read first). Throws the original
 * error when the fate cannot be settled (no `before`, or the snapshot read fails too): it stays "may or may
 * not have been applied", and is never sent again blindly.
 */
export async function checkedWrite<A extends SnapshotAnswer>(
  before: string | undefined,
  ops: CheckedWriteOps<A>,
): Promise<CheckedWriteResult<A>> {
  let resent = false;
  for (;;) {
    let lost: SpotifyApiError;
    try {
      const answer = await ops.send();
      return { answer, snapshotId: answer?.snapshot_id, fate: resent ? 'resent' : 'answered' };
    } catch (err) {
      if (!isLostAnswer(err) || before === undefined) throw err;
      lost = err;
    }
    let now: string | undefined;
    try {
      now = await ops.readSnapshot();
    } catch {
      throw lost; // still unknown: report it as such
    }
    if (now === undefined) throw lost;
    if (now !== before) return { answer: { snapshot_id: now }, snapshotId: now, fate: 'applied' };
    if (resent) throw notApplied(lost);
    resent = true;
  }
}

export interface CheckedBatchOps<T, A extends SnapshotAnswer> {
  send(batch: T[], startIndex: number): Promise<A>;
  readSnapshot(): Promise<string | undefined>;
}

/**
 * The per-batch function for runBatches (which sends batches in order and reports what was applied): each
 * batch goes through checkedWrite, with the previous batch's answer as its "before" (none for the first).
 */
export function checkedBatchWriter<T, A extends SnapshotAnswer>(
  ops: CheckedBatchOps<T, A>,
): (batch: T[], startIndex: number) => Promise<A | SnapshotAnswer> {
  let snapshot: string | undefined;
  return async (batch, startIndex) => {
    const result = await checkedWrite(snapshot, {
      send: () => ops.send(batch, startIndex),
      readSnapshot: () => ops.readSnapshot(),
    });
    snapshot = result.snapshotId;
    return result.answer;
  };
}

/**
 * A playlist items write of any size, like SpotifyClient.batched (in order, failures as BatchError saying what
 * was applied), with each lost answer settled through the snapshot, and no other checked write of the same
 * playlist in between. Costs no request beyond the batches, but one snapshot read when an answer is lost.
 */
export function checkedBatched<T>(
  client: SpotifyClient,
  playlistId: string,
  op: Operation,
  items: readonly T[],
  toInput: (batch: T[], startIndex: number) => CallInput,
  counter?: RequestCounter,
  what?: BatchItems,
): Promise<SnapshotAnswer[]> {
  const writer = checkedBatchWriter<T, SnapshotAnswer>({
    send: (batch, start) => client.call<SnapshotAnswer>(op, toInput(batch, start), counter),
    readSnapshot: async () => (await readSnapshot(client, playlistId, counter)).snapshot_id,
  });
  return withPlaylistLock(playlistId, () => runBatches(items, Math.max(1, op.batchSize ?? items.length), writer, what));
}

const playlistWrites = new KeyedQueue();

/**
 * Runs `fn` when no other write of the same playlist (in this runtime) is running: concurrent messages to one
 * playlist are applied one after another, in arrival order, so a snapshot that changed was changed by us.
 */
export function withPlaylistLock<R>(playlistId: string, fn: () => Promise<R>): Promise<R> {
  return playlistWrites.run(playlistId, fn);
}

function notApplied(lost: SpotifyApiError): SpotifyApiError {
  return new SpotifyApiError({
    message: lost.status
      ? say('write.lostTwiceStatus', { method: lost.method, path: lost.path, status: lost.status })
      : lost.reason
        ? say('write.lostTwiceReason', { method: lost.method, path: lost.path, reason: lost.reason })
        : say('write.lostTwice', { method: lost.method, path: lost.path }),
    method: lost.method,
    path: lost.path,
    status: lost.status,
    reason: lost.reason,
    spotifyMessage: lost.spotifyMessage,
    maybeApplied: false,
  });
}
