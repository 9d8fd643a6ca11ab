// new recently played: a trigger that emits each newly played track once, oldest first. One request per poll
// (recently played after a cursor); the cursor is kept on disk and moves only after the messages went out.
import type { Node, NodeAPI } from 'node-red';
import { defaultIntervalSeconds, NodeFieldReader, registerTrigger } from './node-red/fields';
import { nodeTexts, runtimeText } from './node-red/messages';
import { newItemsMessages, readNewItemsOutput, runTriggerNode, type TriggerDef } from './node-red/trigger-node';
import { playedAtMs, readNewPlays, readRecentPlays } from './spotify/list-watch';

/** This node's own texts, in its catalog (new-plays.json). */
const ownText = nodeTexts('spotify-new-plays');

interface NewPlaysDef extends TriggerDef {
  /** 'each' new play in its own message, or the 'latest' N plays as one list. */
  emit?: string;
  latest?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

interface NewPlaysState {
  /** Unix ms of the newest play sent (or remembered); 0 when there was none. */
  after: number;
}

export = function register(RED: NodeAPI): void {
  function NewPlaysNode(this: Node, def: NewPlaysDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-new-plays', def);
    runTriggerNode<NewPlaysState>(
      RED,
      this,
      def,
      async (ctx) => {
        const output = readNewItemsOutput(dialog, def);
        const first = ctx.state === undefined;
        const { plays, after } = await readNewPlays(ctx.account.client, ctx.state?.after, ctx.counter, ctx.signal);
        const emit = !first || ctx.firstRun === 'emit';
        const out = await newItemsMessages(
          emit ? plays : [],
          output,
          // Newest first; a play newer than the cursor comes with the next poll, in the list it makes new.
          async (limit) =>
            (await readRecentPlays(ctx.account.client, { limit }, ctx.counter, ctx.signal))
              .filter((p) => playedAtMs(p) <= after)
              .sort((a, b) => playedAtMs(b) - playedAtMs(a)),
          () => ({ requests: ctx.counter.requests, cursors: { after }, ...(first ? { firstRun: true } : {}) }),
        );
        ctx.send(out);
        if (first || after !== ctx.state?.after) await ctx.save({ after });
        const newest = plays[plays.length - 1];
        if (!emit) return { text: ownText('status.rememberedPlays', { count: plays.length }) };
        if (!newest) return { text: runtimeText('summary.noChange') };
        return { text: runtimeText('summary.newItems', { count: plays.length, name: newest.track?.name ?? newest.track?.uri ?? '' }) };
      },
      { stateName: 'new-plays', defaultIntervalSeconds: defaultIntervalSeconds('spotify-new-plays') },
    );
  }
  registerTrigger(RED, 'spotify-new-plays', NewPlaysNode);
};
