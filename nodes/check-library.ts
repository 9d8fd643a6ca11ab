// check library: is each of these tracks, albums, episodes, shows, audiobooks saved, each artist, user or
// playlist followed? One answer per URI, in order, through GET /me/library/contains in batches of 40.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { checkLibrary, parseLibraryRefs } from './spotify/library';
import { registerNode } from './node-red/register-node';

/** This node's own texts, in its catalog (check-library.json). */
const ownText = nodeTexts('spotify-check-library');

interface CheckLibraryDef extends NodeDef {
  account: string;
  items?: string;
  itemsType?: string;
}

export = function register(RED: NodeAPI): void {
  function CheckLibraryNode(this: Node, def: CheckLibraryDef): void {
    RED.nodes.createNode(this, def);
    const itemsProp = typedValue(def.items, def.itemsType, { value: 'payload', type: 'msg' });
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const refs = parseLibraryRefs(await evaluate(RED, this, msg, itemsProp), 'items');
      const answers = await checkLibrary(ctx.account.client, refs, ctx.counter);
      const saved = answers.filter((a) => a.saved).length;
      msg.payload = answers;
      // One boolean for a switch node: with one URI it is that URI's answer.
      msg.saved = saved === answers.length;
      msg.spotify = { requests: ctx.counter.requests, count: answers.length, saved };
      send(msg);
      if (answers.length === 1) return ownText(saved ? 'status.inLibrary' : 'status.notInLibrary');
      return ownText('status.inLibraryOf', { count: saved, total: answers.length });
    });
  }
  registerNode(RED, 'spotify-check-library', CheckLibraryNode);
};
