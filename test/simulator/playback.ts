// The player as a small state machine: what plays where, from which context, and what comes next. Both the
// Web API commands and Simulator.play()/pause() (the user on their phone) drive it. Starting an item records a
// play, so recently-played follows what the simulator "heard".

import type { DeviceRec, SimStore } from './data';
import { parseUri } from './ids';

export interface StartOptions {
  deviceId?: string;
  progressMs?: number;
  contextUri?: string | null;
  contextItems?: string[];
  contextPos?: number;
}

export class Playback {
  constructor(private readonly store: SimStore) {}

  private get p() {
    return this.store.playerRec;
  }

  device(id: string): DeviceRec | undefined {
    return this.p.devices.find((d) => d.id === id);
  }

  activeDevice(): DeviceRec | undefined {
    return this.p.deviceId === null ? undefined : this.device(this.p.deviceId);
  }

  start(uri: string, opts: StartOptions = {}, now: number = Date.now()): void {
    const p = this.p;
    p.deviceId = opts.deviceId ?? p.deviceId ?? p.devices[0].id;
    p.itemUri = uri;
    p.progressMs = opts.progressMs ?? 0;
    p.since = now;
    p.isPlaying = true;
    if (opts.contextUri !== undefined) {
      p.contextUri = opts.contextUri;
      p.contextItems = opts.contextItems ?? [];
      p.contextPos = opts.contextPos ?? 0;
    }
    this.store.recordPlay(uri, now, p.contextUri);
  }

  pause(): void {
    const p = this.p;
    if (!p.isPlaying) return;
    p.progressMs = this.store.progressNow();
    p.since = Date.now();
    p.isPlaying = false;
  }

  /** Resume; with nothing loaded, pick up the most recent play, as the Spotify apps do. */
  resume(): boolean {
    const p = this.p;
    if (!p.itemUri) {
      const last = this.store.playLog[this.store.playLog.length - 1];
      if (!last) return false;
      p.itemUri = last.uri;
      p.progressMs = 0;
    }
    if (!p.isPlaying) {
      p.since = Date.now();
      p.isPlaying = true;
    }
    return true;
  }

  seek(ms: number): void {
    const p = this.p;
    p.progressMs = p.itemUri ? Math.min(ms, this.store.durationOf(p.itemUri)) : 0;
    p.since = Date.now();
  }

  /** The next button; `repeatTrack` is false for a skip (the apps move on) and true when a track ends by itself. */
  next(now: number = Date.now(), repeatTrack = false): void {
    const p = this.p;
    const queued = p.queue.shift();
    if (queued) return this.start(queued, {}, now);
    if (repeatTrack && p.repeat === 'track' && p.itemUri) return this.start(p.itemUri, {}, now);
    let pos = p.contextPos + 1;
    if (pos >= p.contextItems.length && p.repeat === 'context') pos = 0;
    if (pos < p.contextItems.length) {
      p.contextPos = pos;
      return this.start(p.contextItems[pos], {}, now);
    }
    // End of the context: stop at the start of the last item.
    p.isPlaying = false;
    p.progressMs = 0;
    p.since = now;
  }

  /**
   * Plays on by itself: an item that has reached its end gives way to the next one (queue, repeat, context) at
   * the moment it ended, as a real device does between two looks at the player. Called before every answer.
   */
  settle(now: number = Date.now()): void {
    const p = this.p;
    // Bounded: a long pause between two requests must not replay a whole 500-track context one by one.
    for (let step = 0; step < 1000 && p.isPlaying && p.itemUri; step++) {
      const duration = this.store.durationOf(p.itemUri);
      const endsAt = p.since + (duration - p.progressMs);
      if (endsAt > now) return;
      this.next(endsAt, true);
    }
  }

  previous(): void {
    const p = this.p;
    // Like the apps: a few seconds in, "previous" restarts the current item.
    if (this.store.progressNow() > 3000 || p.contextPos === 0 || p.contextItems.length === 0) return this.seek(0);
    p.contextPos -= 1;
    this.start(p.contextItems[p.contextPos]);
  }

  /** The playable items of a context URI in play order, or undefined when there is no such context. */
  contextItems(uri: string): string[] | undefined {
    const parsed = parseUri(uri);
    if (typeof parsed === 'string') return undefined;
    const c = this.store.catalogue;
    const track = (i: number) => `spotify:track:${c.id('track', i)}`;
    if (parsed.type === 'playlist') {
      const pl = this.store.playlistMap.get(parsed.id);
      if (!pl) return undefined;
      // Capped: a context is only needed for next/previous, not as a copy of a 50,000-entry playlist.
      return pl.entries
        .slice(0, Math.min(pl.entries.length, 500))
        .filter((e) => !e.is_local)
        .map((e) => e.uri);
    }
    if (parsed.type === 'album') {
      const i = c.indexOf('album', parsed.id);
      if (i === undefined) return undefined;
      const a = c.album(i);
      return Array.from({ length: a.trackCount }, (_, k) => track(a.firstTrack + k));
    }
    if (parsed.type === 'artist') {
      const i = c.indexOf('artist', parsed.id);
      if (i === undefined) return undefined;
      const a = c.album(c.albumsOfArtist(i)[0]);
      return Array.from({ length: a.trackCount }, (_, k) => track(a.firstTrack + k));
    }
    if (parsed.type === 'show') {
      const i = c.indexOf('show', parsed.id);
      if (i === undefined) return undefined;
      const s = c.show(i);
      return Array.from(
        { length: s.episodeCount },
        (_, k) => `spotify:episode:${c.id('episode', s.firstEpisode + s.episodeCount - 1 - k)}`,
      );
    }
    if (parsed.type === 'audiobook') {
      const i = c.indexOf('audiobook', parsed.id);
      if (i === undefined) return undefined;
      const b = c.audiobook(i);
      return Array.from({ length: b.chapterCount }, (_, k) => `spotify:chapter:${c.id('chapter', b.firstChapter + k)}`);
    }
    return undefined;
  }
}
