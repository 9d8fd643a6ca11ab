// new saved items: a trigger that emits each newly saved track (album, show, episode, audiobook) once, oldest
// first. Reads the library newest first and stops at the first item already seen: one small request when
// nothing is new. What was seen last is kept on disk.
import type { Node, NodeAPI } from 'node-red';
import { defaultIntervalSeconds, NodeFieldReader, registerTrigger } from './node-red/fields';
import { nodeTexts, runtimeText } from './node-red/messages';
import { newItemsMessages, readNewItemsOutput, runTriggerNode, type TriggerDef } from './node-red/trigger-node';
import { oneOf } from './spotify/inputs';
import { readLatestSaved, readNewSaved, savedUri, SAVED_TYPES, type SavedMark, type SavedType } from './spotify/list-watch';

/** This node's own texts, in its catalog (new-saved.json). */
const ownText = nodeTexts('spotify-new-saved');

interface NewSavedDef extends TriggerDef {
  savedType?: string;
  /** 'each' new item in its own message, or the 'latest' N saved items as one list. */
  emit?: string;
  latest?: string;
  /** 'objects' (as Spotify sends them) or 'rows' (flat, for a table). */
  format?: string;
}

interface NewSavedState {
  type: SavedType;
  mark: SavedMark;
}

export = function register(RED: NodeAPI): void {
  function NewSavedNode(this: Node, def: NewSavedDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-new-saved', def);
    let type: SavedType = 'tracks';
    try {
      type = oneOf(def.savedType, 'savedType', SAVED_TYPES, 'tracks');
    } catch (err) {
      this.warn((err as Error).message);
    }
    runTriggerNode<NewSavedState>(
      RED,
      this,
      def,
      async (ctx) => {
        const output = readNewItemsOutput(dialog, def);
        // A changed type starts over: the mark of another list means nothing here.
        const mark = ctx.state?.type === type ? ctx.state.mark : undefined;
        const first = mark === undefined;
        const { items, mark: next } = await readNewSaved(ctx.account.client, type, mark, ctx.counter, ctx.signal);
        const emit = !first || ctx.firstRun === 'emit';
        const out = await newItemsMessages(
          emit ? items : [],
          output,
          (limit) => readLatestSaved(ctx.account.client, type, limit, ctx.counter, ctx.signal),
          () => ({ requests: ctx.counter.requests, type, ...(first ? { firstRun: true } : {}) }),
        );
        ctx.send(out);
        if (first || items.length > 0) await ctx.save({ type, mark: next });
        if (!emit) return { text: ownText('status.rememberedItems', { count: items.length }) };
        const newest = items[items.length - 1];
        if (!newest) return { text: runtimeText('summary.noChange') };
        const obj = newest[type.slice(0, -1)] as { name?: string } | undefined;
        return { text: runtimeText('summary.newItems', { count: items.length, name: obj?.name ?? savedUri(newest, type) ?? '' }) };
      },
      { stateName: 'new-saved', defaultIntervalSeconds: defaultIntervalSeconds('spotify-new-saved') },
    );
  }
  registerTrigger(RED, 'spotify-new-saved', NewSavedNode);
};
