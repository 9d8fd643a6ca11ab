// Every message ends once, on the success path too. Node-RED copies a message for each wire after the first
// inside send(), once the first wire already has it; a message it cannot copy (a property nested 100,000 deep, a
// getter that throws) used to reach the first wire only (without msg.req/msg.res, so an `http in` caller behind
// it was never answered) and then fail as well. Now it reaches every wire once, the uncopyable property replaced
// by a note, and ends with done() (a Complete node sees it), never in a Catch node.
import assert from 'node:assert/strict';
import type { NodeMessage } from 'node-red';
import { createEnv, ACCOUNT_ID, type TestEnv } from '../support/env';
import { deep, withThrowingGetter } from '../helpers/uncopyable';

type Seen = Record<'out' | 'out2' | 'completed' | 'caught', (NodeMessage & Record<string, unknown>)[]>;

describe('every message ends once, also when Node-RED cannot copy it for a second wire', function () {
  let env: TestEnv;
  let seen: Seen;

  before(async function () {
    env = await createEnv({ data: { playlistSizes: [1, 0, 2] } });
    await env.load([
      env.accountNode(),
      { id: 'me', type: 'spotify-my-profile', account: ACCOUNT_ID, wires: [['out', 'out2']] },
      { id: 'lists', type: 'spotify-get-playlists', account: ACCOUNT_ID, output: 'split', wires: [['out', 'out2']] },
      { id: 'out', type: 'helper' },
      { id: 'out2', type: 'helper' },
      { id: 'complete', type: 'complete', scope: ['me', 'lists'], uncaught: false, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize({ scopes: ['user-read-private', 'playlist-read-private'] });
    for (const id of ['out', 'out2', 'completed', 'caught'] as const) env.node(id).on('input', (m: NodeMessage) => seen[id].push(m));
  });
  beforeEach(function () {
    seen = { out: [], out2: [], completed: [], caught: [] };
  });
  after(async function () {
    await env?.close();
  });

  /** Sends `msg` to node `id` and resolves once it has ended (Complete or Catch). The outputs were delivered by
   *  then: Node-RED hands them on before the Complete node's own output. */
  function end(id: string, msg: Record<string, unknown>): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the message to ${id} never ended: ${JSON.stringify(counts())}`)), 20_000);
      const finished = (): void => {
        clearTimeout(timer);
        env.node('completed').off('input', finished);
        env.node('caught').off('input', finished);
        // One more turn: a second, wrong ending would arrive now.
        setImmediate(resolve);
      };
      env.node('completed').on('input', finished);
      env.node('caught').on('input', finished);
      env.node(id).receive(msg);
    });
  }
  const counts = (): Record<string, number> => Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.length]));

  for (const [what, make, reason] of [
    ['a property nested 100,000 deep', () => ({ topic: 't', extra: deep(100_000) }), /Maximum call stack size exceeded/],
    ['a property whose getter throws', () => withThrowingGetter({ topic: 't' }, 'extra'), /boom/],
  ] as const) {
    it(`my profile, two wires, ${what}: both wires get the profile once, the property a note; done(), no Catch`, async function () {
      await end('me', make());
      assert.deepEqual(counts(), { out: 1, out2: 1, completed: 1, caught: 0 });
      for (const m of [seen.out[0], seen.out2[0]]) {
        assert.equal((m.payload as { id: string }).id, env.sim.state.me.id);
        assert.equal(m.topic, 't');
        assert.match(String(m.extra), /^\[not copied: /);
        assert.match(String(m.extra), reason);
      }
    });
  }

  it('an http in request (msg.req, msg.res) with an uncopyable property: both wires get req and res as they were', async function () {
    const req = { url: '/ask' };
    const res = { answered: false };
    await end('me', { req, res, extra: deep(100_000) });
    assert.deepEqual(counts(), { out: 1, out2: 1, completed: 1, caught: 0 });
    for (const m of [seen.out[0], seen.out2[0]]) {
      assert.equal(m.req, req);
      assert.equal(m.res, res);
    }
  });

  it('a list in split mode: every item reaches both wires once, the property a note; done(), no Catch', async function () {
    await end('lists', { extra: deep(100_000) });
    const total = (seen.out.at(-1)?.parts as { count?: number } | undefined)?.count ?? 0;
    assert.ok(total >= 3, `${total} playlists`);
    assert.deepEqual(counts(), { out: total, out2: total, completed: 1, caught: 0 });
    for (const m of [...seen.out, ...seen.out2]) assert.match(String(m.extra), /^\[not copied: Maximum call stack size exceeded\]/);
    assert.deepEqual(
      seen.out.map((m) => (m.parts as { index: number }).index),
      [...Array(total).keys()],
    );
  });

  it('a usual message is sent as it is', async function () {
    await end('me', { topic: 'plain', extra: { a: [1, 2] } });
    assert.deepEqual(counts(), { out: 1, out2: 1, completed: 1, caught: 0 });
    assert.deepEqual(seen.out2[0].extra, { a: [1, 2] });
  });
});
