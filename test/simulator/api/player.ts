// /me/player: state, currently-playing, devices, queue, and the playback commands. Commands need Premium
// (403 PREMIUM_REQUIRED) and an active or named device (404 NO_ACTIVE_DEVICE).

import { deviceObject, type DeviceRec } from '../data';
import { ApiError } from '../errors';
import { json, jsonBody, noContent } from '../http';
import { parseUri } from '../ids';
import { requireScope, wantsEpisodes, type ApiContext } from './context';
import type { Router } from './router';
import { toInt } from './values';

const NO_DEVICE = (): ApiError => new ApiError(404, 'Player command failed: No active device found', 'NO_ACTIVE_DEVICE');
const RESTRICTED = (): ApiError => new ApiError(403, 'Player command failed: Restriction violated', 'UNKNOWN');

export function register(router: Router): void {
  router.add('GET', '/me/player', state);
  router.add('GET', '/me/player/currently-playing', currentlyPlaying);
  router.add('GET', '/me/player/devices', devices);
  router.add('GET', '/me/player/queue', queue);
  router.add('PUT', '/me/player', transfer);
  router.add('PUT', '/me/player/play', play);
  router.add('PUT', '/me/player/pause', command(pause));
  router.add(
    'POST',
    '/me/player/next',
    command((ctx) => ctx.playback.next()),
  );
  router.add(
    'POST',
    '/me/player/previous',
    command((ctx) => ctx.playback.previous()),
  );
  router.add('PUT', '/me/player/seek', command(seek));
  router.add('PUT', '/me/player/repeat', command(repeat));
  router.add('PUT', '/me/player/volume', command(volume));
  router.add('PUT', '/me/player/shuffle', command(shuffle));
  router.add('POST', '/me/player/queue', command(addToQueue));
}

// ---- reads ----

function playingObject(ctx: ApiContext, withDevice: boolean) {
  const p = ctx.store.playerRec;
  const type = !p.itemUri ? 'unknown' : p.itemUri.startsWith('spotify:episode:') ? 'episode' : 'track';
  // A client that did not ask for episodes (additional_types) is told an episode plays, but not which.
  const item = p.itemUri && (type !== 'episode' || wantsEpisodes(ctx)) ? ctx.render.item(p.itemUri) : null;
  const base = {
    timestamp: Date.now(),
    context: ctx.render.context(p.contextUri),
    progress_ms: ctx.store.progressNow(),
    item,
    currently_playing_type: type,
    actions: { disallows: p.isPlaying ? { resuming: true } : { pausing: true } },
    is_playing: p.isPlaying,
  };
  if (!withDevice) return base;
  const device = ctx.playback.activeDevice();
  return {
    device: device ? deviceObject(device, p.deviceId) : null,
    repeat_state: p.repeat,
    shuffle_state: p.shuffle,
    smart_shuffle: false,
    ...base,
  };
}

function state(ctx: ApiContext) {
  requireScope(ctx, 'user-read-playback-state');
  if (!ctx.playback.activeDevice()) return noContent();
  return json(200, playingObject(ctx, true));
}

function currentlyPlaying(ctx: ApiContext) {
  requireScope(ctx, 'user-read-currently-playing', 'user-read-playback-state');
  if (!ctx.playback.activeDevice() || !ctx.store.playerRec.itemUri) return noContent();
  return json(200, playingObject(ctx, false));
}

function devices(ctx: ApiContext) {
  requireScope(ctx, 'user-read-playback-state');
  const p = ctx.store.playerRec;
  return json(200, { devices: p.devices.map((d) => deviceObject(d, p.deviceId)) });
}

function queue(ctx: ApiContext) {
  requireScope(ctx, 'user-read-playback-state', 'user-read-currently-playing');
  const p = ctx.store.playerRec;
  if (!ctx.playback.activeDevice() || !p.itemUri) return json(200, { currently_playing: null, queue: [] });
  const upcoming = [...p.queue, ...p.contextItems.slice(p.contextPos + 1)].slice(0, 20);
  return json(200, { currently_playing: ctx.render.item(p.itemUri), queue: upcoming.map((uri) => ctx.render.item(uri)) });
}

// ---- commands ----

/** Scope, then Premium, then the device; the action runs with the device resolved. */
function command(action: (ctx: ApiContext, device: DeviceRec) => void) {
  return (ctx: ApiContext) => {
    commandChecks(ctx);
    action(ctx, targetDevice(ctx, false));
    return noContent();
  };
}

function commandChecks(ctx: ApiContext): void {
  requireScope(ctx, 'user-modify-playback-state');
  if (!ctx.premium) throw new ApiError(403, 'Player command failed: Premium required', 'PREMIUM_REQUIRED');
}

