// add tracks: any number of tracks or episodes into a playlist, in order, in Spotify's batches of 100.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { runtimeText } from './node-red/messages';
import { readWritableTracks, tracksProp, type TracksDef } from './node-red/playlist-inputs';
import { PlaylistTarget, type PlaylistTargetDef, type TargetPlaylist } from './node-red/playlist-target';
import { fieldLabelText } from './node-red/field-labels';
import { withSkipped } from './node-red/skipped-text';
import { evaluate } from './node-red/typed-input';
import type { UnwritableMode } from './spotify/writable';
import { OPERATIONS } from './spotify/operations';
import { checkedBatched } from './spotify/write-check';
import { missingFromPlaylist } from './spotify/missing-items';

interface AddTracksDef extends NodeDef, PlaylistTargetDef, TracksDef {
  account: string;
  position?: string;
  positionType?: string;
  /** Only tracks not already in the playlist (safe to replay). */
  skipExisting?: boolean;
  /** Local files and unavailable items: 'skip' (counted) or 'refuse' the message. */
  unwritable?: string;
}

export = function register(RED: NodeAPI): void {
  function AddTracksNode(this: Node, def: AddTracksDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-add-tracks', def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: true, offersCreate: true });
    const tracksIn = tracksProp(def);
    const positionProp = dialog.typed('position');
    const label = fieldLabelText('spotify-add-tracks', 'label.tracks');

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const mode = dialog.choice<UnwritableMode>('unwritable', def.unwritable);
      const target = await playlistIn.read(msg);
      const { refs, skipped, given } = await readWritableTracks(RED, this, msg, tracksIn, { label, mode });
      const position = dialog.int('position', await evaluate(RED, this, msg, positionProp));
      const add = async (playlist: TargetPlaylist): Promise<string> => {
        let uris = refs.map((r) => r.uri);
        let existing: number | undefined;
        if (def.skipExisting === true && uris.length > 0) {
          const found = await missingFromPlaylist(ctx.account.client, playlist.id, uris, ctx.settings.pageConcurrency, ctx.counter);
          uris = found.missing;
          existing = found.skipped;
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
          given,
          skipped: { ...skipped, ...(def.skipExisting === true ? { existing: existing ?? 0 } : {}) },
          ...(playlist.created ? { playlist_created: true } : {}),
        };
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        return withSkipped(runtimeText('summary.added', { count: uris.length }), skipped);
      };
      return playlistIn.run(target, ctx, add);
    });
  }
  registerWithFields(RED, 'spotify-add-tracks', AddTracksNode);
};
