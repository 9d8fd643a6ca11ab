// recently played: the user's last plays (Spotify keeps 50), before or after a time, or only the plays that
// are new since this node last ran — a cursor kept on disk, so a restart neither repeats nor skips, and claimed
// in a shared store, so of several Node-RED instances running this node only one sends each play.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { OUTPUT_MODES, sendList, shapeItems, type OutputFormat } from './node-red/list-output';
import { nodeTexts } from './node-red/messages';
import { sendOnce } from './node-red/node-state';
import { stateBackend } from './node-red/state-backend';
import { evaluate, typedValue } from './node-red/typed-input';
import { InputError } from './spotify/errors';
import { expectText } from './spotify/words';
import { optionalTime, oneOf } from './spotify/inputs';
import { playedAtMs, readNewPlays, readRecentPlays, type PlayHistory } from './spotify/list-watch';

/** This node's own texts, in its catalog (recently-played.json). */
const ownText = nodeTexts('spotify-recently-played');

interface RecentlyPlayedDef extends NodeDef {
  account: string;
  limit?: string;
  limitType?: string;
  after?: string;
  afterType?: string;
  before?: string;
  beforeType?: string;
  newOnly?: boolean;
  output?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

interface NewOnlyCursor {
  after: number;
}

export = function register(RED: NodeAPI): void {
  function RecentlyPlayedNode(this: Node, def: RecentlyPlayedDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-recently-played', def);
    const limitProp = dialog.typed('limit');
    const afterProp = typedValue(def.after, def.afterType, { value: '', type: 'num' });
    const beforeProp = typedValue(def.before, def.beforeType, { value: '', type: 'num' });
    const mode = oneOf(def.output, 'output', OUTPUT_MODES, 'array');
    const newOnly = def.newOnly === true;
    const stateKey = `recently-played:${this._alias ?? this.id}`;

    runActionNode(
      RED,
      this,
      def.account,
      async (msg, send, ctx) => {
        const format = dialog.choice<OutputFormat>('format', def.format);
        const limit = dialog.int('limit', await evaluate(RED, this, msg, limitProp)) ?? 20;
        let after = optionalTime(await evaluate(RED, this, msg, afterProp), 'after');
        const before = optionalTime(await evaluate(RED, this, msg, beforeProp), 'before');
        if (after !== undefined && before !== undefined) {
          throw new InputError('after', expectText('oneCursor'), after);
        }
        const nodeState = stateBackend(RED, ctx.settings).nodeState;
        // New only: the cursor as stored, which a run moves on (only ever forward) with the plays it sends.
        const stored = newOnly ? await nodeState.read<NewOnlyCursor>(stateKey) : undefined;
        if (newOnly && after === undefined && before === undefined) after = stored?.after;
        // New-only: everything after the cursor, page by page, so nothing in between is skipped; the oldest
        // `limit` go out now and the rest on the next run.
        const plays =
          newOnly && after !== undefined
            ? (await readNewPlays(ctx.account.client, after, ctx.counter, undefined, limit)).plays.slice(0, limit)
            : await readRecentPlays(ctx.account.client, { limit, after, before }, ctx.counter);
        // New-only runs read like a log (oldest first); plain queries keep Spotify's order (newest first).
        plays.sort((a, b) => (newOnly ? playedAtMs(a) - playedAtMs(b) : playedAtMs(b) - playedAtMs(a)));
        const newest = plays.length ? Math.max(...plays.map(playedAtMs)) : undefined;
        const output = (list: PlayHistory[], cursor: number | undefined): Promise<unknown> =>
          sendList(RED, msg, send, shapeItems(list, format), mode, () => ({
            requests: ctx.counter.requests,
            cursors: { after: cursor ?? null },
          }));
        if (!newOnly || newest === undefined || newest <= (stored?.after ?? 0)) {
          await output(plays, newest ?? after);
        } else if (!(await sendOnce(nodeState, stateKey, stored, { after: newest }, () => output(plays, newest)))) {
          // Several Node-RED instances share the store and another one moved the cursor first: it sent these
          // plays (and any before them), so this run has nothing new.
          await output([], after);
          return ownText('status.playsSentElsewhere');
        }
        return ownText('status.plays', { count: plays.length });
      },
      { sequential: newOnly },
    );
  }
  registerWithFields(RED, 'spotify-recently-played', RecentlyPlayedNode);
};
