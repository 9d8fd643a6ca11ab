// add tracks: any number of tracks or episodes into a playlist, in order, in Spotify's batches of 100.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { evaluate, typedValue } from './node-red/typed-input';
import { InputError } from './spotify/errors';
import { parseRef, parseRefs } from './spotify/ids';
import { optionalInt } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';

interface AddTracksDef extends NodeDef {
  account: string;
  playlist?: string;
  playlistType?: string;
  tracks?: string;
  tracksType?: string;
  position?: string;
  positionType?: string;
}

/** More than a user would add at once; bounds memory for a runaway message. */
const MAX_TRACKS = 10_000;

export = function register(RED: NodeAPI): void {
  function AddTracksNode(this: Node, def: AddTracksDef): void {
    RED.nodes.createNode(this, def);
    const playlistProp = typedValue(def.playlist, def.playlistType, { value: 'playlist', type: 'msg' });
    const tracksProp = typedValue(def.tracks, def.tracksType, { value: 'payload', type: 'msg' });
    const positionProp = typedValue(def.position, def.positionType, { value: '', type: 'num' });

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const playlist = parseRef(await evaluate(RED, this, msg, playlistProp), 'playlist', ['playlist']);
      const tracks = parseRefs(await evaluate(RED, this, msg, tracksProp), 'tracks', ['track', 'episode'], { max: MAX_TRACKS });
      const local = tracks.findIndex((t) => t.local);
      if (local >= 0) throw new InputError(`tracks[${local}]`, 'a Spotify track or episode (local files cannot be added through the Web API)', tracks[local].uri);
      const position = optionalInt(await evaluate(RED, this, msg, positionProp), 'position', 0, 1_000_000);

      // Batch failures report what was applied by URI, ready for msg.spotify.applied / notApplied.
      const answers = await ctx.account.client.batched<string, { snapshot_id?: string }>(
        OPERATIONS.addPlaylistItems,
        tracks.map((t) => t.uri),
        (uris, start) => ({
          params: { playlist_id: playlist.id },
          body: { uris, ...(position === undefined ? {} : { position: position + start }) },
        }),
        ctx.counter,
        'tracks',
      );
      const snapshotId = answers.length ? answers[answers.length - 1].snapshot_id : undefined;
      msg.payload = { playlist_id: playlist.id, snapshot_id: snapshotId, added: tracks.length, batches: answers.length };
      msg.spotify = { requests: ctx.counter.requests };
      send(msg);
      return `added ${tracks.length}`;
    });
  }
  RED.nodes.registerType('tunewire-add-tracks', AddTracksNode);
};
