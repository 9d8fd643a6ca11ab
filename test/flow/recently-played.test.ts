// recently played: limit, after/before, and "only new since the last run" across restarts.
import assert from 'node:assert/strict';
import { createEnv, helper, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { caught, ok, runner } from '../helpers/node-runner';

interface Play {
  played_at: string;
  track: { uri: string };
}

describe('recently played node', function () {
  let env: TestEnv;
  const call = runner(() => env);
  const flow = (e: TestEnv, props: Record<string, unknown> = {}): FlowNode[] => [
    e.accountNode(),
    { id: 'rp', type: 'spotify-recently-played', account: ACCOUNT_ID, ...props, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
  async function run(msg: Record<string, unknown> = {}): Promise<{ payload: Play[]; spotify: Record<string, unknown> }> {
    return ok(await call('rp', msg)) as unknown as { payload: Play[]; spotify: Record<string, unknown> };
  }
  afterEach(async function () {
    await env.close();
  });

  it('returns the latest plays, newest first, up to the limit', async function () {
    env = await createEnv();
    await env.load(flow(env, { limit: '10', limitType: 'num' }));
    await env.authorize();
    const msg = await run();
    const expected = [...env.sim.state.plays]
      .reverse()
      .slice(0, 10)
      .map((p) => p.uri);
    assert.deepEqual(
      msg.payload.map((p) => p.track.uri),
      expected,
    );
  });

  it('takes after or before as ms or ISO dates, and refuses both at once', async function () {
    env = await createEnv();
    await env.load(flow(env, { limit: '50', limitType: 'num', after: 'after', afterType: 'msg', before: 'before', beforeType: 'msg' }));
    await env.authorize();
    const plays = env.sim.state.plays;
    const pivot = plays[plays.length - 5];
    const msg = await run({ after: pivot.played_at });
    assert.equal(msg.payload.length, 4);
    const msg2 = await run({ before: pivot.played_at_ms });
    assert.ok(msg2.payload.every((p) => Date.parse(p.played_at) < pivot.played_at_ms));
    const err = call('rp', { after: 1, before: 2 });
    assert.match(caught(await err).error.message, /after: expected either after or before/);
  });

  it('"new only" returns each play once, oldest first, and keeps its cursor across a restart', async function () {
    env = await createEnv();
    const nodes = flow(env, { limit: '50', limitType: 'num', newOnly: true });
    await env.load(nodes);
    await env.authorize();
    const first = await run();
    assert.ok(first.payload.length > 0, 'the first run returns the latest plays');
    const none = await run();
    assert.equal(none.payload.length, 0, 'nothing new, nothing out');

    const [a, b] = [env.sim.state.catalog.track(7), env.sim.state.catalog.track(8)];
    env.sim.play(a.uri);
    await new Promise((r) => setTimeout(r, 5));
    env.sim.play(b.uri);
    const fresh = await run();
    assert.deepEqual(
      fresh.payload.map((p) => p.track.uri),
      [a.uri, b.uri],
    );

    await helper.unload();
    await env.load(nodes);
    assert.equal((await run()).payload.length, 0, 'no repeats after a restart');
    env.sim.play(a.uri);
    assert.deepEqual(
      (await run()).payload.map((p) => p.track.uri),
      [a.uri],
      'and no misses',
    );
  });
});
