// my profile: the signed-in user's profile from GET /me (id, display_name, images, account_id, …).
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { OPERATIONS } from './spotify/operations';
import { registerNode } from './node-red/register-node';

/** This node's own texts, in its catalog (my-profile.json). */
const ownText = nodeTexts('spotify-my-profile');

interface MyProfileDef extends NodeDef {
  account: string;
}

interface Profile {
  id?: string;
  display_name?: string | null;
}

export = function register(RED: NodeAPI): void {
  function MyProfileNode(this: Node, def: MyProfileDef): void {
    RED.nodes.createNode(this, def);
    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const profile = await ctx.account.client.call<Profile>(OPERATIONS.me, {}, ctx.counter);
      msg.payload = profile;
      msg.spotify = { requests: ctx.counter.requests };
      send(msg);
      return profile.display_name || profile.id || ownText('status.profile');
    });
  }
  registerNode(RED, 'spotify-my-profile', MyProfileNode);
};
