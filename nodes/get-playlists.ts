// get playlists: the current user's playlists (owned and followed), every page or at most N.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { OUTPUT_MODES, sendList, shapeItems, type OutputFormat } from './node-red/list-output';
import { nodeTexts } from './node-red/messages';
import { evaluate } from './node-red/typed-input';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';

/** This node's own texts, in its catalog (get-playlists.json). */
const ownText = nodeTexts('spotify-get-playlists');

interface GetPlaylistsDef extends NodeDef {
  account: string;
  limit?: string;
  limitType?: string;
  /** Entries skipped before the first one sent (Spotify's offset). */
  offset?: string;
  offsetType?: string;
  output?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

export = function register(RED: NodeAPI): void {
  function GetPlaylistsNode(this: Node, def: GetPlaylistsDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-get-playlists', def);
    const limitProp = dialog.typed('limit');
    const offsetProp = dialog.typed('offset');
    const mode = oneOf(def.output, 'output', OUTPUT_MODES, 'array');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = dialog.choice<OutputFormat>('format', def.format);
      const maxItems = dialog.int('limit', await evaluate(RED, this, msg, limitProp));
      const offset = dialog.int('offset', await evaluate(RED, this, msg, offsetProp));
      const playlists = ctx.account.client.list<unknown>(
        OPERATIONS.myPlaylists,
        {},
        { maxItems, offset, concurrency: ctx.settings.pageConcurrency },
        ctx.counter,
      );
      const facts = () => ({ total: playlists.total, requests: ctx.counter.requests });
      const { count } = await sendList(RED, msg, send, shapeItems(playlists, format), mode, facts);
      return ownText('status.playlists', { count });
    });
  }
  registerWithFields(RED, 'spotify-get-playlists', GetPlaylistsNode);
};
