// The profile nodes: my profile (GET /me), followed artists (cursor paging across pages) and top items
// (time_range and type from the editor or the message, offset paging).
import assert from 'node:assert/strict';
import { createEnv, helper, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { caught, ok, outputs, runner } from '../helpers/node-runner';

const SCOPES = ['user-read-private', 'user-follow-read', 'user-top-read'];

interface Artist {
  id: string;
  uri: string;
  name: string;
}

describe('profile nodes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  afterEach(async function () {
    await env?.close();
  });

  function flow(e: TestEnv, props: { artists?: Record<string, unknown>; top?: Record<string, unknown> } = {}): FlowNode[] {
    return [
      e.accountNode(),
      { id: 'me', type: 'spotify-my-profile', account: ACCOUNT_ID, wires: [['out']] },
      { id: 'artists', type: 'spotify-followed-artists', account: ACCOUNT_ID, ...props.artists, wires: [['out']] },
      { id: 'top', type: 'spotify-top-items', account: ACCOUNT_ID, ...props.top, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
  }
  async function run(node: string, msg: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return ok(await call(node, msg));
  }
  async function failure(node: string, msg: Record<string, unknown> = {}): Promise<string> {
    return caught(await call(node, msg)).error.message;
  }
  const topRequests = () => env.sim.requests.filter((r) => r.kind === 'api' && r.path.startsWith('/v1/me/top/'));

  it('my profile: the user with account_id, without the fields Spotify removed', async function () {
    env = await createEnv();
    await env.load(flow(env));
    await env.authorize({ scopes: SCOPES });
    env.sim.clearRequests();
    const msg = await run('me', { topic: 'kept' });
    const p = msg.payload as Record<string, unknown>;
    assert.equal(p.id, env.sim.state.me.id);
    assert.equal(p.display_name, env.sim.state.me.display_name);
    assert.equal(typeof p.account_id, 'string');
    assert.ok(Array.isArray(p.images));
    for (const removed of ['country', 'email', 'product', 'followers', 'explicit_content'])
      assert.ok(!(removed in p), `${removed} is absent`);
    assert.equal(msg.topic, 'kept');
    assert.deepEqual(msg.spotify, { requests: 1 });
  });

  it("followed artists: all 120 across cursor pages (3 requests), in Spotify's order", async function () {
    env = await createEnv({ data: { followedArtists: 120 } });
    await env.load(flow(env));
    await env.authorize({ scopes: SCOPES });
    env.sim.clearRequests();
    const msg = await run('artists');
    const artists = msg.payload as Artist[];
    assert.deepEqual(
      artists.map((a) => a.id),
      [...env.sim.state.library.artists].sort(),
    );
    assert.ok(artists.every((a) => a.uri === `spotify:artist:${a.id}` && typeof a.name === 'string'));
    assert.deepEqual(msg.spotify, { total: 120, requests: 3, count: 120 });
    const pages = env.sim.requests.filter((r) => r.path === '/v1/me/following');
    assert.equal(pages.length, 3);
    assert.ok(pages.every((r) => r.query.type === 'artist'));
    // Each page continues after the last artist of the one before.
    assert.equal(pages[0].query.after, undefined);
    assert.equal(pages[1].query.after, artists[49].id);
    assert.equal(pages[2].query.after, artists[99].id);
  });

  it('followed artists: at most N stops early; one message per artist', async function () {
    env = await createEnv({ data: { followedArtists: 120 } });
    await env.load(flow(env, { artists: { limit: 'limit', limitType: 'msg', output: 'split' } }));
    await env.authorize({ scopes: SCOPES });
    const sorted = [...env.sim.state.library.artists].sort();

    env.sim.clearRequests();
    const got = call.many('artists', { limit: 60 }, 60);
    const msgs = outputs(await got);
    assert.deepEqual(
      msgs.map((m) => (m.payload as Artist).id),
      sorted.slice(0, 60),
    );
    assert.equal((msgs[59].parts as { count: number }).count, 60);
    assert.equal(env.sim.count({ path: '/v1/me/following' }), 2);

    env.sim.clearRequests();
    const few = call.many('artists', { limit: 3 }, 3);
    assert.deepEqual(
      outputs(await few).map((m) => (m.payload as Artist).id),
      sorted.slice(0, 3),
    );
    assert.equal(env.sim.count({ path: '/v1/me/following' }), 1);
    assert.equal(env.sim.requests.find((r) => r.path === '/v1/me/following')?.query.limit, '3');

    const err = await failure('artists', { limit: 0 });
    assert.match(err, /At most: expected a whole number/);
  });

  it('top items: the configured type and time_range reach Spotify', async function () {
    env = await createEnv();
    await env.load(flow(env, { top: { itemType: 'artists', timeRange: 'short_term' } }));
    await env.authorize({ scopes: SCOPES });
    env.sim.clearRequests();
    const msg = await run('top', { time_range: 'long_term' });
    const items = msg.payload as Artist[];
    assert.equal(items.length, 50);
    assert.ok(items.every((a) => a.uri.startsWith('spotify:artist:')));
    const reqs = topRequests();
    assert.equal(reqs.length, 1);
    assert.equal(reqs[0].path, '/v1/me/top/artists');
    assert.equal(reqs[0].query.time_range, 'short_term', 'a fixed setting is not overridden by the message');
    assert.deepEqual(msg.spotify, { type: 'artists', time_range: 'short_term', total: 50, requests: 1, count: 50 });
  });

  it('top items: Repeat every Monday sends nothing at deploy and still answers messages; a wrong At is an error naming it', async function () {
    env = await createEnv();
    await env.load([
      ...flow(env, { top: { repeat: 'mon', at: '08:00', limit: '5', limitType: 'num' } }),
      { id: 'bad-at', type: 'spotify-top-items', account: ACCOUNT_ID, repeat: 'daily', at: '25:00', wires: [[]] },
    ]);
    await env.authorize({ scopes: SCOPES });
    const logged = (helper.log() as unknown as { args: [{ level: number; id: string; msg: unknown }][] }).args
      .map(([e]) => e)
      .filter((e) => e && e.level === 20);
    assert.deepEqual(
      logged.map((e) => [e.id, e.msg]),
      [['bad-at', 'At: expected a time of day as HH:MM, from 00:00 to 23:59, got "25:00"']],
    );
    assert.equal(topRequests().length, 0, 'nothing sent at deploy: the first Monday 08:00 is ahead');
    assert.equal(((await run('top')).payload as Artist[]).length, 5);
  });

  it('top items: type and time_range from the message; bad values name the property', async function () {
    env = await createEnv();
    await env.load(flow(env, { top: { itemType: 'msg', timeRange: 'msg', limit: '30', limitType: 'num' } }));
    await env.authorize({ scopes: SCOPES });
    env.sim.clearRequests();
    const long = await run('top', { type: 'tracks', time_range: 'long_term' });
    const short = await run('top', { type: 'tracks', time_range: 'short_term' });
    const longIds = (long.payload as Artist[]).map((t) => t.id);
    assert.equal(longIds.length, 30);
    assert.ok((long.payload as Artist[]).every((t) => t.uri.startsWith('spotify:track:')));
    assert.notDeepEqual(
      (short.payload as Artist[]).map((t) => t.id),
      longIds,
      'the ranges differ',
    );
    assert.deepEqual(
      topRequests().map((r) => [r.path, r.query.time_range, r.query.limit]),
      [
        ['/v1/me/top/tracks', 'long_term', '30'],
        ['/v1/me/top/tracks', 'short_term', '30'],
      ],
    );
    // Defaults when the message says nothing: tracks, medium_term.
    env.sim.clearRequests();
    await run('top', {});
    assert.deepEqual(
      topRequests().map((r) => [r.path, r.query.time_range]),
      [['/v1/me/top/tracks', 'medium_term']],
    );

    assert.match(
      await failure('top', { type: 'tracks', time_range: 'forever' }),
      /time_range: expected one of short_term, medium_term, long_term/,
    );
    assert.match(await failure('top', { type: 'albums' }), /type: expected one of tracks, artists/);
  });

  it('top items: one message per item; at most 70 when Spotify has 50 reads one page', async function () {
    env = await createEnv();
    await env.load(flow(env, { top: { itemType: 'tracks', timeRange: 'long_term', output: 'split', limit: '70', limitType: 'num' } }));
    await env.authorize({ scopes: SCOPES });
    env.sim.clearRequests();
    // The simulator, like Spotify, keeps 50 top items: all of them arrive, in one page.
    const got = call.many('top', {}, 50);
    const msgs = outputs(await got);
    assert.equal(new Set(msgs.map((m) => (m.payload as Artist).id)).size, 50);
    assert.equal((msgs[49].parts as { count: number }).count, 50);
    assert.deepEqual(
      topRequests().map((r) => r.query.time_range),
      ['long_term'],
    );
  });

  it('names a missing scope before any request', async function () {
    env = await createEnv();
    await env.load(flow(env));
    await env.authorize({ scopes: ['playlist-read-private'] });
    env.sim.clearRequests();
    assert.match(await failure('artists'), /needs the scope user-follow-read/);
    assert.match(await failure('top'), /needs the scope user-top-read/);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
    // The account node always asks for user-read-private (it shows whose account it is): the profile works.
    assert.equal(((await run('me')).payload as { id: string }).id, env.sim.state.me.id);
  });
});
