// A remote control for one account's player, as a now-playing card needs it: the few facts a screen shows
// (built from Spotify's player answer, never with a token or anything of the account in it) and the buttons'
// commands turned into player requests. Knows nothing about Node-RED or dashboards.
import { listDevices } from './devices';
import { InputError } from './errors';
import { expectText } from './words';
import type { QueryValue, RequestCounter } from './http-client';
import { parseRefs, type SpotifyType } from './ids';
import { oneOf, optionalBool, optionalInt } from './inputs';
import { OPERATIONS, type Operation } from './operations';
import { MAX_POSITION_MS } from './player';
import { isLoaded, type PlaybackState } from './player-watch';
import type { SpotifyClient } from './spotify-client';

export const CARD_COMMANDS = ['play', 'pause', 'toggle', 'next', 'previous', 'shuffle', 'repeat', 'volume', 'seek', 'transfer'] as const;
export type CardCommand = (typeof CARD_COMMANDS)[number];
export const REPEAT_STATES = ['off', 'context', 'track'] as const;
export type RepeatState = (typeof REPEAT_STATES)[number];

/** no-device: Spotify sees no active device (204); idle: a device is active with nothing loaded. */
export type PlayerMode = 'playing' | 'paused' | 'idle' | 'no-device';

export interface ViewDevice {
  id: string | null;
  name: string;
  type: string;
  volume_percent: number | null;
  is_active: boolean;
}

export interface ViewItem {
  uri: string;
  name: string;
  artists: string[];
  /** The album (a track) or the show (an episode). */
  album: string | null;
  /** The largest cover image Spotify lists. */
  image: string | null;
  duration_ms: number | null;
}

/** What every screen of a card shows: plain data, safe to send to any browser. */
export interface PlayerView {
  mode: PlayerMode;
  item: ViewItem | null;
  progress_ms: number;
  device: ViewDevice | null;
  shuffle: boolean;
  repeat: RepeatState;
  /** The account's devices, once a screen asked for them (the device picker). */
  devices?: ViewDevice[];
  /** Epoch ms of the answer this view was built from (the progress bar moves on from here). */
  at: number;
  /** A short text when the last poll or command failed. */
  problem?: string;
}

const CONTEXT_TYPES: readonly SpotifyType[] = ['playlist', 'album', 'artist', 'show', 'audiobook'];
const ITEM_TYPES: readonly SpotifyType[] = ['track', 'episode', 'chapter'];
const MAX_TEXT = 300;
/** Spotify's play takes a list of URIs in one body: bounded like the play node's. */
const MAX_PLAY_URIS = 10_000;

/** The view of a GET /me/player answer (null: no active device). Unknown shapes give empty fields, never an error. */
export function playerView(state: PlaybackState | null, at: number, devices?: ViewDevice[]): PlayerView {
  const device = state ? viewDevice(state.device) : null;
  const base = {
    device,
    shuffle: state?.shuffle_state === true,
    repeat: REPEAT_STATES.includes(state?.repeat_state as RepeatState) ? (state?.repeat_state as RepeatState) : 'off',
    at,
    ...(devices ? { devices } : {}),
  };
  if (!state) return { mode: 'no-device', item: null, progress_ms: 0, ...base, device: null };
  if (!isLoaded(state)) return { mode: 'idle', item: null, progress_ms: 0, ...base };
  const progress = typeof state.progress_ms === 'number' && state.progress_ms >= 0 ? state.progress_ms : 0;
  return { mode: state.is_playing ? 'playing' : 'paused', item: viewItem(state.item), progress_ms: progress, ...base };
}

function viewItem(item: Record<string, unknown> & { uri: string }): ViewItem {
  const album = record(item.album) ?? record(item.show) ?? record(item.audiobook);
  const artists = Array.isArray(item.artists) ? item.artists : Array.isArray(item.authors) ? item.authors : [];
  return {
    uri: text(item.uri) ?? '',
    name: text(item.name) ?? text(item.uri) ?? '',
    artists: artists.map((a) => text(record(a)?.name)).filter((n): n is string => !!n),
    album: text(album?.name) ?? null,
    image: largestImage(album?.images ?? item.images),
    duration_ms: typeof item.duration_ms === 'number' ? item.duration_ms : null,
  };
}

export function viewDevice(d: unknown): ViewDevice | null {
  const r = record(d);
  if (!r) return null;
  return {
    id: typeof r.id === 'string' ? r.id : null,
    name: text(r.name) ?? '',
    type: text(r.type) ?? '',
    volume_percent: typeof r.volume_percent === 'number' ? r.volume_percent : null,
    is_active: r.is_active === true,
  };
}

