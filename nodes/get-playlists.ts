// get playlists: the current user's playlists (owned and followed), every page or at most N.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { sendList, shapeItems } from './node-red/list-output';
import { ListFields, type ListFieldsDef } from './node-red/list-fields';
import { nodeTexts } from './node-red/messages';
import { OPERATIONS } from './spotify/operations';

/** This node's own texts, in its catalog (get-playlists.json). */
const ownText = nodeTexts('spotify-get-playlists');

interface GetPlaylistsDef extends NodeDef, ListFieldsDef {
  account: string;
}

export = function register(RED: NodeAPI): void {
  function GetPlaylistsNode(this: Node, def: GetPlaylistsDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-get-playlists', def);
    const list = new ListFields(RED, this, dialog, def);
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = list.format();
      const { maxItems, offset } = await list.range(msg);
      const playlists = ctx.account.client.list<unknown>(
        OPERATIONS.myPlaylists,
        {},
        { maxItems, offset, concurrency: ctx.settings.pageConcurrency },
        ctx.counter,
      );
      const facts = () => ({ total: playlists.total, requests: ctx.counter.requests });
      const { count } = await sendList(RED, msg, send, shapeItems(playlists, format), list.mode, facts);
      return ownText('status.playlists', { count });
    });
  }
  registerWithFields(RED, 'spotify-get-playlists', GetPlaylistsNode);
};
