// top items: the user's top artists or tracks over the last ~4 weeks, ~6 months or ~1 year; every page,
// at most N, or one message per item.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { OUTPUT_MODES, sendList, shapeItems, type OutputFormat } from './node-red/list-output';
import { nodeTexts } from './node-red/messages';
import { selectOrMsg } from './node-red/select-or-msg';
import { evaluate } from './node-red/typed-input';
import type { Repeat } from './node-red/repeat-rules';
import { startRepeat } from './node-red/repeat-timer';
import { oneOf } from './spotify/inputs';
import { OPERATIONS } from './spotify/operations';

/** This node's own texts, in its catalog (top-items.json). */
const ownText = nodeTexts('spotify-top-items');

interface TopItemsDef extends NodeDef {
  account: string;
  itemType?: string;
  timeRange?: string;
  limit?: string;
  limitType?: string;
  /** Entries skipped before the first one sent (Spotify's offset). */
  offset?: string;
  offsetType?: string;
  output?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
  /** Sends by itself: 'none', 'daily' or a weekday ('mon' …), at `at` (repeat-rules.ts). */
  repeat?: string;
  at?: string;
}

const TOP_TYPES = ['tracks', 'artists'] as const;
const TIME_RANGES = ['short_term', 'medium_term', 'long_term'] as const;

/** The status summary for each type: one or several top items. */
const SUMMARY: Record<(typeof TOP_TYPES)[number], string> = {
  tracks: 'status.topTracks',
  artists: 'status.topArtists',
};

export = function register(RED: NodeAPI): void {
  function TopItemsNode(this: Node, def: TopItemsDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-top-items', def);
    const limitProp = dialog.typed('limit');
    const offsetProp = dialog.typed('offset');
    const mode = oneOf(def.output, 'output', OUTPUT_MODES, 'array');
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = dialog.choice<OutputFormat>('format', def.format);
      const type = selectOrMsg(def.itemType, msg, 'type', TOP_TYPES, 'tracks');
      const timeRange = selectOrMsg(def.timeRange, msg, 'time_range', TIME_RANGES, 'medium_term');
      const maxItems = dialog.int('limit', await evaluate(RED, this, msg, limitProp));
      const offset = dialog.int('offset', await evaluate(RED, this, msg, offsetProp));
      const items = ctx.account.client.list<unknown>(
        OPERATIONS.topItems,
        { params: { type }, query: { time_range: timeRange } },
        { maxItems, offset, concurrency: ctx.settings.pageConcurrency },
        ctx.counter,
      );
      const facts = () => ({ type, time_range: timeRange, total: items.total, requests: ctx.counter.requests });
      const { count } = await sendList(RED, msg, send, shapeItems(items, format), mode, facts);
      return ownText(SUMMARY[type], { count });
    });
    // Repeat: "every Monday" without an inject node (whose days take a click each to untick).
    try {
      const repeat = dialog.choice<Repeat>('repeat', def.repeat);
      if (repeat !== 'none') startRepeat(this, repeat, dialog.timeOfDay('at', def.at));
    } catch (err) {
      this.error((err as Error).message);
    }
  }
  registerWithFields(RED, 'spotify-top-items', TopItemsNode);
};
