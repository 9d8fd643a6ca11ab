// playlist cover: get a playlist's cover images, or upload a JPEG as its new cover.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { evaluate, typedValue } from './node-red/typed-input';
import { coverBase64 } from './spotify/cover-image';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';
import { registerNode } from './node-red/register-node';

/** This node's own texts, in its catalog (playlist-cover.json). */
const ownText = nodeTexts('spotify-playlist-cover');

interface PlaylistCoverDef extends NodeDef, PlaylistTargetDef {
  account: string;
  action?: string;
  image?: string;
  imageType?: string;
}

const ACTIONS = ['get', 'upload'] as const;

export = function register(RED: NodeAPI): void {
  function PlaylistCoverNode(this: Node, def: PlaylistCoverDef): void {
    RED.nodes.createNode(this, def);
    const action = oneOf(def.action, 'action', ACTIONS, 'get');
    const playlistIn = new PlaylistTarget(RED, this, def, { write: action === 'upload' });
    const imageProp = typedValue(def.image, def.imageType, { value: 'payload', type: 'msg' });
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const target = await playlistIn.read(msg);
      if (action === 'get') {
        const images = await playlistIn.run(target, ctx, (playlist) =>
          ctx.account.client.call<unknown>(OPERATIONS.playlistCover, { params: { playlist_id: playlist.id } }, ctx.counter),
        );
        msg.payload = Array.isArray(images) ? images : [];
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        const n = (msg.payload as unknown[]).length;
        return ownText('status.images', { count: n });
      }
      const base64 = coverBase64(await evaluate(RED, this, msg, imageProp), 'image');
      // Spotify answers 202: the new cover shows up a little later.
      const playlistId = await playlistIn.run(target, ctx, async (playlist) => {
        await ctx.account.client.call(
          OPERATIONS.uploadPlaylistCover,
          { params: { playlist_id: playlist.id }, rawBody: { data: base64, contentType: 'image/jpeg' } },
          ctx.counter,
        );
        return playlist.id;
      });
      msg.payload = { playlist_id: playlistId, uploaded: true, bytes: Math.floor((base64.length * 3) / 4) - padding(base64) };
      msg.spotify = { requests: ctx.counter.requests };
      send(msg);
      return ownText('status.coverUploaded');
    });
  }
  registerNode(RED, 'spotify-playlist-cover', PlaylistCoverNode);
};

function padding(base64: string): number {
  return base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
}
