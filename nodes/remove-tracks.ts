// remove tracks: any number of tracks or episodes out of a playlist (every occurrence of each), in Spotify's
// batches of 100, in order; a failed batch says which were removed and which not.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { runtimeText } from './node-red/messages';
import { readSnapshotId, readTracks, tracksProp, type TracksDef } from './node-red/playlist-inputs';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { typedValue } from './node-red/typed-input';
import { removePlaylistItems } from './spotify/playlist-writes';
import { registerNode } from './node-red/register-node';

interface RemoveTracksDef extends NodeDef, PlaylistTargetDef, TracksDef {
  account: string;
  snapshot?: string;
  snapshotType?: string;
}

export = function register(RED: NodeAPI): void {
  function RemoveTracksNode(this: Node, def: RemoveTracksDef): void {
    RED.nodes.createNode(this, def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: true });
    const tracksIn = tracksProp(def);
    const snapshotProp = typedValue(def.snapshot, def.snapshotType, { value: '', type: 'str' });
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const target = await playlistIn.read(msg);
      // Spotify removes every occurrence of a URI, so each goes once: fewer batches, same result.
      const uris = [...new Set(await readTracks(RED, this, msg, tracksIn))];
      const snapshotId = await readSnapshotId(RED, this, msg, snapshotProp);
      return playlistIn.run(target, ctx, async (playlist) => {
        const result = await removePlaylistItems(ctx.account.client, playlist.id, uris, snapshotId, ctx.counter);
        msg.payload = { playlist_id: playlist.id, snapshot_id: result.snapshot_id, removed: uris.length, batches: result.batches };
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        return runtimeText('summary.removed', { count: uris.length });
      });
    });
  }
  registerNode(RED, 'spotify-remove-tracks', RemoveTracksNode);
};
