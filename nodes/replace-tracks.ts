// replace tracks: make a playlist hold exactly the given tracks or episodes, in order, however many (an empty
// list clears it). A failure part way says what the playlist holds now.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { runtimeText } from './node-red/messages';
import { readTracks, tracksProp, type TracksDef } from './node-red/playlist-inputs';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { replacePlaylistItems } from './spotify/playlist-writes';
import { registerNode } from './node-red/register-node';

interface ReplaceTracksDef extends NodeDef, PlaylistTargetDef, TracksDef {
  account: string;
}

export = function register(RED: NodeAPI): void {
  function ReplaceTracksNode(this: Node, def: ReplaceTracksDef): void {
    RED.nodes.createNode(this, def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: true, offersCreate: true });
    const tracksIn = tracksProp(def);
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const target = await playlistIn.read(msg);
      const uris = await readTracks(RED, this, msg, tracksIn, { allowLocal: false, allowEmptyArray: true });
      return playlistIn.run(target, ctx, async (playlist) => {
        const result = await replacePlaylistItems(ctx.account.client, playlist.id, uris, ctx.counter);
        msg.payload = {
          playlist_id: playlist.id,
          snapshot_id: result.snapshot_id,
          replaced: uris.length,
          batches: result.batches,
          ...(playlist.created ? { playlist_created: true } : {}),
        };
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        return uris.length ? runtimeText('summary.replaced', { count: uris.length }) : runtimeText('summary.cleared');
      });
    });
  }
  registerNode(RED, 'spotify-replace-tracks', ReplaceTracksNode);
};
