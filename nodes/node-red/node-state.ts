// Small per-node state that must survive a restart (cursors of "only what is new" modes and triggers),
// kept in one JSON file beside the token store.
import { JsonFileStore } from '../spotify/file-store';

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
