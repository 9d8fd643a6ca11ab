// play: start a playlist, album, artist, show or audiobook, or a list of tracks and episodes — or resume —
// on the active device or on one named by id or by name.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { evaluate, typedValue } from './node-red/typed-input';
import { resolveDevice } from './spotify/devices';
import { InputError } from './spotify/errors';
import { parseRef, parseRefs, type SpotifyRef, type SpotifyType } from './spotify/ids';
import { optionalInt } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';

interface PlayDef extends NodeDef {
  account: string;
  play?: string;
  playType?: string;
  offset?: string;
  offsetType?: string;
  positionMs?: string;
  positionMsType?: string;
  device?: string;
  deviceType?: string;
}

const CONTEXT_TYPES: readonly SpotifyType[] = ['playlist', 'album', 'artist', 'show', 'audiobook'];
const ITEM_TYPES: readonly SpotifyType[] = ['track', 'episode', 'chapter'];
/** A bare ID counts as a track (the first type); contexts are named by URI, link or object. */
const PLAYABLE: readonly SpotifyType[] = [...ITEM_TYPES, ...CONTEXT_TYPES];
/** Bounds the request body for a runaway message. */
const MAX_URIS = 10_000;

interface PlayBody {
  context_uri?: string;
  uris?: string[];
  offset?: { position: number } | { uri: string };
  position_ms?: number;
}

export = function register(RED: NodeAPI): void {
  function PlayNode(this: Node, def: PlayDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-play', def);
    const playProp = typedValue(def.play, def.playType, { value: 'payload', type: 'msg' });
    const offsetProp = dialog.typed('offset');
    const positionProp = dialog.typed('positionMs');
    const deviceProp = typedValue(def.device, def.deviceType, { value: '', type: 'str' });

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const what = await evaluate(RED, this, msg, playProp);
      const refs = isEmpty(what) ? [] : parseRefs(what, 'play', PLAYABLE, { max: MAX_URIS });
      const body: PlayBody = {};
      const contexts = refs.filter((r) => CONTEXT_TYPES.includes(r.type));
      if (contexts.length > 0) {
        if (refs.length > 1) {
          throw new InputError(
            'play',
            'one context (playlist, album, artist, show or audiobook) or a list of tracks and episodes, not both or several contexts',
            what,
          );
        }
        body.context_uri = contexts[0].uri;
      } else if (refs.length > 0) {
        const local = refs.findIndex((r) => r.local);
        if (local >= 0)
          throw new InputError(
            refs.length > 1 ? `play[${local}]` : 'play',
            'a Spotify track or episode (local files cannot be played through the Web API)',
            refs[local].uri,
          );
        body.uris = refs.map((r) => r.uri);
      }

      const offset = await evaluate(RED, this, msg, offsetProp);
      if (!isEmpty(offset)) {
        if (refs.length === 0)
          throw new InputError(
            dialog.label('offset'),
            'nothing here: an offset needs something to play (it picks where to start in it)',
            offset,
          );
        body.offset = parseOffset(offset, body.uris, dialog.label('offset'));
      }
      const positionMs = dialog.int('positionMs', await evaluate(RED, this, msg, positionProp));
      if (positionMs !== undefined) body.position_ms = positionMs;

      const device = await resolveDevice(ctx.account.client, await evaluate(RED, this, msg, deviceProp), 'device', ctx.counter);
      await ctx.account.client.call(OPERATIONS.play, { query: { device_id: device?.id }, body }, ctx.counter);
      msg.payload = { ...body, ...(device ? { device_id: device.id } : {}) };
      msg.spotify = { requests: ctx.counter.requests, ...(device ? { device: { id: device.id, name: device.name ?? null } } : {}) };
      send(msg);
      const started = body.context_uri ? 'playing' : body.uris ? `playing ${body.uris.length}` : 'resumed';
      return device?.name ? `${started} on ${device.name}` : started;
    });
  }
  registerWithFields(RED, 'spotify-play', PlayNode);
};

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A position (0-based, a number or numeric string) or the item to start at (ID, URI, link or object). */
function parseOffset(value: unknown, uris: string[] | undefined, label: string): { position: number } | { uri: string } {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+\s*$/.test(value))) {
    const max = uris ? uris.length - 1 : 1_000_000;
    const position = optionalInt(value, label, 0, max) as number;
    return { position };
  }
  let ref: SpotifyRef;
  try {
    ref = parseRef(value, label, ITEM_TYPES);
  } catch {
    throw new InputError(label, 'a position from 0 or the track or episode to start at (ID, URI or link)', value);
  }
  if (uris && !uris.includes(ref.uri)) throw new InputError(label, 'one of the tracks to play', ref.uri);
  return { uri: ref.uri };
}
