// new recently played: a trigger that emits each newly played track once, oldest first. One request per poll
// (recently played after a cursor); the cursor is kept on disk and moves only after the messages went out.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { defaultIntervalSeconds, registerTrigger } from './node-red/fields';
import { runtimeText } from './node-red/messages';
import { runTriggerNode, type TriggerDef } from './node-red/trigger-node';
import { readNewPlays } from './spotify/list-watch';

interface NewPlaysState {
  /** Unix ms of the newest play sent (or remembered); 0 when there was none. */
  after: number;
}

export = function register(RED: NodeAPI): void {
  function NewPlaysNode(this: Node, def: TriggerDef): void {
    RED.nodes.createNode(this, def);
    runTriggerNode<NewPlaysState>(
      RED,
      this,
      def,
      async (ctx) => {
        const first = ctx.state === undefined;
        const { plays, after } = await readNewPlays(ctx.account.client, ctx.state?.after, ctx.counter, ctx.signal);
        const emit = !first || ctx.firstRun === 'emit';
        const out: NodeMessage[] = emit
          ? plays.map((play) => ({
              payload: play,
              spotify: { requests: ctx.counter.requests, cursors: { after }, ...(first ? { firstRun: true } : {}) },
            }))
          : [];
        ctx.send(out);
        if (first || after !== ctx.state?.after) await ctx.save({ after });
        const newest = plays[plays.length - 1];
        if (!emit)
          return { text: runtimeText(plays.length === 1 ? 'summary.rememberedPlay' : 'summary.rememberedPlays', { count: plays.length }) };
        if (!newest) return { text: runtimeText('summary.noChange') };
        return { text: runtimeText('summary.newItems', { count: plays.length, name: newest.track?.name ?? newest.track?.uri ?? '' }) };
      },
      { stateName: 'new-plays', defaultIntervalSeconds: defaultIntervalSeconds('spotify-new-plays') },
    );
  }
  registerTrigger(RED, 'spotify-new-plays', NewPlaysNode);
};
