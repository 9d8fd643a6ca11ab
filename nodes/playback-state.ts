// playback state: what the user's Spotify is doing — the full player state, the item playing now, the
// devices, or the queue. Nothing active is an answer, not an error: payload null.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { runtimeText } from './node-red/messages';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';
import type { Device } from './spotify/devices';
import { registerNode } from './node-red/register-node';
import { WITH_EPISODES } from './spotify/item-types';

interface PlaybackStateDef extends NodeDef {
  account: string;
  what?: string;
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
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const client = ctx.account.client;
      switch (what) {
        case 'state':
        case 'current': {
          const op = what === 'state' ? OPERATIONS.playbackState : OPERATIONS.currentlyPlaying;
          // 204 No Content (body undefined): no device is active, or nothing is loaded.
          const body = await client.call<Playing | undefined>(op, { query: WITH_EPISODES }, ctx.counter);
          const active = body !== undefined && body !== null && typeof body === 'object';
          msg.payload = active ? body : null;
          msg.spotify = { requests: ctx.counter.requests, active, playing: active ? body.is_playing === true : false };
          send(msg);
          if (!active) return runtimeText(what === 'state' ? 'summary.noActiveDevice' : 'summary.nothingPlaying');
          const name = body.item?.name;
          if (name) return runtimeText(body.is_playing ? 'summary.playingItem' : 'summary.pausedItem', { name });
          return runtimeText(body.is_playing ? 'summary.playing' : 'summary.paused');
        }
        case 'devices': {
          const body = await client.call<{ devices?: Device[] }>(OPERATIONS.devices, {}, ctx.counter);
          const devices = Array.isArray(body?.devices) ? body.devices : [];
          msg.payload = devices;
          const active = devices.find((d) => d.is_active);
          msg.spotify = { requests: ctx.counter.requests, count: devices.length, active: active ? active.id : null };
          send(msg);
          return runtimeText(devices.length === 1 ? 'summary.device' : 'summary.devices', { count: devices.length });
        }
        case 'queue': {
          const body = await client.call<{ currently_playing?: unknown; queue?: unknown[] }>(OPERATIONS.queue, {}, ctx.counter);
          const queue = Array.isArray(body?.queue) ? body.queue : [];
          msg.payload = { currently_playing: body?.currently_playing ?? null, queue };
          msg.spotify = { requests: ctx.counter.requests, count: queue.length };
          send(msg);
          return runtimeText('summary.inQueue', { count: queue.length });
        }
      }
    });
  }
  registerNode(RED, 'spotify-playback-state', PlaybackStateNode);
};