/** `device_id` names a device (which play and transfer may wake); without it, the active one. */
function targetDevice(ctx: ApiContext, activate: boolean): DeviceRec {
  const id = ctx.query.device_id;
  if (id !== undefined && id !== '') {
    const d = ctx.playback.device(id);
    if (!d) throw new ApiError(404, 'Device not found');
    if (!activate && ctx.store.playerRec.deviceId !== d.id) throw NO_DEVICE();
    return d;
  }
  const active = ctx.playback.activeDevice();
  if (!active) throw NO_DEVICE();
  return active;
}

function transfer(ctx: ApiContext) {
  commandChecks(ctx);
  const body = jsonBody(ctx.req);
  const ids = body.device_ids;
  if (!Array.isArray(ids) || ids.length === 0) throw new ApiError(400, 'Missing required field: device_ids');
  if (ids.length > 1) throw new ApiError(400, 'Only one device_id can be specified');
  const d = typeof ids[0] === 'string' ? ctx.playback.device(ids[0]) : undefined;
  if (!d) throw new ApiError(404, 'Device not found');
  const wasPlaying = ctx.store.playerRec.isPlaying;
  ctx.store.playerRec.deviceId = d.id;
  // play:true starts playback; otherwise the playing/paused state carries over.
  if (body.play === true && !wasPlaying) ctx.playback.resume();
  return noContent();
}

function play(ctx: ApiContext) {
  commandChecks(ctx);
  const body = jsonBody(ctx.req);
  const device = targetDevice(ctx, true);
  const positionMs = body.position_ms === undefined ? 0 : toInt(body.position_ms);
  if (positionMs === undefined || positionMs < 0) throw new ApiError(400, 'Invalid position_ms');
  const offset = body.offset;

  let items: string[] | undefined;
  let contextUri: string | null = null;
  if (typeof body.context_uri === 'string') {
    contextUri = body.context_uri;
    items = ctx.playback.contextItems(contextUri);
    if (!items) throw new ApiError(404, 'Context not found');
  } else if (body.uris !== undefined) {
    if (!Array.isArray(body.uris) || body.uris.length === 0) throw new ApiError(400, 'uris must be a non-empty array');
    items = body.uris.map((u) => checkPlayable(u));
  }

  if (!items) {
    ctx.store.playerRec.deviceId = device.id;
    if (!ctx.playback.resume()) throw RESTRICTED();
    return noContent();
  }
  if (items.length === 0) throw RESTRICTED();
  let pos = 0;
  if (offset !== undefined) {
    const o = typeof offset === 'object' && offset !== null ? (offset as Record<string, unknown>) : {};
    if (typeof o.uri === 'string') pos = items.indexOf(o.uri);
    else pos = toInt(o.position) ?? -1;
    if (pos < 0 || pos >= items.length) throw new ApiError(400, 'Invalid offset');
  }
  ctx.playback.start(items[pos], { deviceId: device.id, progressMs: positionMs, contextUri, contextItems: items, contextPos: pos });
  return noContent();
}

function checkPlayable(uri: unknown): string {
  if (typeof uri !== 'string') throw new ApiError(400, 'Invalid track uri');
  const parsed = parseUri(uri);
  if (parsed === 'bad-id') throw new ApiError(400, 'Invalid base62 id');
  if (parsed === 'bad-uri' || (parsed.type !== 'track' && parsed.type !== 'episode' && parsed.type !== 'chapter'))
    throw new ApiError(400, `Invalid track uri: ${uri}`);
  return uri;
}

function pause(ctx: ApiContext): void {
  // Spotify refuses to pause what is already paused.
  if (!ctx.store.playerRec.isPlaying) throw RESTRICTED();
  ctx.playback.pause();
}

function seek(ctx: ApiContext): void {
  const ms = toInt(ctx.query.position_ms);
  if (ctx.query.position_ms === undefined) throw new ApiError(400, 'Missing required parameter: position_ms');
  if (ms === undefined || ms < 0) throw new ApiError(400, 'Invalid position_ms');
  ctx.playback.seek(ms);
}

function repeat(ctx: ApiContext): void {
  const s = ctx.query.state;
  if (s !== 'track' && s !== 'context' && s !== 'off') throw new ApiError(400, 'Invalid state: must be track, context or off');
  ctx.store.playerRec.repeat = s;
}

function volume(ctx: ApiContext, device: DeviceRec): void {
  const v = toInt(ctx.query.volume_percent);
  if (v === undefined || v < 0 || v > 100) throw new ApiError(400, 'Invalid volume_percent: must be 0..100');
  device.volume = v;
}

function shuffle(ctx: ApiContext): void {
  const s = ctx.query.state;
  if (s !== 'true' && s !== 'false') throw new ApiError(400, 'Invalid state: must be true or false');
  ctx.store.playerRec.shuffle = s === 'true';
}

function addToQueue(ctx: ApiContext): void {
  if (ctx.query.uri === undefined) throw new ApiError(400, 'Missing required parameter: uri');
  ctx.store.playerRec.queue.push(checkPlayable(ctx.query.uri));
}
