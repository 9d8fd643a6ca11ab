// get playlist: one playlist's details (name, owner, description, images, item count, and the first entries
// when the user owns or collaborates on it), by ID, URI, link or playlist object.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { PlaylistTarget, type PlaylistTargetDef } from './node-red/playlist-target';
import { evaluate, typedValue } from './node-red/typed-input';
import { optionalText } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';
import { itemCount, withItems } from './spotify/playlist-entries';
import { WITH_EPISODES } from './spotify/item-types';

/** This node's own texts, in its catalog (get-playlist.json). */
const ownText = nodeTexts('spotify-get-playlist');

interface GetPlaylistDef extends NodeDef, PlaylistTargetDef {
  account: string;
  fields?: string;
  fieldsType?: string;
  market?: string;
  marketType?: string;
}

export = function register(RED: NodeAPI): void {
  function GetPlaylistNode(this: Node, def: GetPlaylistDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-get-playlist', def);
    const playlistIn = new PlaylistTarget(RED, this, def, { write: false });
    const fieldsProp = typedValue(def.fields, def.fieldsType, { value: '', type: 'str' });
    const marketProp = dialog.typed('market');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const target = await playlistIn.read(msg);
      const fields = optionalText(await evaluate(RED, this, msg, fieldsProp), 'fields', { max: 2000 })?.trim() || undefined;
      const market = dialog.market('market', await evaluate(RED, this, msg, marketProp));
      const body = await playlistIn.run(target, ctx, (playlist) =>
        ctx.account.client.call<unknown>(
          OPERATIONS.playlist,
          { params: { playlist_id: playlist.id }, query: { fields, market, ...WITH_EPISODES } },
          ctx.counter,
        ),
      );
      msg.payload = withItems(body);
      const total = itemCount(msg.payload);
      msg.spotify = { requests: ctx.counter.requests, ...(total === undefined ? {} : { total }) };
      send(msg);
      const name = (msg.payload as { name?: unknown } | null)?.name;
      return typeof name === 'string' && name ? name : ownText('status.unnamedPlaylist');
    });
  }
  registerWithFields(RED, 'spotify-get-playlist', GetPlaylistNode);
};
