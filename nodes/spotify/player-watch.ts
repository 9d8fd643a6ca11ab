// Watching the player without webhooks: one GET /me/player per poll, what changed between two answers, and
// when to look next (right after the current track should end; less often while nothing plays).
import type { RequestCounter } from './http-client';
import { OPERATIONS } from './operations';
import type { SpotifyClient } from './spotify-client';
import { WITH_EPISODES } from './item-types';

export interface PlayerItem {
  uri: string;
  name?: string;
  type?: string;
  duration_ms?: number;
  [key: string]: unknown;
}

export interface PlayerDevice {
  id: string | null;
  name?: string;
  [key: string]: unknown;
}

/** The parts of GET /me/player this watcher reads; the rest of Spotify's answer is passed through as is. */
export interface PlaybackState {
  is_playing: boolean;
  progress_ms: number | null;
  item: PlayerItem | null;
  device: PlayerDevice | null;
  currently_playing_type?: string;
  [key: string]: unknown;
}

export const PLAYER_EVENTS = ['track', 'started', 'paused', 'resumed', 'device', 'stopped'] as const;
export type PlayerEvent = (typeof PLAYER_EVENTS)[number];

export interface PlayerChange {
  /** The most significant change: track > started/stopped > device > paused/resumed. */
  event: PlayerEvent;
  /** Every change seen between the two answers (a new track on another device: ['track', 'device']). */
  changes: PlayerEvent[];
}

/** The player now, or null when no device is active (Spotify answers 204). Episodes are asked for too. */
export async function readPlayback(
  client: SpotifyClient,
  counter: RequestCounter,
  signal?: AbortSignal,
  /** Country the items are relinked for (Spotify's `market`); undefined: the user's own. */
  market?: string,
): Promise<PlaybackState | null> {
  const body = await client.call<PlaybackState | undefined>(
    OPERATIONS.playbackState,
    { query: { ...WITH_EPISODES, market }, signal },
    counter,
  );
  return body && typeof body === 'object' ? body : null;
}

/** Something is loaded on an active device (playing or paused). */
export function isLoaded(s: PlaybackState | null | undefined): s is PlaybackState & { item: PlayerItem } {
  return !!s && !!s.item && typeof s.item.uri === 'string';
}

/** An ad (free accounts) has no item: it is a pause in the data, not a stop, so it is not compared. */
export function isTransient(s: PlaybackState | null): boolean {
  return !!s && !s.item && s.currently_playing_type === 'ad';
}

/** What changed from `prev` to `cur`, or undefined when nothing a user would notice did (progress only). */
export function playerChange(prev: PlaybackState | null, cur: PlaybackState | null): PlayerChange | undefined {
  const was = isLoaded(prev);
  const is = isLoaded(cur);
  if (!was && !is) return undefined;
  if (was && !is) return { event: 'stopped', changes: ['stopped'] };
  const now = cur as PlaybackState & { item: PlayerItem };
  if (!was) {
    // A device became active: playing is a start; loaded but paused only tells which device woke up.
    return now.is_playing ? { event: 'started', changes: ['started'] } : { event: 'device', changes: ['device'] };
  }
  const before = prev;
  const changes: PlayerEvent[] = [];
  if (before.item.uri !== now.item.uri) changes.push('track');
  if ((before.device?.id ?? null) !== (now.device?.id ?? null)) changes.push('device');
  if (before.is_playing !== now.is_playing) changes.push(now.is_playing ? 'resumed' : 'paused');
  return changes.length > 0 ? { event: changes[0], changes } : undefined;
}

/** A poll this long after the expected end of the track sees the next one. */
export const TRACK_END_MARGIN_MS = 2000;

export interface NextPoll {
  delayMs: number;
  /** This poll was moved forward to the end of the track. */
  early: boolean;
}

/**
 * When to look again: at the regular interval while something plays; shortly after the track should end when
 * that comes sooner (once: if the same track is still there, back to the interval, so a stalled player cannot
 * cause a burst of polls); `idleFactor` times the interval while nothing plays.
 */
export function nextPlayerPoll(cur: PlaybackState | null, intervalMs: number, idleFactor: number, lastWasEarly: boolean): NextPoll {
  if (!isLoaded(cur) || !cur.is_playing) return { delayMs: intervalMs * Math.max(1, idleFactor), early: false };
  const duration = cur.item.duration_ms;
  const progress = cur.progress_ms;
  if (!lastWasEarly && typeof duration === 'number' && typeof progress === 'number') {
    const remaining = duration - progress;
    if (remaining > 0 && remaining + TRACK_END_MARGIN_MS < intervalMs) return { delayMs: remaining + TRACK_END_MARGIN_MS, early: true };
  }
  return { delayMs: intervalMs, early: false };
}
