// create playlist: a new playlist for the current user; the new playlist object goes out in msg.payload.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { detailsProps, readDetails, type DetailsDef } from './node-red/playlist-details';
import { InputError } from './spotify/errors';
import { expectText } from './spotify/words';
import { OPERATIONS } from './spotify/operations';
import { withItems } from './spotify/playlist-entries';
import { registerNode } from './node-red/register-node';

/** This node's own texts, in its catalog (create-playlist.json). */
const ownText = nodeTexts('spotify-create-playlist');

interface CreatePlaylistDef extends NodeDef, DetailsDef {
  account: string;
  /** The new playlist's name (the node's own `name` is its label). */
  playlistName?: string;
  playlistNameType?: string;
}

export = function register(RED: NodeAPI): void {
  function CreatePlaylistNode(this: Node, def: CreatePlaylistDef): void {
    RED.nodes.createNode(this, def);
    const props = detailsProps(def, { value: def.playlistName, type: def.playlistNameType }, 'payload');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const details = await readDetails(RED, this, msg, props);
      if (details.name === undefined) throw new InputError('name', expectText('newPlaylistName'));
      // Spotify makes new playlists public unless told otherwise, and refuses public collaborative ones.
      if (details.collaborative === true && details.public === undefined) details.public = false;
      // A POST: the client never repeats it after a lost answer, so a retry cannot create a second playlist.
      const created = await ctx.account.client.call<unknown>(OPERATIONS.createPlaylist, { body: details }, ctx.counter);
      // Lookups by name know it at once: a flow that creates and then adds by name needs no new read.
      ctx.account.playlists.remember(created);
      msg.payload = withItems(created);
      msg.spotify = { requests: ctx.counter.requests };
      send(msg);
      return ownText('status.created', { name: details.name });
    });
  }
  registerNode(RED, 'spotify-create-playlist', CreatePlaylistNode);
};