function largestImage(images: unknown): string | null {
  if (!Array.isArray(images)) return null;
  let best: { url: string; size: number } | undefined;
  for (const img of images) {
    const r = record(img);
    const url = text(r?.url);
    // Only web addresses: a view must not carry a javascript: or data: link into a page.
    if (!r || !url || !/^https?:\/\//i.test(url)) continue;
    const size = typeof r.width === 'number' ? r.width : 0;
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url ?? null;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v.slice(0, MAX_TEXT) : undefined;
}

export interface CardRequest {
  command: CardCommand;
  value?: unknown;
}

export interface Planned {
  op: Operation;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** The value as sent (volume 40, shuffle true, the device id …), for the output message. */
  value?: unknown;
}

/** Reads a command and its value from a button or a message; names the field when the value is wrong. */
export function cardRequest(command: unknown, value: unknown): CardRequest {
  const name = typeof command === 'string' ? command.trim().toLowerCase() : command;
  if (!CARD_COMMANDS.includes(name as CardCommand))
    throw new InputError('command', expectText('oneOf', { values: CARD_COMMANDS.join(', ') }), command);
  return { command: name as CardCommand, value };
}

/**
 * The request for a command. `toggle` pauses or resumes by what the view shows; `play` with a value starts a
 * context (playlist, album, artist, show, audiobook) or tracks, without one it resumes.
 */
export function planCommand(req: CardRequest, view: PlayerView | undefined): Planned {
  const { value } = req;
  switch (req.command) {
    case 'toggle':
      return view?.mode === 'playing' ? { op: OPERATIONS.pause } : { op: OPERATIONS.play };
    case 'pause':
      return { op: OPERATIONS.pause };
    case 'play':
      return planPlay(value);
    case 'next':
      return { op: OPERATIONS.next };
    case 'previous':
      return { op: OPERATIONS.previous };
    case 'shuffle': {
      const on = value === undefined || value === null || value === '' ? !view?.shuffle : optionalBool(value, 'shuffle');
      return { op: OPERATIONS.shuffle, query: { state: on === true }, value: on === true };
    }
    case 'repeat': {
      // No value: the next state in the order the Spotify apps cycle through.
      const state =
        value === undefined || value === null || value === ''
          ? REPEAT_STATES[(REPEAT_STATES.indexOf(view?.repeat ?? 'off') + 1) % REPEAT_STATES.length]
          : oneOf(typeof value === 'string' ? value.trim().toLowerCase() : value, 'repeat', REPEAT_STATES, 'off');
      return { op: OPERATIONS.repeat, query: { state }, value: state };
    }
    case 'volume': {
      const v = optionalInt(value, 'volume', 0, 100);
      if (v === undefined) throw new InputError('volume', expectText('int', { min: 0, max: 100 }), value);
      return { op: OPERATIONS.volume, query: { volume_percent: v }, value: v };
    }
    case 'seek': {
      const ms = optionalInt(value, 'position_ms', 0, MAX_POSITION_MS);
      if (ms === undefined) throw new InputError('position_ms', expectText('milliseconds', { max: MAX_POSITION_MS }), value);
      return { op: OPERATIONS.seek, query: { position_ms: ms }, value: ms };
    }
    case 'transfer': {
      if (typeof value !== 'string' || !/^[0-9a-f]{40}$/i.test(value.trim())) throw new InputError('device', expectText('deviceId'), value);
      // The new device carries on as the old one was: playing stays playing.
      return { op: OPERATIONS.transferPlayback, body: { device_ids: [value.trim()], play: view?.mode === 'playing' }, value: value.trim() };
    }
  }
}

function planPlay(value: unknown): Planned {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return { op: OPERATIONS.play };
  const refs = parseRefs(value, 'play', [...ITEM_TYPES, ...CONTEXT_TYPES], { max: MAX_PLAY_URIS });
  const context = refs.find((r) => CONTEXT_TYPES.includes(r.type));
  if (context) {
    if (refs.length > 1) throw new InputError('play', expectText('playOne'), value);
    return { op: OPERATIONS.play, body: { context_uri: context.uri }, value: context.uri };
  }
  const uris = refs.map((r) => r.uri);
  return { op: OPERATIONS.play, body: { uris }, value: uris.length === 1 ? uris[0] : uris };
}

/**
 * Sends a command. Play with no device active would be refused (NO_ACTIVE_DEVICE), so it goes to the first
 * device Spotify lists, as a person would pick one: a "play my playlist" button on a wall tablet just plays.
 */
export async function runCommand(
  client: SpotifyClient,
  req: CardRequest,
  view: PlayerView | undefined,
  counter?: RequestCounter,
): Promise<Planned> {
  const planned = planCommand(req, view);
  if (planned.op === OPERATIONS.play && view?.mode === 'no-device') {
    const device = (await readDevices(client, counter))[0];
    if (device?.id) planned.query = { ...planned.query, device_id: device.id };
  }
  await client.call(planned.op, { query: planned.query, body: planned.body }, counter);
  return planned;
}

/** The account's devices as a picker lists them. */
export async function readDevices(client: SpotifyClient, counter?: RequestCounter): Promise<ViewDevice[]> {
  const devices = await listDevices(client, counter);
  return devices.map((d) => viewDevice(d)).filter((d): d is ViewDevice => !!d && !!d.id);
}
