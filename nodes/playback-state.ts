// playback state: what the user's Spotify is doing — the full player state, the item playing now, the
// devices, or the queue. Nothing active is an answer, not an error: payload null.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { nodeTexts, runtimeText } from './node-red/messages';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';
import type { Device } from './spotify/devices';
import { evaluate } from './node-red/typed-input';
import { WITH_EPISODES } from './spotify/item-types';

/** This node's own texts, in its catalog (playback-state.json). */
const ownText = nodeTexts('spotify-playback-state');

interface PlaybackStateDef extends NodeDef {
  account: string;
  what?: string;
  /** The country items are relinked for (Spotify's market); empty: the user's own. */
  market?: string;
  marketType?: string;
}

const WHAT = ['state', 'current', 'devices', 'queue'] as const;
type What = (typeof WHAT)[number];

interface Playing {
  is_playing?: boolean;
  item?: { name?: string } | null;
  device?: { name?: string } | null;
}

export = function register(RED: NodeAPI): void {
  function PlaybackStateNode(this: Node, def: PlaybackStateDef): void {
    RED.nodes.createNode(this, def);
    const what: What = oneOf(def.what, 'what', WHAT, 'state');
    const dialog = new NodeFieldReader('spotify-playback-state', def);
    const marketProp = dialog.typed('market');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const client = ctx.account.client;
      switch (what) {
        case 'state':
        case 'current': {
          const op = what === 'state' ? OPERATIONS.playbackState : OPERATIONS.currentlyPlaying;
          // 204 No Content (body undefined): no device is active, or nothing is loaded.
          // Spotify takes a market on these two reads only (not on devices or the queue).
          const market = dialog.market('market', await evaluate(RED, this, msg, marketProp));
          const query = { ...WITH_EPISODES, market };
          const body = await client.call<Playing | undefined>(op, { query }, ctx.counter);
          const active = body !== undefined && body !== null && typeof body === 'object';
          msg.payload = active ? body : null;
          msg.spotify = { requests: ctx.counter.requests, active, playing: active ? body.is_playing === true : false };
          send(msg);
          if (!active) return runtimeText(what === 'state' ? 'summary.noActiveDevice' : 'summary.nothingPlaying');
          const name = body.item?.name;
          if (name) return ownText(body.is_playing ? 'status.playingItem' : 'status.pausedItem', { name });
          return runtimeText(body.is_playing ? 'summary.playing' : 'summary.paused');
        }
        case 'devices': {
          const body = await client.call<{ devices?: Device[] }>(OPERATIONS.devices, {}, ctx.counter);
          const devices = Array.isArray(body?.devices) ? body.devices : [];
          msg.payload = devices;
          const active = devices.find((d) => d.is_active);
          msg.spotify = { requests: ctx.counter.requests, count: devices.length, active: active ? active.id : null };
          send(msg);
          return ownText('status.devices', { count: devices.length });
        }
        case 'queue': {
          const body = await client.call<{ currently_playing?: unknown; queue?: unknown[] }>(OPERATIONS.queue, {}, ctx.counter);
          const queue = Array.isArray(body?.queue) ? body.queue : [];
          msg.payload = { currently_playing: body?.currently_playing ?? null, queue };
          msg.spotify = { requests: ctx.counter.requests, count: queue.length };
          send(msg);
          return ownText('status.inQueue', { count: queue.length });
        }
      }
    });
  }
  registerWithFields(RED, 'spotify-playback-state', PlaybackStateNode);
};
