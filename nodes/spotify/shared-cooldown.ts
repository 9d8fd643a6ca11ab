// One 429 cooldown per Spotify app across every process sharing a store: Spotify counts the app's requests
// together, so a Retry-After one process was given holds for all. The end of the cooldown is kept in the store
// (a process starting during it waits too) and announced to the others at once.
import { createHash } from 'node:crypto';
import type { Cooldown } from './rate-limit';
import type { StateStore, StoreEvent } from './state-store';

const sharing = new WeakMap<StateStore, Set<string>>();

/** Shares `cooldown` (the app `appKey`'s, in this process) through `store`; once per app and store. */
export function shareCooldown(store: StateStore, appKey: string, cooldown: Cooldown): void {
  if (!store.shared) return;
  let apps = sharing.get(store);
  if (!apps) sharing.set(store, (apps = new Set()));
  if (apps.has(appKey)) return;
  apps.add(appKey);

  // The app's name in keys and events: its API address and client id, hashed into something short.
  const app = createHash('sha256').update(appKey).digest('hex').slice(0, 24);
  const key = `cooldown:${app}`;
  // The latest end this process told the others or heard from them: hearing it back must not echo it.
  let known = 0;
  const adopt = (until: number, quota: boolean): void => {
    if (until <= known) return;
    known = until;
    cooldown.extendTo(until, quota);
  };

  cooldown.watch((until, quota) => {
    if (until <= known) return;
    known = until;
    // A store that is away must not fail the request that met the 429: this process waits anyway.
    void store
      .set(key, JSON.stringify({ until, quota }))
      .then(() => store.publish({ type: 'cooldown', app, until, quota }))
      .catch(() => undefined);
  });
  store.subscribe((event: StoreEvent) => {
    if (event.type === 'cooldown' && event.app === app && typeof event.until === 'number') adopt(event.until, event.quota === true);
  });
  void store
    .get(key)
    .then((text) => {
      if (text === undefined) return;
      const value = JSON.parse(text) as { until?: unknown; quota?: unknown };
      if (typeof value.until === 'number') adopt(value.until, value.quota === true);
    })
    .catch(() => undefined); // unreachable or unreadable: nothing to wait for that this process knows of
}
