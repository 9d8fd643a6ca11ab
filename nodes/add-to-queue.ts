// add to queue: tracks and episodes into the user's playback queue, in order. Spotify takes one per request
// (POST /me/player/queue?uri=…); a POST whose answer was lost is not repeated, so nothing is queued twice. A
// search's answer wired in as it is queues its best match (its first result), as "queue this song" means.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { fieldLabelText } from './node-red/field-labels';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { withSkipped } from './node-red/skipped-text';
import { runBatches } from './spotify/batching';
import { resolveDevice } from './spotify/devices';
import { searchAnswerLists } from './spotify/ids';
import { OPERATIONS } from './spotify/operations';
import { writableRefs, type UnwritableMode } from './spotify/writable';
import { expectText } from './spotify/words';

/** This node's own texts, in its catalog (add-to-queue.json). */
const ownText = nodeTexts('spotify-add-to-queue');

interface AddToQueueDef extends NodeDef {
  account: string;
  items?: string;
  itemsType?: string;
  device?: string;
  deviceType?: string;
  /** Local files and unavailable items: 'skip' (counted) or 'refuse' the message. */
  unwritable?: string;
}

/** One request each: more than this is not a queue a person listens to. */
const MAX_ITEMS = 500;

export = function register(RED: NodeAPI): void {
  function AddToQueueNode(this: Node, def: AddToQueueDef): void {
    RED.nodes.createNode(this, def);
    const itemsProp = typedValue(def.items, def.itemsType, { value: 'payload', type: 'msg' });
    const deviceProp = typedValue(def.device, def.deviceType, { value: '', type: 'str' });
    const dialog = new NodeFieldReader('spotify-add-to-queue', def);
    const label = fieldLabelText('spotify-add-to-queue', 'label.items');

    runActionNode(
      RED,
      this,
      def.account,
      async (msg, send, ctx) => {
        const mode = dialog.choice<UnwritableMode>('unwritable', def.unwritable);
        const { refs, skipped } = writableRefs(bestMatch(await evaluate(RED, this, msg, itemsProp)), label, ['track', 'episode'], {
          mode,
          localWhy: expectText('localQueue'),
          expected: expectText('trackOrEpisode'),
          max: MAX_ITEMS,
        });
        const client = ctx.account.client;
        const device = await resolveDevice(client, await evaluate(RED, this, msg, deviceProp), 'device', ctx.counter);
        const uris = refs.map((r) => r.uri);
        // One at a time and in order; a failure reports which were queued (msg.spotify.applied).
        await runBatches(
          uris,
          1,
          ([uri]) => client.call(OPERATIONS.addToQueue, { query: { uri, device_id: device?.id } }, ctx.counter),
          'items',
        );
        msg.payload = { queued: uris, skipped, ...(device ? { device_id: device.id } : {}) };
        msg.spotify = {
          requests: ctx.counter.requests,
          count: uris.length,
          ...(device ? { device: { id: device.id, name: device.name ?? null } } : {}),
        };
        send(msg);
        return withSkipped(ownText('status.queued', { count: uris.length }), skipped);
      },
      // Two messages at once would interleave their items in the queue.
      { sequential: true },
    );
  }
  registerWithFields(RED, 'spotify-add-to-queue', AddToQueueNode);
};

/**
 * A search's answer ({tracks: […]}) as its best match: the first result of its first list that has one (none: an
 * empty list, which the node refuses as nothing to queue). A list of results (msg.payload.tracks) queues them all.
 */
function bestMatch(items: unknown): unknown {
  const lists = searchAnswerLists(items);
  if (!lists) return items;
  const first = lists.find((l) => l.list.length > 0)?.list[0];
  return first === undefined ? [] : [first];
}
