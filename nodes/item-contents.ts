// item contents: an album's tracks, an artist's albums, a show's episodes or an audiobook's chapters —
// every page, at most N, or one message per entry.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { OUTPUT_MODES, sendList, shapeItems, type OutputFormat } from './node-red/list-output';
import { nodeTexts } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { CONTENT_OPERATIONS, CONTENT_TYPES, type ContentType } from './spotify/catalog';
import { parseRef } from './spotify/ids';
import { oneOf } from './spotify/inputs';

/** This node's own texts, in its catalog (item-contents.json). */
const ownText = nodeTexts('spotify-item-contents');

interface ItemContentsDef extends NodeDef {
  account: string;
  item?: string;
  itemType?: string;
  containerType?: string;
  market?: string;
  marketType?: string;
  limit?: string;
  limitType?: string;
  /** Entries skipped before the first one sent (Spotify's offset). */
  offset?: string;
  offsetType?: string;
  /** An artist's albums of these groups only ("album,single"; empty: all). */
  groups?: string;
  groupsType?: string;
  output?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

/** The status summary for each container: its entries counted (plural forms in the catalog). */
const SUMMARY: Record<ContentType, string> = {
  album: 'status.tracks',
  artist: 'status.albums',
  show: 'status.episodes',
  audiobook: 'status.chapters',
};

export = function register(RED: NodeAPI): void {
  function ItemContentsNode(this: Node, def: ItemContentsDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-item-contents', def);
    const itemProp = typedValue(def.item, def.itemType, { value: 'payload', type: 'msg' });
    const marketProp = dialog.typed('market');
    const limitProp = dialog.typed('limit');
    const offsetProp = dialog.typed('offset');
    const groupsProp = dialog.typed('groups');
    const mode = oneOf(def.output, 'output', OUTPUT_MODES, 'array');
    const bareType: ContentType = oneOf(def.containerType, 'type', CONTENT_TYPES, 'album');
    const accept = [bareType, ...CONTENT_TYPES.filter((t) => t !== bareType)];

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = dialog.choice<OutputFormat>('format', def.format);
      const ref = parseRef(await evaluate(RED, this, msg, itemProp), 'item', accept);
      const market = dialog.market('market', await evaluate(RED, this, msg, marketProp));
      const maxItems = dialog.int('limit', await evaluate(RED, this, msg, limitProp));
      const offset = dialog.int('offset', await evaluate(RED, this, msg, offsetProp));
      const type = ref.type as ContentType;
      // Spotify takes include_groups on an artist's albums only: for other items the field is not read.
      const groups = type === 'artist' ? dialog.list('groups', await evaluate(RED, this, msg, groupsProp)) : undefined;
      const { op } = CONTENT_OPERATIONS[type];
      const entries = ctx.account.client.list<unknown>(
        op,
        { params: { id: ref.id }, query: { market, include_groups: groups } },
        { maxItems, offset, concurrency: ctx.settings.pageConcurrency },
        ctx.counter,
      );
      const facts = () => ({ total: entries.total, requests: ctx.counter.requests, type, uri: ref.uri });
      const { count } = await sendList(RED, msg, send, shapeItems(entries, format), mode, facts);
      const summary = SUMMARY[type];
      return ownText(summary, { count });
    });
  }
  registerWithFields(RED, 'spotify-item-contents', ItemContentsNode);
};
