// get item: tracks, albums, artists, shows, episodes, audiobooks or chapters by ID, URI or link — one or
// many, mixed types allowed. One request per item (the batch GETs are gone), 4 at a time, in input order.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { fieldLabelText } from './node-red/field-labels';
import { nodeTexts, runtimeText } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { CATALOG_TYPES, getItems, type CatalogType } from './spotify/catalog';
import { parseRefs } from './spotify/ids';
import { oneOf } from './spotify/inputs';

/** This node's own texts, in its catalog (get-item.json). */
const ownText = nodeTexts('spotify-get-item');

interface GetItemDef extends NodeDef {
  account: string;
  items?: string;
  itemsType?: string;
  itemType?: string;
  market?: string;
  marketType?: string;
}

/** One request per item: a bound on what one message may cost. */
const MAX_ITEMS = 1000;
const CONCURRENCY = 4;

export = function register(RED: NodeAPI): void {
  function GetItemNode(this: Node, def: GetItemDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-get-item', def);
    const itemsProp = typedValue(def.items, def.itemsType, { value: 'payload', type: 'msg' });
    const marketProp = dialog.typed('market');
    const bareType: CatalogType = oneOf(def.itemType, 'type', CATALOG_TYPES, 'track');
    // The selected type first: a bare ID counts as that type; URIs and links say their own.
    const accept = [bareType, ...CATALOG_TYPES.filter((t) => t !== bareType)];
    const itemsLabel = fieldLabelText('spotify-get-item', 'label.items'); // bad input names the field as the dialog does

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const input = await evaluate(RED, this, msg, itemsProp);
      const refs = parseRefs(input, itemsLabel, accept, { max: MAX_ITEMS });
      const market = dialog.market('market', await evaluate(RED, this, msg, marketProp));
      const { items, failed } = await getItems(ctx.account.client, refs, { concurrency: CONCURRENCY, market, counter: ctx.counter });
      // One item asked for: its object, and its failure is the node's error. A list: an array in input order,
      // null where an item failed, the failures in msg.spotify.failed — the other items still go out.
      const single = refs.length === 1 && !Array.isArray(input) && !(typeof input === 'string' && /[\s,]/.test(input.trim()));
      if (single && failed.length === 1) throw failed[0].error;
      msg.payload = single ? items[0] : items;
      msg.spotify = {
        requests: ctx.counter.requests,
        count: items.length - failed.length,
        failed: failed.map(({ index, uri, status, message }) => ({ index, uri, status, message })),
      };
      send(msg);
      const found = items.length - failed.length;
      if (failed.length) {
        this.warn(
          ownText('warnings.itemsUnread', { failed: failed.length, total: items.length, uris: failed.map((f) => f.uri).join(', ') }),
        );
        return ownText('status.itemsFailed', { found, total: items.length, failed: failed.length });
      }
      return runtimeText('summary.items', { count: found });
    });
  }
  registerWithFields(RED, 'spotify-get-item', GetItemNode);
};
