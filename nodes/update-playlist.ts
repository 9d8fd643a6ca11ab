// update playlist details: rename a playlist, change its description, make it public or private, collaborative
// or not. Only the details given are sent; the rest stay as they are.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { detailsProps, readDetails, type DetailsDef } from './node-red/playlist-details';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { InputError } from './spotify/errors';
import { expectText } from './spotify/words';
import { OPERATIONS } from './spotify/operations';
import { registerNode } from './node-red/register-node';

/** This node's own texts, in its catalog (update-playlist.json). */
const ownText = nodeTexts('spotify-update-playlist');

interface UpdatePlaylistDef extends NodeDef, PlaylistTargetDef, DetailsDef {
  account: string;
  /** The playlist's new name (`playlistName` is the picked playlist's display name). */
  newName?: string;
  newNameType?: string;
}

export = function register(RED: NodeAPI): void {
  function UpdatePlaylistNode(this: Node, def: UpdatePlaylistDef): void {
    RED.nodes.createNode(this, def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: true });
    const props = detailsProps(def, { value: def.newName, type: def.newNameType }, 'name');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const target = await playlistIn.read(msg);
      const details = await readDetails(RED, this, msg, props);
      if (Object.keys(details).length === 0) {
        throw new InputError('details', expectText('details'));
      }
      const playlistId = await playlistIn.run(target, ctx, async (playlist) => {
        await ctx.account.client.call(OPERATIONS.updatePlaylist, { params: { playlist_id: playlist.id }, body: details }, ctx.counter);
        return playlist.id;
      });
      // Lookups by name know the new name at once.
      if (details.name !== undefined) ctx.account.playlists.renamed(playlistId, details.name);
      msg.payload = { playlist_id: playlistId, updated: details };
      msg.spotify = { requests: ctx.counter.requests };
      send(msg);
      return ownText('status.updated', { fields: Object.keys(details).join(', ') });
    });
  }
  registerNode(RED, 'spotify-update-playlist', UpdatePlaylistNode);
};
