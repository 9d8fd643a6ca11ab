// A competent poller written by hand, as a function-node user would: one page per watched list per poll,
// what was last seen kept in memory (a function node's context, Node-RED's default memory store), and a
// Retry-After wait after a 429. It runs in the bench process against the same simulator and the same changes
// as the trigger nodes; a restart is a new instance (the memory store starts empty after a restart).

/** What one watcher emitted: the trigger it stands for and the changed item's key (a track uri). */
export interface Emission {
  trigger: WatchedList;
  key: string;
  at: number;
}

export type WatchedList = 'saved' | 'playlist' | 'plays';

export interface HandPollerSetup {
  apiUrl: string;
  accessToken: string;
  intervalMs: number;
  playlistIds: readonly string[];
  emit(e: Emission): void;
}

const PAGE = 50;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface SavedPage {
  items: { added_at: string; track: { uri: string } }[];
}
interface PlaysPage {
  items: { played_at: string; track: { uri: string } }[];
}
interface ItemsPage {
  items: { item?: { uri?: string } | null }[];
}

/** Three loops (saved tracks, the watched playlists, recently played), each polling at the interval. */
export class HandPoller {
  private stopped = false;
  private loops: Promise<void>[] = [];
  // The function nodes' context: gone when the process restarts.
  private savedMark: { at: string; uris: string[] } | undefined;
  private playlistUris = new Map<string, string[]>();
  private playsAfter: number | undefined;

  constructor(private readonly setup: HandPollerSetup) {}

  start(): void {
    this.loops = [this.loop(() => this.pollSaved()), this.loop(() => this.pollPlaylists()), this.loop(() => this.pollPlays())];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async loop(poll: () => Promise<void>): Promise<void> {
    while (!this.stopped) {
      let wait = this.setup.intervalMs;
      try {
        await poll();
      } catch (err) {
        if (err instanceof RateLimited) wait = Math.max(wait, err.retryAfterMs);
      }
      const end = Date.now() + wait;
      while (!this.stopped && Date.now() < end) await sleep(Math.min(50, end - Date.now()));
    }
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.setup.apiUrl}${path}`, { headers: { authorization: `Bearer ${this.setup.accessToken}` } });
    if (res.status === 429) throw new RateLimited(Number(res.headers.get('retry-after') ?? 1) * 1000);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return (await res.json()) as T;
  }

  private send(trigger: WatchedList, key: string): void {
    if (!this.stopped) this.setup.emit({ trigger, key, at: Date.now() });
  }

  /** Newest first: everything above the last mark is new (added_at has whole seconds: uris at the mark too). */
  private async pollSaved(): Promise<void> {
    const page = await this.get<SavedPage>(`/me/tracks?limit=${PAGE}`);
    const items = page.items.filter((i) => i?.track?.uri);
    const mark = this.savedMark;
    const fresh = mark ? items.filter((i) => i.added_at > mark.at || (i.added_at === mark.at && !mark.uris.includes(i.track.uri))) : [];
    for (const i of [...fresh].reverse()) this.send('saved', i.track.uri);
    const newest = items[0]?.added_at ?? mark?.at ?? '';
    const atNewest = items.filter((i) => i.added_at === newest).map((i) => i.track.uri);
    this.savedMark = { at: newest, uris: newest === mark?.at ? [...new Set([...mark.uris, ...atNewest])] : atNewest };
  }

  /** One page of each watched playlist (they are short here): uris not there last time are new. */
  private async pollPlaylists(): Promise<void> {
    for (const id of this.setup.playlistIds) {
      const page = await this.get<ItemsPage>(`/playlists/${id}/items?limit=${PAGE}`);
      const uris = page.items.map((e) => e.item?.uri).filter((u): u is string => typeof u === 'string');
      const before = this.playlistUris.get(id);
      if (before) {
        const left = [...before];
        for (const uri of uris) {
          const at = left.indexOf(uri);
          if (at >= 0) left.splice(at, 1);
          else this.send('playlist', uri);
        }
      }
      this.playlistUris.set(id, uris);
    }
  }

  /** Recently played after the last play seen (Spotify's `after` cursor). */
  private async pollPlays(): Promise<void> {
    const after = this.playsAfter;
    const page = await this.get<PlaysPage>(`/me/player/recently-played?limit=${PAGE}${after === undefined ? '' : `&after=${after}`}`);
    const plays = page.items.map((p) => ({ at: Date.parse(p.played_at), uri: p.track.uri })).filter((p) => Number.isFinite(p.at));
    if (after !== undefined) for (const p of plays.filter((x) => x.at > after).sort((a, b) => a.at - b.at)) this.send('plays', p.uri);
    this.playsAfter = Math.max(after ?? 0, ...plays.map((p) => p.at));
  }
}

class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super('429');
  }
}
