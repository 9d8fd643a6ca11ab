// Player requests: what to play and where to start in it (PUT /me/player/play), and the control commands
// (pause, next, seek, volume, …, transfer), each checked and named by the field Spotify calls it, then sent.
// Knows nothing about Node-RED.
import { InputError } from './errors';
import { expectText } from './words';
import type { QueryValue, RequestCounter } from './http-client';
import { parseRef, parseRefs, type SpotifyRef, type SpotifyType } from './ids';
import { oneOf, optionalBool, optionalInt } from './inputs';
import { OPERATIONS, type Operation } from './operations';
import type { SpotifyClient } from './spotify-client';

// ---- play ----

const CONTEXT_TYPES: readonly SpotifyType[] = ['playlist', 'album', 'artist', 'show', 'audiobook'];
const ITEM_TYPES: readonly SpotifyType[] = ['track', 'episode', 'chapter'];
/** A bare ID counts as a track (the first type); contexts are named by URI, link or object. */
const PLAYABLE: readonly SpotifyType[] = [...ITEM_TYPES, ...CONTEXT_TYPES];
/** Bounds the request body for a runaway message. */
const MAX_URIS = 10_000;

export interface PlayBody {
  context_uri?: string;
  uris?: string[];
  offset?: { position: number } | { uri: string };
  position_ms?: number;
}

export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** What to play: one context, or a list of tracks and episodes; nothing (an empty body) resumes. */
export function playBody(what: unknown, field: string): PlayBody {
  const refs = isEmpty(what) ? [] : parseRefs(what, field, PLAYABLE, { max: MAX_URIS });
  const contexts = refs.filter((r) => CONTEXT_TYPES.includes(r.type));
  if (contexts.length > 0) {
    if (refs.length > 1) {
      throw new InputError(field, expectText('playContext'), what);
    }
    return { context_uri: contexts[0].uri };
  }
  if (refs.length === 0) return {};
  const local = refs.findIndex((r) => r.local);
  if (local >= 0) throw new InputError(refs.length > 1 ? `${field}[${local}]` : field, expectText('playLocal'), refs[local].uri);
  return { uris: refs.map((r) => r.uri) };
}

/** Where to start in what `body` plays: a position (0-based, a number or numeric string) or the item to start
 *  at (ID, URI, link or object). */
export function playOffset(body: PlayBody, value: unknown, label: string): { position: number } | { uri: string } {
  if (body.context_uri === undefined && body.uris === undefined) throw new InputError(label, expectText('offsetNothing'), value);
  const uris = body.uris;
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+\s*$/.test(value))) {
    const max = uris ? uris.length - 1 : 1_000_000;
    const position = optionalInt(value, label, 0, max) as number;
    return { position };
  }
  let ref: SpotifyRef;
  try {
    ref = parseRef(value, label, ITEM_TYPES);
  } catch {
    throw new InputError(label, expectText('offset'), value);
  }
  if (uris && !uris.includes(ref.uri)) throw new InputError(label, expectText('offsetInList'), ref.uri);
  return { uri: ref.uri };
}

/** Starts (or, with an empty body, resumes) playback on the device, or on the active one. */
export async function startPlayback(
  client: SpotifyClient,
  body: PlayBody,
  deviceId: string | undefined,
  counter?: RequestCounter,
): Promise<void> {
  await client.call(OPERATIONS.play, { query: { device_id: deviceId }, body }, counter);
}

// ---- control commands ----

export const PLAYER_COMMANDS = ['pause', 'resume', 'next', 'previous', 'seek', 'volume', 'shuffle', 'repeat', 'transfer'] as const;
export type PlayerCommand = (typeof PLAYER_COMMANDS)[number];
const REPEAT_STATES = ['track', 'context', 'off'] as const;
/** The furthest a seek may go: a day, well past any track or episode (Spotify stops at the item's end). */
export const MAX_POSITION_MS = 24 * 3_600_000;

export interface PlannedCommand {
  op: Operation;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** What the command set, by Spotify's names (position_ms, volume_percent, shuffle, repeat, play). */
  fact: Record<string, unknown>;
}

/** The request for a command, its value checked and named by the field Spotify calls it. */
export function planCommand(command: Exclude<PlayerCommand, 'transfer'>, value: unknown): PlannedCommand {
  switch (command) {
    case 'pause':
      return { op: OPERATIONS.pause, fact: {} };
    case 'resume':
      // PUT /me/player/play with no body resumes what is loaded.
      return { op: OPERATIONS.play, fact: {} };
    case 'next':
      return { op: OPERATIONS.next, fact: {} };
    case 'previous':
      return { op: OPERATIONS.previous, fact: {} };
    case 'seek': {
      const ms = required(
        optionalInt(value, 'position_ms', 0, MAX_POSITION_MS),
        'position_ms',
        expectText('milliseconds', { max: MAX_POSITION_MS }),
        value,
      );
      return { op: OPERATIONS.seek, query: { position_ms: ms }, fact: { position_ms: ms } };
    }
    case 'volume': {
      const v = required(optionalInt(value, 'volume', 0, 100), 'volume', expectText('int', { min: 0, max: 100 }), value);
      return { op: OPERATIONS.volume, query: { volume_percent: v }, fact: { volume_percent: v } };
    }
    case 'shuffle': {
      const on = required(optionalBool(value, 'shuffle'), 'shuffle', expectText('bool'), value);
      return { op: OPERATIONS.shuffle, query: { state: on }, fact: { shuffle: on } };
    }
    case 'repeat': {
      const state = required(
        value === undefined || value === null || value === ''
          ? undefined
          : oneOf(typeof value === 'string' ? value.trim().toLowerCase() : value, 'repeat', REPEAT_STATES, 'off'),
        'repeat',
        expectText('oneOf', { values: REPEAT_STATES.join(', ') }),
        value,
      );
      return { op: OPERATIONS.repeat, query: { state }, fact: { repeat: state } };
    }
  }
}

/** Moves playback to the device, playing or paused as `play` says. */
export function planTransfer(deviceId: string, play: boolean): PlannedCommand {
  return { op: OPERATIONS.transferPlayback, body: { device_ids: [deviceId], play }, fact: { play } };
}

/** Sends the command, to the device when one is named (a transfer names its own in the body). */
export async function sendCommand(
  client: SpotifyClient,
  planned: PlannedCommand,
  deviceId: string | undefined,
  counter?: RequestCounter,
): Promise<void> {
  const query =
    deviceId !== undefined && planned.op !== OPERATIONS.transferPlayback ? { ...planned.query, device_id: deviceId } : planned.query;
  await client.call(planned.op, { query, body: planned.body }, counter);
}

function required<T>(value: T | undefined, field: string, expected: string, got: unknown): T {
  if (value === undefined) throw new InputError(field, expected, got === undefined ? undefined : got);
  return value;
}
