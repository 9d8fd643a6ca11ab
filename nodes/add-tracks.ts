// add tracks: any number of tracks or episodes into a playlist, in order, in Spotify's batches of 100.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { runtimeText } from './node-red/messages';
import { readTracks, tracksProp, type TracksDef } from './node-red/playlist-inputs';
import { PlaylistTarget, type PlaylistTargetDef, type TargetPlaylist } from './node-red/playlist-target';
import { evaluate } from './node-red/typed-input';
import { OPERATIONS } from './spotify/operations';
import { checkedBatched } from './spotify/write-check';
import { missingFromPlaylist } from './spotify/missing-items';

interface AddTracksDef extends NodeDef, PlaylistTargetDef, TracksDef {
  account: string;
  position?: string;
  positionType?: string;
  /** Only tracks not already in the playlist (safe to replay). */
  skipExisting?: boolean;
}

export = function register(RED: NodeAPI): void {
  function AddTracksNode(this: Node, def: AddTracksDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-add-tracks', def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: true, offersCreate: true });
    const tracksIn = tracksProp(def);
    const positionProp = dialog.typed('position');

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const target = await playlistIn.read(msg);
      const given = await readTracks(RED, this, msg, tracksIn, { allowLocal: false });
      const position = dialog.int('position', await evaluate(RED, this, msg, positionProp));
      const add = async (playlist: TargetPlaylist): Promise<string> => {
        let uris = given;
        let skipped = 0;
        if (def.skipExisting === true) {
          const found = await missingFromPlaylist(ctx.account.client, playlist.id, uris, ctx.settings.pageConcurrency, ctx.counter);
          uris = found.missing;
          skipped = found.skipped;
        }

        // Batch failures report what was applied by URI, ready for msg.spotify.applied / notApplied. A batch whose
        // answer was lost is settled through the playlist's snapshot_id, never sent twice blindly (write-check.ts).
        const answers = await checkedBatched(
          ctx.account.client,
          playlist.id,
          OPERATIONS.addPlaylistItems,
          uris,
          (batch, start) => ({
            params: { playlist_id: playlist.id },
            body: { uris: batch, ...(position === undefined ? {} : { position: position + start }) },
          }),
          ctx.counter,
          'tracks',
        );
        const snapshotId = answers.length ? answers[answers.length - 1].snapshot_id : undefined;
        msg.payload = {
          playlist_id: playlist.id,
          snapshot_id: snapshotId,
          added: uris.length,
          batches: answers.length,
          ...(def.skipExisting === true ? { skipped, given: given.length } : {}),
          ...(playlist.created ? { playlist_created: true } : {}),
        };
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        return runtimeText('summary.added', { count: uris.length });
      };
      return playlistIn.run(target, ctx, add);
    });
  }
  registerWithFields(RED, 'spotify-add-tracks', AddTracksNode);
};
