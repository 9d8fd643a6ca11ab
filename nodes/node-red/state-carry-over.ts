// Moving an installation from the file store to another (Redis, a context store): the state its triggers and
// "only new" nodes kept in tunewire-state.json is carried over once, before any node reads the new store, so the
// move neither sends again what was already sent nor loses what came meanwhile.
import * as path from 'node:path';
import type { StateStore } from '../spotify/state-store';
import { readNodeStateFile, writeNodeState, type NodeStateStore } from './node-state';

/** The state file's entry saying where its entries went (a node's entry is "<kind>:<node id>", never this). */
export const CARRIED_MARK = 'carried over';
/** Longer than copying a file of cursors takes; the lock's lease frees it within seconds if its holder dies. */
const CARRY_LOCK_MS = 60_000;

export interface CarriedOver {
  fileName: string;
  /** Entries this process copied (0: the store had them all, e.g. another instance copied them first). */
  count: number;
  /** How many of them per kind of node ("new-plays", "recently-played", …). */
  kinds: Record<string, number>;
  /** Why the file could not be marked (then the next start compares again: it copies only what the store lacks). */
  unmarked?: string;
}

/**
 * Copies the entries of the state file at `filePath` that `target` does not have yet (an entry the store has is
 * newer: a node there moved it on), under the store's lock, so that of instances starting together the first
 * copies and the others find the entries there. Then marks the file, so a later start (or a store emptied since)
 * does not bring old cursors back; its entries stay as they were. undefined: nothing to carry (no file, or marked).
 * `target` must be the store's node state without the wait for this carry-over.
 */
export async function carryOverStateFile(filePath: string, store: StateStore, target: NodeStateStore): Promise<CarriedOver | undefined> {
  const entries = await readNodeStateFile(filePath);
  const keys = Object.keys(entries).filter((key) => key !== CARRIED_MARK);
  if (keys.length === 0 || Object.prototype.hasOwnProperty.call(entries, CARRIED_MARK)) return undefined;
  const kinds: Record<string, number> = {};
  const count = await store.withLock('carry-over:state-file', CARRY_LOCK_MS, async () => {
    let copied = 0;
    for (const key of keys) {
      if (!(await target.claim(key, undefined, entries[key]))) continue;
      copied++;
      const kind = key.slice(0, Math.max(0, key.indexOf(':'))) || key;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    return copied;
  });
  const carried: CarriedOver = { fileName: path.basename(filePath), count, kinds };
  try {
    await writeNodeState(filePath, CARRIED_MARK, { to: store.label, at: new Date().toISOString(), count });
  } catch (err) {
    carried.unmarked = err instanceof Error ? err.message : String(err);
  }
  return carried;
}
