// get playlists: every page with the fewest requests, at most N, one message per playlist.
import assert from 'node:assert/strict';
import { createEnv, ACCOUNT_ID, type TestEnv } from '../support/env';
import { caught, ok, outputs, runner } from '../helpers/node-runner';

describe('get playlists node', function () {
  let env: TestEnv;
  const call = runner(() => env);
  afterEach(async function () {
    await env.close();
  });

  const flow = (e: TestEnv, props: Record<string, unknown> = {}) => [
    e.accountNode(),
    { id: 'get', type: 'spotify-get-playlists', account: ACCOUNT_ID, ...props, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];

  it('returns every playlist, reading 50 per page, and keeps the incoming message', async function () {
    env = await createEnv({ data: { playlistSizes: Array.from({ length: 120 }, (_, i) => i % 3) } });
    await env.load(flow(env));
    await env.authorize();
    env.sim.clearRequests();
    const expected = env.sim.state.library.playlists.filter((p) => p !== null);
    const total = env.sim.state.library.playlists.length;
    const msg = ok(await call('get', { payload: 'go', topic: 'keep me' }));
    const list = msg.payload as { id: string; name: string }[];
    assert.deepEqual(
      list.map((p) => p.id),
      expected,
      'all playlists, in Spotify order, nulls left out',
    );
    assert.equal(msg.topic, 'keep me');
    const spotify = msg.spotify as { total: number; requests: number; count: number };
    assert.equal(spotify.total, total);
    assert.equal(spotify.count, expected.length);
    assert.equal(env.sim.count({ path: '/v1/me/playlists' }), Math.ceil(total / 50), 'the minimum number of pages');
    assert.equal(spotify.requests, Math.ceil(total / 50));
  });

  it('stops at "at most N" (from msg) with the fewest requests', async function () {
    env = await createEnv({ data: { playlistSizes: Array.from({ length: 120 }, () => 1) } });
    await env.load(flow(env, { limit: 'max', limitType: 'msg' }));
    await env.authorize();
    env.sim.clearRequests();
    const msg = ok(await call('get', { max: 60 }));
    assert.ok((msg.payload as unknown[]).length <= 60 && (msg.payload as unknown[]).length >= 59);
    assert.equal(env.sim.count({ path: '/v1/me/playlists' }), 2);
  });

  it('sends one message per playlist with msg.parts for a join node', async function () {
    env = await createEnv({ data: { playlistSizes: [1, 2, 3, 4, 5] } });
    await env.load(flow(env, { output: 'split' }));
    await env.authorize();
    const count = env.sim.state.library.playlists.filter((p) => p !== null).length;
    const all = call.many('get', {}, count);
    const msgs = outputs(await all);
    msgs.forEach((m, i) => {
      const parts = m.parts as { index: number; count?: number; id: string };
      assert.equal(parts.index, i);
      assert.equal(parts.id, (msgs[0].parts as { id: string }).id);
      assert.equal(typeof (m.payload as { id: string }).id, 'string');
    });
    assert.equal((msgs[count - 1].parts as { count: number }).count, count, 'the last message carries the count');
  });

  it('rejects a bad limit with an error naming the field', async function () {
    env = await createEnv();
    await env.load(flow(env, { limit: 'max', limitType: 'msg' }));
    await env.authorize();
    const err = call('get', { max: 'lots' });
    assert.match(caught(await err).error.message, /^InputError: At most: expected a whole number from 1 to 100000, got "lots"/);
  });

  it('names a missing scope before calling Spotify', async function () {
    env = await createEnv();
    await env.load(flow(env));
    await env.authorize({ scopes: ['user-read-private'] });
    env.sim.clearRequests();
    const err = call('get', {});
    assert.match(caught(await err).error.message, /needs the scope playlist-read-private/);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
  });
});
