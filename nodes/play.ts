// play: start a playlist, album, artist, show or audiobook, or a list of tracks and episodes — or resume —
// on the active device or on one named by id or by name, at a volume when one is given (an alarm, a party).
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { nodeTexts, runtimeText } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { resolveDevice } from './spotify/devices';
import { isEmpty, planCommand, playBody, playOffset, sendCommand, startPlayback } from './spotify/player';

/** This node's own texts, in its catalog (play.json). */
const ownText = nodeTexts('spotify-play');

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
  volume?: string;
  volumeType?: string;
}

export = function register(RED: NodeAPI): void {
  function PlayNode(this: Node, def: PlayDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-play', def);
    const playProp = typedValue(def.play, def.playType, { value: 'payload', type: 'msg' });
    const offsetProp = dialog.typed('offset');
    const positionProp = dialog.typed('positionMs');
    const deviceProp = typedValue(def.device, def.deviceType, { value: '', type: 'str' });
    const volumeProp = dialog.typed('volume');

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const body = playBody(await evaluate(RED, this, msg, playProp), 'play');
      const offset = await evaluate(RED, this, msg, offsetProp);
      if (!isEmpty(offset)) body.offset = playOffset(body, offset, dialog.label('offset'));
      const positionMs = dialog.int('positionMs', await evaluate(RED, this, msg, positionProp));
      if (positionMs !== undefined) body.position_ms = positionMs;
      // Checked before anything plays: a wrong volume must not leave the music started at the old one.
      const volume = dialog.int('volume', await evaluate(RED, this, msg, volumeProp));

      const device = await resolveDevice(ctx.account.client, await evaluate(RED, this, msg, deviceProp), 'device', ctx.counter);
      await startPlayback(ctx.account.client, body, device?.id, ctx.counter);
      // After the start: Spotify sets the volume of a device that plays (an idle one may refuse it).
      if (volume !== undefined) await sendCommand(ctx.account.client, planCommand('volume', volume), device?.id, ctx.counter);
      msg.payload = { ...body, ...(device ? { device_id: device.id } : {}), ...(volume !== undefined ? { volume_percent: volume } : {}) };
      msg.spotify = { requests: ctx.counter.requests, ...(device ? { device: { id: device.id, name: device.name ?? null } } : {}) };
      send(msg);
      const started = body.context_uri
        ? runtimeText('summary.playing')
        : body.uris
          ? ownText('status.playingCount', { count: body.uris.length })
          : runtimeText('summary.resumed');
      const where = device?.name ? ownText('status.onDevice', { status: started, device: device.name }) : started;
      return volume !== undefined ? ownText('status.atVolume', { status: where, volume }) : where;
    });
  }
  registerWithFields(RED, 'spotify-play', PlayNode);
};
