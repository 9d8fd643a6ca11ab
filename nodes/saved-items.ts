// saved items: the user's saved tracks, albums, shows, episodes or audiobooks, newest first, each with the
// time it was saved (`added_at`); every page, at most N, or one message per item.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { OUTPUT_MODES, sendList, shapeItems, type OutputFormat } from './node-red/list-output';
import { nodeTexts } from './node-red/messages';
import { selectOrMsg } from './node-red/select-or-msg';
import { evaluate } from './node-red/typed-input';
import { marketQuery } from './spotify/catalog';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';

/** This node's own texts, in its catalog (saved-items.json). */
const ownText = nodeTexts('spotify-saved-items');

interface SavedItemsDef extends NodeDef {
  account: string;
  itemType?: string;
  limit?: string;
  limitType?: string;
  /** Entries skipped before the first one sent (Spotify's offset). */
  offset?: string;
  offsetType?: string;
  market?: string;
  marketType?: string;
  output?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

const SAVED_TYPES = ['tracks', 'albums', 'shows', 'episodes', 'audiobooks'] as const;
type SavedType = (typeof SAVED_TYPES)[number];

/** The status summary for each type: saved items counted (plural forms in the catalog). */
const SUMMARY: Record<SavedType, string> = {
  tracks: 'status.savedTracks',
  albums: 'status.savedAlbums',
  shows: 'status.savedShows',
  episodes: 'status.savedEpisodes',
  audiobooks: 'status.savedAudiobooks',
};

export = function register(RED: NodeAPI): void {
  function SavedItemsNode(this: Node, def: SavedItemsDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-saved-items', def);
    const limitProp = dialog.typed('limit');
    const offsetProp = dialog.typed('offset');
    const marketProp = dialog.typed('market');
    const mode = oneOf(def.output, 'output', OUTPUT_MODES, 'array');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = dialog.choice<OutputFormat>('format', def.format);
      const type: SavedType = selectOrMsg(def.itemType, msg, 'type', SAVED_TYPES, 'tracks');
      const maxItems = dialog.int('limit', await evaluate(RED, this, msg, limitProp));
      const offset = dialog.int('offset', await evaluate(RED, this, msg, offsetProp));
      const market = dialog.market('market', await evaluate(RED, this, msg, marketProp));
      const items = ctx.account.client.list<unknown>(
        OPERATIONS.savedItems,
        { params: { type }, query: marketQuery(type, market) },
        { maxItems, offset, concurrency: ctx.settings.pageConcurrency },
        ctx.counter,
      );
      const facts = () => ({ type, total: items.total, requests: ctx.counter.requests });
      const { count } = await sendList(RED, msg, send, shapeItems(items, format), mode, facts);
      return ownText(SUMMARY[type], { count });
    });
  }
  registerWithFields(RED, 'spotify-saved-items', SavedItemsNode);
};
