// reorder tracks: move a block of entries to another place in a playlist, in one request.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { readSnapshotId } from './node-red/playlist-inputs';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { evaluate, typedValue } from './node-red/typed-input';
import { OPERATIONS } from './spotify/operations';

/** This node's own texts, in its catalog (reorder-tracks.json). */
const ownText = nodeTexts('spotify-reorder-tracks');

interface ReorderTracksDef extends NodeDef, PlaylistTargetDef {
  account: string;
  rangeStart?: string;
  rangeStartType?: string;
  insertBefore?: string;
  insertBeforeType?: string;
  rangeLength?: string;
  rangeLengthType?: string;
  snapshot?: string;
  snapshotType?: string;
}

/** Far beyond any playlist; only bounds what is sent. */

export = function register(RED: NodeAPI): void {
  function ReorderTracksNode(this: Node, def: ReorderTracksDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-reorder-tracks', def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: true });
    const startProp = dialog.typed('rangeStart');
    const beforeProp = dialog.typed('insertBefore');
    const lengthProp = dialog.typed('rangeLength');
    const snapshotProp = typedValue(def.snapshot, def.snapshotType, { value: '', type: 'str' });
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const target = await playlistIn.read(msg);
      const rangeStart = dialog.requiredInt('rangeStart', await evaluate(RED, this, msg, startProp));
      const insertBefore = dialog.requiredInt('insertBefore', await evaluate(RED, this, msg, beforeProp));
      const rangeLength = dialog.int('rangeLength', await evaluate(RED, this, msg, lengthProp));
      const snapshotId = await readSnapshotId(RED, this, msg, snapshotProp);
      const body = {
        range_start: rangeStart,
        insert_before: insertBefore,
        ...(rangeLength === undefined ? {} : { range_length: rangeLength }),
        ...(snapshotId === undefined ? {} : { snapshot_id: snapshotId }),
      };
      return playlistIn.run(target, ctx, async (playlist) => {
        // Not repeated after a lost answer (a second move would move the block again): see operations.ts.
        const answer = await ctx.account.client.call<{ snapshot_id?: string }>(
          OPERATIONS.reorderPlaylistItems,
          { params: { playlist_id: playlist.id }, body },
          ctx.counter,
        );
        msg.payload = {
          playlist_id: playlist.id,
          snapshot_id: answer?.snapshot_id,
          range_start: rangeStart,
          insert_before: insertBefore,
          range_length: rangeLength ?? 1,
        };
        msg.spotify = { requests: ctx.counter.requests };
        send(msg);
        return ownText('status.moved', { count: rangeLength ?? 1, position: insertBefore });
      });
    });
  }
  registerWithFields(RED, 'spotify-reorder-tracks', ReorderTracksNode);
};
