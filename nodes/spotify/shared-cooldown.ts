// One 429 cooldown per Spotify app across every process sharing a store: Spotify counts the app's requests
// together, so a Retry-After one process was given holds for all. The end of the cooldown is kept in the store
// (a process starting during it waits too, and the key expires with it) and announced to the others at once.
// An end read from the store or heard from another process is capped like a Retry-After (Cooldown.maxMs): a
// value forged into Redis cannot stop the app for longer, and a stored one beyond the cap is cut back to it.
import { createHash } from 'node:crypto';
import type { Cooldown } from './rate-limit';
import type { StateStore, StoreEvent } from './state-store';

const sharing = new WeakMap<StateStore, Set<string>>();

/** The app's name in keys and events: its API address and client id, hashed into something short. */
export function cooldownApp(appKey: string): string {
  return createHash('sha256').update(appKey).digest('hex').slice(0, 24);
}

/** The store key holding the app `appKey`'s cooldown end. */
export function cooldownKey(appKey: string): string {
  return `cooldown:${cooldownApp(appKey)}`;
}

/** Shares `cooldown` (the app `appKey`'s, in this process) through `store`; once per app and store. */
export function shareCooldown(store: StateStore, appKey: string, cooldown: Cooldown): void {
  if (!store.shared) return;
  let apps = sharing.get(store);
  if (!apps) sharing.set(store, (apps = new Set()));
  if (apps.has(appKey)) return;
  apps.add(appKey);

  const app = cooldownApp(appKey);
  const key = cooldownKey(appKey);
  // An end heard from the others is not told back to them.
  let adopting = false;
  const adopt = (until: number, quota: boolean): void => {
    adopting = true;
    try {
      cooldown.extendTo(until, quota);
    } finally {
      adopting = false;
    }
  };

  cooldown.watch((until, quota) => {
    if (adopting) return;
    const left = until - Date.now();
    if (left <= 0) return;
    // A store that is away must not fail the request that met the 429: this process waits anyway.
    void store
      .set(key, JSON.stringify({ until, quota }), left)
      .then(() => store.publish({ type: 'cooldown', app, until, quota }))
      .catch(() => undefined);
  });
  store.subscribe((event: StoreEvent) => {
    if (event.type === 'cooldown' && event.app === app && typeof event.until === 'number') adopt(event.until, event.quota === true);
  });
  void store
    .get(key)
    .then(async (text) => {
      if (text === undefined) return;
      const value = JSON.parse(text) as { until?: unknown; quota?: unknown };
      if (typeof value.until !== 'number') return;
      adopt(value.until, value.quota === true);
      // The store keeps what this process keeps: a key beyond the cap or without an expiry (no process of the pack
      // writes either) is cut back and expires with the cooldown; one already over goes.
      const end = cooldown.resumesAt();
      const kept = end === undefined ? undefined : JSON.stringify({ until: end, quota: cooldown.quotaExceeded() });
      await store.compareAndSet(key, text, kept, end === undefined ? undefined : end - Date.now());
    })
    .catch(() => undefined); // unreachable or unreadable: nothing to wait for that this process knows of
}
