// player control: pause, resume, next, previous, seek, volume, shuffle, repeat, or move playback to another
// device. The command comes from the node or from msg.command; its value (where it needs one) from "Value".
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { nodeTexts, runtimeText } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { resolveDevice } from './spotify/devices';
import { InputError } from './spotify/errors';
import { expectText } from './spotify/words';
import { oneOf } from './spotify/inputs';
import { planCommand, planTransfer, PLAYER_COMMANDS, sendCommand, type PlannedCommand, type PlayerCommand } from './spotify/player';
import { registerNode } from './node-red/register-node';

/** This node's own texts, in its catalog (player-control.json). */
const ownText = nodeTexts('spotify-player-control');

interface PlayerControlDef extends NodeDef {
  account: string;
  command?: string;
  value?: string;
  valueType?: string;
  device?: string;
  deviceType?: string;
  play?: boolean;
}

export = function register(RED: NodeAPI): void {
  function PlayerControlNode(this: Node, def: PlayerControlDef): void {
    RED.nodes.createNode(this, def);
    const configured: PlayerCommand = oneOf(def.command, 'command', PLAYER_COMMANDS, 'pause');
    const valueProp = typedValue(def.value, def.valueType, { value: 'payload', type: 'msg' });
    const deviceProp = typedValue(def.device, def.deviceType, { value: '', type: 'str' });
    const startPlaying = def.play === true;

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const fromMsg = (msg as { command?: unknown }).command;
      const command: PlayerCommand =
        fromMsg === undefined || fromMsg === null || fromMsg === ''
          ? configured
          : oneOf(typeof fromMsg === 'string' ? fromMsg.trim().toLowerCase() : fromMsg, 'command', PLAYER_COMMANDS, configured);
      const value = await evaluate(RED, this, msg, valueProp);
      const client = ctx.account.client;
      let planned: PlannedCommand;
      let device: Awaited<ReturnType<typeof resolveDevice>>;
      if (command === 'transfer') {
        // The target: the Value, else the Device field.
        const target = value === undefined || value === null || value === '' ? await evaluate(RED, this, msg, deviceProp) : value;
        if (target === undefined || target === null || target === '') throw new InputError('device', expectText('transferDevice'));
        device = await resolveDevice(client, target, 'device', ctx.counter);
        planned = planTransfer(device?.id as string, startPlaying);
      } else {
        planned = planCommand(command, value);
        device = await resolveDevice(client, await evaluate(RED, this, msg, deviceProp), 'device', ctx.counter);
      }
      await sendCommand(client, planned, device?.id, ctx.counter);
      msg.payload = { command, ...planned.fact, ...(device ? { device_id: device.id } : {}) };
      msg.spotify = { requests: ctx.counter.requests, ...(device ? { device: { id: device.id, name: device.name ?? null } } : {}) };
      send(msg);
      const status = commandStatus(command, planned.fact);
      return device?.name ? ownText('status.withDevice', { status, device: device.name }) : status;
    });
  }
  registerNode(RED, 'spotify-player-control', PlayerControlNode);
};

/** The status line for a command that went through, from the catalog. */
function commandStatus(command: PlayerCommand, fact: Record<string, unknown>): string {
  switch (command) {
    case 'seek':
      return ownText('status.seek', { seconds: Math.round(Number(fact.position_ms) / 1000) });
    case 'volume':
      return ownText('status.volume', { volume: Number(fact.volume_percent) });
    case 'shuffle':
      return ownText(fact.shuffle === true ? 'status.shuffleOn' : 'status.shuffleOff');
    case 'repeat':
      return ownText('status.repeat', { state: String(fact.repeat) });
    case 'pause':
      return runtimeText('summary.paused');
    case 'resume':
      return runtimeText('summary.resumed');
    case 'next':
      return ownText('status.next');
    case 'previous':
      return ownText('status.previous');
    case 'transfer':
      return ownText('status.transferred');
  }
}
