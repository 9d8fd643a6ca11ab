// add tracks: any number of tracks or episodes into a playlist, in order (the writes: spotify/playlist-writes.ts).
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { readWritableTracks, tracksProp, type TracksDef } from './node-red/playlist-inputs';
import { PlaylistTarget, type PlaylistTargetDef, type TargetPlaylist } from './node-red/playlist-target';
import { fieldLabelText } from './node-red/field-labels';
import { withSkipped } from './node-red/skipped-text';
import { evaluate } from './node-red/typed-input';
import type { UnwritableMode } from './spotify/writable';
import { addPlaylistItems } from './spotify/playlist-writes';

/** This node's own texts, in its catalog (add-tracks.json). */
const ownText = nodeTexts('spotify-add-tracks');

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
        const uris = refs.map((r) => r.uri);
        const skipExisting = def.skipExisting === true;
        const result = await addPlaylistItems(ctx.account.client, playlist.id, uris, {
          position,
          skipExisting,
          concurrency: ctx.settings.pageConcurrency,
          counter: ctx.counter,
        });
        msg.payload = {
          playlist_id: playlist.id,
          snapshot_id: result.snapshot_id,
          added: result.added.length,
          batches: result.batches,
          given,
          skipped: { ...skipped, ...(skipExisting ? { existing: result.existing ?? 0 } : {}) },
          ...(playlist.created ? { playlist_created: true } : {}),
        };
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        return withSkipped(ownText('status.added', { count: result.added.length }), skipped);
      };
      return playlistIn.run(target, ctx, add);
    });
  }
  registerWithFields(RED, 'spotify-add-tracks', AddTracksNode);
};
