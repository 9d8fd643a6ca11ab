// player control: pause, resume, next, previous, seek, volume, shuffle, repeat, or move playback to another
// device. The command comes from the node or from msg.command; its value (where it needs one) from "Value".
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { evaluate, typedValue } from './node-red/typed-input';
import { resolveDevice } from './spotify/devices';
import { InputError } from './spotify/errors';
import type { QueryValue } from './spotify/http-client';
import { optionalBool, optionalInt, oneOf } from './spotify/inputs';
import { OPERATIONS, type Operation } from './spotify/operations';
import { registerNode } from './node-red/migrations';

interface PlayerControlDef extends NodeDef {
  account: string;
  command?: string;
  value?: string;
  valueType?: string;
  device?: string;
  deviceType?: string;
  play?: boolean;
}

const COMMANDS = ['pause', 'resume', 'next', 'previous', 'seek', 'volume', 'shuffle', 'repeat', 'transfer'] as const;
type Command = (typeof COMMANDS)[number];
const REPEAT_STATES = ['track', 'context', 'off'] as const;
const MAX_POSITION_MS = 24 * 3_600_000;

interface Planned {
  op: Operation;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** What the output payload reports besides the command. */
  fact?: Record<string, unknown>;
  status: string;
}

export = function register(RED: NodeAPI): void {
  function PlayerControlNode(this: Node, def: PlayerControlDef): void {
    RED.nodes.createNode(this, def);
    const configured: Command = oneOf(def.command, 'command', COMMANDS, 'pause');
    const valueProp = typedValue(def.value, def.valueType, { value: 'payload', type: 'msg' });
    const deviceProp = typedValue(def.device, def.deviceType, { value: '', type: 'str' });
    const startPlaying = def.play === true;

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const fromMsg = (msg as { command?: unknown }).command;
      const command: Command =
        fromMsg === undefined || fromMsg === null || fromMsg === ''
          ? configured
          : oneOf(typeof fromMsg === 'string' ? fromMsg.trim().toLowerCase() : fromMsg, 'command', COMMANDS, configured);
      const value = await evaluate(RED, this, msg, valueProp);
      const client = ctx.account.client;
      let planned: Planned;
      let device: Awaited<ReturnType<typeof resolveDevice>>;
      if (command === 'transfer') {
        // The target: the Value, else the Device field.
        const target = value === undefined || value === null || value === '' ? await evaluate(RED, this, msg, deviceProp) : value;
        if (target === undefined || target === null || target === '')
          throw new InputError('device', 'the name or id of the device to move playback to');
        device = await resolveDevice(client, target, 'device', ctx.counter);
        planned = transfer(device?.id as string, startPlaying);
      } else {
        planned = plan(command, value);
        device = await resolveDevice(client, await evaluate(RED, this, msg, deviceProp), 'device', ctx.counter);
        if (device) planned.query = { ...planned.query, device_id: device.id };
      }
      await client.call(planned.op, { query: planned.query, body: planned.body }, ctx.counter);
      msg.payload = { command, ...planned.fact, ...(device ? { device_id: device.id } : {}) };
      msg.spotify = { requests: ctx.counter.requests, ...(device ? { device: { id: device.id, name: device.name ?? null } } : {}) };
      send(msg);
      return device?.name ? `${planned.status} (${device.name})` : planned.status;
    });
  }
  registerNode(RED, 'spotify-player-control', PlayerControlNode);
};

/** The request for a command, its value checked and named by the field Spotify calls it. */
function plan(command: Exclude<Command, 'transfer'>, value: unknown): Planned {
  switch (command) {
    case 'pause':
      return { op: OPERATIONS.pause, status: 'paused' };
    case 'resume':
      // PUT /me/player/play with no body resumes what is loaded.
      return { op: OPERATIONS.play, status: 'resumed' };
    case 'next':
      return { op: OPERATIONS.next, status: 'next' };
    case 'previous':
      return { op: OPERATIONS.previous, status: 'previous' };
    case 'seek': {
      const ms = required(
        optionalInt(value, 'position_ms', 0, MAX_POSITION_MS),
        'position_ms',
        `a whole number of milliseconds from 0 to ${MAX_POSITION_MS}`,
        value,
      );
      return { op: OPERATIONS.seek, query: { position_ms: ms }, fact: { position_ms: ms }, status: `seek ${Math.round(ms / 1000)} s` };
    }
    case 'volume': {
      const v = required(optionalInt(value, 'volume', 0, 100), 'volume', 'a whole number from 0 to 100', value);
      return { op: OPERATIONS.volume, query: { volume_percent: v }, fact: { volume_percent: v }, status: `volume ${v}` };
    }
    case 'shuffle': {
      const on = required(optionalBool(value, 'shuffle'), 'shuffle', 'true or false', value);
      return { op: OPERATIONS.shuffle, query: { state: on }, fact: { shuffle: on }, status: `shuffle ${on ? 'on' : 'off'}` };
    }
    case 'repeat': {
      const state = required(
        value === undefined || value === null || value === ''
          ? undefined
          : oneOf(typeof value === 'string' ? value.trim().toLowerCase() : value, 'repeat', REPEAT_STATES, 'off'),
        'repeat',
        `one of ${REPEAT_STATES.join(', ')}`,
        value,
      );
      return { op: OPERATIONS.repeat, query: { state }, fact: { repeat: state }, status: `repeat ${state}` };
    }
  }
}

function transfer(deviceId: string, play: boolean): Planned {
  return { op: OPERATIONS.transferPlayback, body: { device_ids: [deviceId], play }, fact: { play }, status: 'transferred' };
}

function required<T>(value: T | undefined, field: string, expected: string, got: unknown): T {
  if (value === undefined) throw new InputError(field, expected, got === undefined ? undefined : got);
  return value;
}
