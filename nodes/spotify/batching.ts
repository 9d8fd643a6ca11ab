// Writes of any size, cut to Spotify's batch limit and sent in order (or, where order does not matter, several
// at a time). When a batch fails, the error says exactly which items were applied, which were not, and which may
// or may not have been.
import { SpotifyApiError } from './errors';
import { say } from './words';

/** What a batched write is made of, as its error names them ("3 of 5 tracks applied"): a key of their word. */
export type BatchItems = 'tracks' | 'items' | 'uris';

export class BatchError<T> extends Error {
  readonly applied: T[];
  readonly notApplied: T[];
  /** The failed batch when its fate is unknown (the answer was lost); otherwise empty. */
  readonly uncertain: T[];
  override readonly cause: Error;
  constructor(cause: Error, applied: T[], uncertain: T[], notApplied: T[], what: BatchItems) {
    const total = applied.length + uncertain.length + notApplied.length;
    const counts = { applied: applied.length, total, what: say(`batch.what.${what}`), notApplied: notApplied.length };
    const fate = uncertain.length ? say('batch.fateUncertain', { ...counts, uncertain: uncertain.length }) : say('batch.fate', counts);
    super(`${cause.message} — ${fate}`);
    this.name = 'BatchError';
    this.applied = applied;
    this.notApplied = notApplied;
    this.uncertain = uncertain;
    this.cause = cause;
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `apply` on consecutive batches of at most `size` items, one after another (order matters for
 * playlists). Returns each batch's result; throws a BatchError on the first failure.
 */
export async function runBatches<T, R>(
  items: readonly T[],
  size: number,
  apply: (batch: T[], startIndex: number) => Promise<R>,
  what: BatchItems = 'items',
): Promise<R[]> {
  const results: R[] = [];
  let done = 0;
  for (const batch of chunk(items, size)) {
    try {
      results.push(await apply(batch, done));
    } catch (err) {
      const cause = err instanceof Error ? err : new Error(String(err));
      const unknownFate = cause instanceof SpotifyApiError && cause.maybeApplied;
      throw new BatchError(
        cause,
        items.slice(0, done),
        unknownFate ? batch : [],
        items.slice(done + (unknownFate ? batch.length : 0)),
        what,
      );
    }
    done += batch.length;
  }
  return results;
}

/**
 * Like runBatches, with up to `concurrency` batches in flight: for writes whose order does not matter. After a
 * failure no new batch starts; the ones in flight are awaited, so the error accounts for every item. Results
 * come back in batch order.
 */
export async function runBatchesAhead<T, R>(
  items: readonly T[],
  size: number,
  concurrency: number,
  apply: (batch: T[], startIndex: number) => Promise<R>,
  what: BatchItems = 'items',
): Promise<R[]> {
  const batches = chunk(items, size);
  const results: R[] = new Array<R>(batches.length);
  type Fate = 'applied' | 'uncertain' | 'failed' | undefined;
  const fates = batches.map((): Fate => undefined);
  let firstError: Error | undefined;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length && !firstError) {
      const i = next++;
      try {
        results[i] = await apply(batches[i], i * size);
        fates[i] = 'applied';
      } catch (err) {
        const cause = err instanceof Error ? err : new Error(String(err));
        fates[i] = cause instanceof SpotifyApiError && cause.maybeApplied ? 'uncertain' : 'failed';
        firstError ??= cause;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, batches.length)) }, lane));
  if (!firstError) return results;
  const pick = (fate: Fate) => batches.filter((_, i) => fates[i] === fate).flat();
  const notApplied = batches.filter((_, i) => fates[i] === 'failed' || fates[i] === undefined).flat();
  throw new BatchError(firstError, pick('applied'), pick('uncertain'), notApplied, what);
}
