// Small per-node state that must survive a restart (cursors of "only what is new" modes and triggers): by
// default in one JSON file beside the token store, else in the state store the settings chose.
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

/** Node state in a state store: one JSON value per key, kept KEEP_MS from its last read (every poll reads it). */
export function storeNodeState(store: StateStore): NodeStateStore {
  const keyOf = (key: string): string => `state:${key}`;
  const text = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));
  return {
    shared: store.shared,
    read: async <T>(key: string): Promise<T | undefined> => {
      const value = await store.get(keyOf(key), KEEP_MS);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    },
    write: (key, value) => store.set(keyOf(key), text(value)),
    // JSON.stringify of what JSON.parse gave back is the stored text again: the comparison is exact.
    claim: (key, expected, next) => store.compareAndSet(keyOf(key), text(expected), text(next)),
  };
}
