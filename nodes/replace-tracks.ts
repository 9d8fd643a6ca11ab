// replace tracks: make a playlist hold exactly the given tracks or episodes, in order, however many (an empty
// list clears it). A failure part way says what the playlist holds now.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { fieldLabelText } from './node-red/field-labels';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { nodeTexts } from './node-red/messages';
import { readSnapshotId, readWritableTracks, tracksProp, type TracksDef } from './node-red/playlist-inputs';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { withSkipped } from './node-red/skipped-text';
import { typedValue } from './node-red/typed-input';
import { InputError } from './spotify/errors';
import { expectText } from './spotify/words';
import { replacePlaylistItems } from './spotify/playlist-writes';
import type { UnwritableMode } from './spotify/writable';

/** This node's own texts, in its catalog (replace-tracks.json). */
const ownText = nodeTexts('spotify-replace-tracks');

interface ReplaceTracksDef extends NodeDef, PlaylistTargetDef, TracksDef {
  account: string;
  /** Local files and unavailable items: 'skip' (counted) or 'refuse' the message. */
  unwritable?: string;
  /** The playlist version the replace is meant for (snapshot_id); empty: whatever the playlist holds now. */
  snapshot?: string;
  snapshotType?: string;
}

export = function register(RED: NodeAPI): void {
  function ReplaceTracksNode(this: Node, def: ReplaceTracksDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-replace-tracks', def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: true, offersCreate: true });
    const tracksIn = tracksProp(def);
    const snapshotProp = typedValue(def.snapshot, def.snapshotType, { value: '', type: 'str' });
    const label = fieldLabelText('spotify-replace-tracks', 'label.tracks');
    const snapshotLabel = fieldLabelText('spotify-replace-tracks', 'label.snapshot');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const mode = dialog.choice<UnwritableMode>('unwritable', def.unwritable);
      const target = await playlistIn.read(msg);
      const { refs, skipped, given } = await readWritableTracks(RED, this, msg, tracksIn, { label, mode, allowEmptyArray: true });
      if (refs.length === 0 && given > 0) {
        // Only [] clears a playlist: a list of nothing but local files must not empty it by surprise.
        throw new InputError(label, expectText('replaceNoneWritable'));
      }
      const uris = refs.map((r) => r.uri);
      const snapshotId = await readSnapshotId(RED, this, msg, snapshotProp, snapshotLabel);
      return playlistIn.run(target, ctx, async (playlist) => {
        const result = await replacePlaylistItems(ctx.account.client, playlist.id, uris, ctx.counter, snapshotId);
        msg.payload = {
          playlist_id: playlist.id,
          snapshot_id: result.snapshot_id,
          replaced: uris.length,
          batches: result.batches,
          given,
          skipped,
          ...(playlist.created ? { playlist_created: true } : {}),
        };
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        return withSkipped(uris.length ? ownText('status.replaced', { count: uris.length }) : ownText('status.cleared'), skipped);
      });
    });
  }
  registerWithFields(RED, 'spotify-replace-tracks', ReplaceTracksNode);
};
