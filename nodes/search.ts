// search: Spotify's catalogue search for one or several types at once, as deep as Spotify allows (1,000
// results, 10 per page) with one request per page for all types together.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { sendEach, shapeItem } from './node-red/list-output';
import { ListFields, type ListFieldsDef } from './node-red/list-fields';
import { nodeTexts } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { InputError } from './spotify/errors';
import { expectText } from './spotify/words';
import { resultKey, searchPages, SEARCH_TYPES, type SearchType } from './spotify/search';

/** This node's own texts, in its catalog (search.json). */
const ownText = nodeTexts('spotify-search');

interface SearchDef extends NodeDef, ListFieldsDef {
  account: string;
  query?: string;
  queryType?: string;
  types?: string | string[];
  market?: string;
  marketType?: string;
  /** Results skipped per type before the first one sent (Spotify's offset). */
  offset?: string;
  /** Also externally hosted episodes (include_external=audio). */
  external?: boolean;
}

const MAX_QUERY_CHARS = 500;

export = function register(RED: NodeAPI): void {
  function SearchNode(this: Node, def: SearchDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-search', def);
    const queryProp = typedValue(def.query, def.queryType, { value: 'payload', type: 'msg' });
    const marketProp = dialog.typed('market');
    const list = new ListFields(RED, this, dialog, def);
    const includeExternal = def.external === true;
    const typesSetting = def.types;

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const format = list.format();
      const types = parseTypes(typesSetting);
      const raw = await evaluate(RED, this, msg, queryProp);
      const q = typeof raw === 'number' ? String(raw) : raw;
      if (typeof q !== 'string' || q.trim() === '' || q.length > MAX_QUERY_CHARS) {
        throw new InputError('query', expectText('searchWords', { max: MAX_QUERY_CHARS }), raw);
      }
      const market = dialog.market('market', await evaluate(RED, this, msg, marketProp));
      const { maxItems, offset } = await list.range(msg);
      const run = searchPages(ctx.account.client, q.trim(), types, {
        market,
        maxItems,
        offset,
        includeExternal,
        concurrency: ctx.settings.pageConcurrency,
        counter: ctx.counter,
      });
      const counts: Record<string, number> = Object.fromEntries(types.map((t) => [resultKey(t), 0]));
      const facts = () => ({ requests: ctx.counter.requests, total: { ...run.totals } });

      if (list.mode === 'array') {
        const results: Record<string, unknown[]> = Object.fromEntries(types.map((t) => [resultKey(t), [] as unknown[]]));
        for await (const page of run.pages) {
          for (const { type, items } of page.results) results[resultKey(type)].push(...items.map((item) => shapeItem(item, format)));
        }
        for (const t of types) counts[resultKey(t)] = results[resultKey(t)].length;
        msg.payload = results;
        msg.spotify = { ...facts(), count: counts };
        send(msg);
      } else {
        // One message per result, as each page arrives; msg.spotify.type names its type.
        const results = async function* (): AsyncGenerator<{ type: SearchType; item: unknown }> {
          for await (const page of run.pages) {
            for (const { type, items } of page.results) {
              counts[resultKey(type)] += items.length;
              for (const item of items) yield { type, item };
            }
          }
        };
        await sendEach(RED, msg, send, results(), facts, {
          payload: (r) => shapeItem(r.item, format),
          itemFacts: (r) => ({ type: r.type }),
        });
      }
      const n = Object.values(counts).reduce((a, b) => a + b, 0);
      return ownText('status.results', { count: n });
    });
  }
  registerWithFields(RED, 'spotify-search', SearchNode);
};

/** The ticked types, in Spotify's order; stored as an array or a comma-separated string. */
function parseTypes(setting: unknown): SearchType[] {
  const list: unknown[] = Array.isArray(setting) ? setting : typeof setting === 'string' ? setting.split(',') : [];
  const names = list.map((t) => (typeof t === 'string' ? t.trim() : t)).filter((t) => t !== '');
  const bad = names.find((t) => !(SEARCH_TYPES as readonly unknown[]).includes(t));
  if (names.length === 0 || bad !== undefined) {
    throw new InputError('types', expectText('oneOrMore', { values: SEARCH_TYPES.join(', ') }), bad ?? setting);
  }
  return SEARCH_TYPES.filter((t) => names.includes(t));
}
