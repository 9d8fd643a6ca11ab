// Small per-node state that must survive a restart (cursors of "only what is new" modes and triggers): by
// default in one JSON file beside the token store, else in the state store the settings chose. On a store shared
// by several processes, what a move of the state accounts for is sent by the one process that claimed the move.
import { JsonFileStore } from '../spotify/file-store';
import { KEEP_MS, type StateStore } from '../spotify/state-store';

export interface NodeStateStore {
  /** Several processes share it: a cursor must then be claimed (claim) before what it accounts for goes out. */
  readonly shared: boolean;
  read<T>(key: string): Promise<T | undefined>;
  write(key: string, value: unknown): Promise<void>;
  /** Moves the state from `expected` (as read) to `next` unless another process moved it first; true when done. */
  claim(key: string, expected: unknown, next: unknown): Promise<boolean>;
}

type StateFile = Record<string, unknown>;
const stores = new Map<string, JsonFileStore<StateFile>>();

function storeAt(path: string): JsonFileStore<StateFile> {
  let s = stores.get(path);
  if (!s) {
    s = new JsonFileStore<StateFile>(path);
    stores.set(path, s);
  }
  return s;
}

/** Every entry of the state file at `path` (none when there is no file). */
export async function readNodeStateFile(path: string): Promise<Readonly<Record<string, unknown>>> {
  const all = await storeAt(path).read();
  // Written only by this module as one object; anything else holds no node's state.
  return typeof all === 'object' && all !== null && !Array.isArray(all) ? all : {};
}

export async function readNodeState<T>(path: string, key: string): Promise<T | undefined> {
  const all = await storeAt(path).read();
  return all && Object.prototype.hasOwnProperty.call(all, key) ? (all[key] as T) : undefined;
}

export async function writeNodeState(path: string, key: string, value: unknown): Promise<void> {
  await storeAt(path).update((all) => {
    const next: StateFile = Object.assign(Object.create(null) as StateFile, all);
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next;
  });
}

/** The state file at `path`, exactly as before there was a choice of stores. */
export function fileNodeState(path: string): NodeStateStore {
  return {
    shared: false,
    read: (key) => readNodeState(path, key),
    write: (key, value) => writeNodeState(path, key, value),
    claim: async (key, _expected, next) => {
      await writeNodeState(path, key, next);
      return true;
    },
  };
}

/**
 * Node state in a state store: one JSON value per key, kept KEEP_MS from its last read (every poll reads it).
 * `ready` settles when the store may be used (the state file's entries being carried over into it first).
 */
export function storeNodeState(store: StateStore, ready: () => Promise<void> = () => Promise.resolve()): NodeStateStore {
  const keyOf = (key: string): string => `state:${key}`;
  const text = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));
  return {
    shared: store.shared,
    read: async <T>(key: string): Promise<T | undefined> => {
      await ready();
      const value = await store.get(keyOf(key), KEEP_MS);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    write: async (key, value) => {
      await ready();
      await store.set(keyOf(key), text(value));
    },
    // JSON.stringify of what JSON.parse gave back is the stored text again: the comparison is exact.
    claim: async (key, expected, next) => {
      await ready();
      return store.compareAndSet(keyOf(key), text(expected), text(next));
    },
  };
}

/**
 * Sends what moves the state at `key` from `expected` (as read) to `next`, once across the processes sharing the
 * store: there the move is claimed first and only the process that won it sends (the others' copies are dropped:
 * the winner sent the same). On a store of one process it sends first and moves the state after, so a send that
 * fails leaves the state where it was, for the next run. True when this process sent.
 */
export async function sendOnce(
  state: NodeStateStore,
  key: string,
  expected: unknown,
  next: unknown,
  send: () => void | Promise<unknown>,
): Promise<boolean> {
  if (state.shared) {
    if (!(await state.claim(key, expected, next))) return false;
    await send();
    return true;
  }
  await send();
  await state.write(key, next);
  return true;
}
