// playlist cover: get a playlist's cover images, or upload a JPEG as its new cover.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { runtimeText } from './node-red/messages';
import { playlistProp, readPlaylist, type PlaylistDef } from './node-red/playlist-inputs';
import { evaluate, typedValue } from './node-red/typed-input';
import { coverBase64 } from './spotify/cover-image';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';
import { registerNode } from './node-red/register-node';

interface PlaylistCoverDef extends NodeDef, PlaylistDef {
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
    const playlistIn = playlistProp(def);
    const imageProp = typedValue(def.image, def.imageType, { value: 'payload', type: 'msg' });
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const playlist = await readPlaylist(RED, this, msg, playlistIn);
      const params = { playlist_id: playlist.id };
      if (action === 'get') {
        const images = await ctx.account.client.call<unknown>(OPERATIONS.playlistCover, { params }, ctx.counter);
        msg.payload = Array.isArray(images) ? images : [];
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        const n = (msg.payload as unknown[]).length;
        return runtimeText(n === 1 ? 'summary.image' : 'summary.images', { count: n });
      }
      const base64 = coverBase64(await evaluate(RED, this, msg, imageProp), 'image');
      // Spotify answers 202: the new cover shows up a little later.
      await ctx.account.client.call(
        OPERATIONS.uploadPlaylistCover,
        { params, rawBody: { data: base64, contentType: 'image/jpeg' } },
        ctx.counter,
      );
      msg.payload = { playlist_id: playlist.id, uploaded: true, bytes: Math.floor((base64.length * 3) / 4) - padding(base64) };
      msg.spotify = { requests: ctx.counter.requests };
      send(msg);
      return runtimeText('summary.coverUploaded');
    });
  }
  registerNode(RED, 'spotify-playlist-cover', PlaylistCoverNode);
};

function padding(base64: string): number {
  return base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
}
