// reorder tracks: move a block of entries to another place in a playlist, in one request.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { runtimeText } from './node-red/messages';
import { playlistProp, readPlaylist, readSnapshotId, type PlaylistDef } from './node-red/playlist-inputs';
import { evaluate, typedValue } from './node-red/typed-input';
import { InputError } from './spotify/errors';
import { optionalInt } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';

interface ReorderTracksDef extends NodeDef, PlaylistDef {
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
const MAX_POSITION = 1_000_000;

export = function register(RED: NodeAPI): void {
  function ReorderTracksNode(this: Node, def: ReorderTracksDef): void {
    RED.nodes.createNode(this, def);
    const playlistIn = playlistProp(def);
    const startProp = typedValue(def.rangeStart, def.rangeStartType, { value: '', type: 'num' });
    const beforeProp = typedValue(def.insertBefore, def.insertBeforeType, { value: '', type: 'num' });
    const lengthProp = typedValue(def.rangeLength, def.rangeLengthType, { value: '', type: 'num' });
    const snapshotProp = typedValue(def.snapshot, def.snapshotType, { value: '', type: 'str' });
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const playlist = await readPlaylist(RED, this, msg, playlistIn);
      const rangeStart = requiredInt(await evaluate(RED, this, msg, startProp), 'range_start', 0);
      const insertBefore = requiredInt(await evaluate(RED, this, msg, beforeProp), 'insert_before', 0);
      const rangeLength = optionalInt(await evaluate(RED, this, msg, lengthProp), 'range_length', 1, MAX_POSITION);
      const snapshotId = await readSnapshotId(RED, this, msg, snapshotProp);
      const body = {
        range_start: rangeStart,
        insert_before: insertBefore,
        ...(rangeLength === undefined ? {} : { range_length: rangeLength }),
        ...(snapshotId === undefined ? {} : { snapshot_id: snapshotId }),
      };
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
      return runtimeText('summary.moved', { count: rangeLength ?? 1, position: insertBefore });
    });
  }
  RED.nodes.registerType('spotify-reorder-tracks', ReorderTracksNode);
};

function requiredInt(value: unknown, field: string, min: number): number {
  const n = optionalInt(value, field, min, MAX_POSITION);
  if (n === undefined) throw new InputError(field, `a whole number from ${min} to ${MAX_POSITION}`, value ?? undefined);
  return n;
}
