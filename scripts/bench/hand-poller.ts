// A competent poller written by hand, as a function-node user would: one page per watched list per poll,
// what was last seen kept in memory (a function node's context, Node-RED's default memory store), and a
// Retry-After wait after a 429. It runs in the bench process against the same simulator and the same changes
// as the trigger nodes; a restart is a new instance (the memory store starts empty after a restart).
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import type { Simulator } from '../../test/simulator';
import { userTokens } from './user-tokens';

/** What one watcher emitted: the trigger it stands for and the changed item's key (a track uri). */
export interface Emission {
  trigger: HandPolled;
  key: string;
  at: number;
}

export type WatchedList = 'saved' | 'playlist' | 'plays';
/** Besides the lists: the player (now playing), for the idle figures only. */
export type HandPolled = WatchedList | 'player';

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
interface PlayerState {
  is_playing?: boolean;
  item?: { uri?: string } | null;
}

/** The user's own authorization: a code flow on the simulator's consent page (the same app as the pack's). */
export async function handPollerToken(sim: Simulator): Promise<string> {
  return (await userTokens(sim.url, (u) => sim.consent(u, 'approve'), DEFAULT_SCOPES)).accessToken;
}

/** Four loops (saved tracks, the watched playlists, recently played, the player), each polling at the interval. */
export class HandPoller {
  private stopped = false;
  private loops: Promise<void>[] = [];
  // The function nodes' context: gone when the process restarts.
  private savedMark: { at: string; uris: string[] } | undefined;
  private playlistUris = new Map<string, string[]>();
  private playsAfter: number | undefined;
  private player: string | undefined;

  constructor(private readonly setup: HandPollerSetup) {}

  start(): void {
    this.loops = (['saved', 'playlist', 'plays', 'player'] as const).map((what) => this.loop(() => this.pollOnce(what)));
  }

  /** One poll of one list, now (the idle figures). */
  pollOnce(what: HandPolled): Promise<void> {
    return {
      saved: () => this.pollSaved(),
      playlist: () => this.pollPlaylists(),
      plays: () => this.pollPlays(),
      player: () => this.pollPlayer(),
    }[what]();
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

  private send(trigger: HandPolled, key: string): void {
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

  /** The player: a track that started playing since the last poll (204: nothing active). */
  private async pollPlayer(): Promise<void> {
    const res = await fetch(`${this.setup.apiUrl}/me/player`, { headers: { authorization: `Bearer ${this.setup.accessToken}` } });
    if (res.status === 429) throw new RateLimited(Number(res.headers.get('retry-after') ?? 1) * 1000);
    const state = res.status === 204 ? undefined : ((await res.json()) as PlayerState);
    const now = state?.item?.uri && state.is_playing ? state.item.uri : '';
    if (this.player !== undefined && now !== this.player && now) this.send('player', now);
    this.player = now;
  }
}

class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super('429');
  }
}
