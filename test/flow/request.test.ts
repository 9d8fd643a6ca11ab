// Spotify request, the escape hatch: any method and path with the account's authorization, paging followed
// on request (offset, cursor, wrapped), removed endpoints explained, and never a request to another host.
import assert from 'node:assert/strict';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { failed, ok, runner } from '../helpers/node-runner';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';

describe('Spotify request node', function () {
  let env: TestEnv;
  const call = runner(() => env);
  const node = (id: string, props: Record<string, unknown>): FlowNode => ({
    id,
    type: 'spotify-request',
    account: ACCOUNT_ID,
    ...props,
    wires: [['out']],
  });

  before(async function () {
    env = await createEnv();
    await env.load([
      env.accountNode(),
      // Everything from the message: how a flow would use it as a generic client.
      node('req', { method: 'msg', path: 'path', pathType: 'msg', query: 'query', queryType: 'msg', body: 'payload', bodyType: 'msg' }),
      node('follow', {
        method: 'GET',
        path: 'path',
        pathType: 'msg',
        query: 'query',
        queryType: 'msg',
        follow: true,
        limit: 'limit',
        limitType: 'msg',
      }),
      node('fixed', {
        method: 'GET',
        path: '/me/top/artists',
        pathType: 'str',
        query: '{"time_range":"short_term","limit":5}',
        queryType: 'json',
      }),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  });
  after(async function () {
    await env.close();
  });

  it("GET with the account's authorization; path relative, without a slash, or a URL under the API base", async function () {
    const me = ok(await call('req', { method: 'get', path: '/me', topic: 'kept' }));
    assert.equal((me.payload as { id: string }).id, env.sim.state.me.id);
    assert.equal(me.spotify.status, 200);
    assert.equal(me.topic, 'kept');
    const noSlash = ok(await call('req', { method: 'GET', path: 'me' }));
    assert.equal((noSlash.payload as { id: string }).id, env.sim.state.me.id);
    const absolute = ok(await call('req', { method: 'GET', path: `${env.sim.apiUrl}/me/top/tracks?limit=3` }));
    assert.equal((absolute.payload as { items: unknown[] }).items.length, 3);
    env.sim.clearRequests();
    const fixed = ok(await call('fixed', {}));
    assert.equal((fixed.payload as { items: unknown[] }).items.length, 5);
    assert.deepEqual(env.sim.requests[0].query, { time_range: 'short_term', limit: '5' });
  });

  it('POST and PUT with a JSON body change the account', async function () {
    const created = ok(await call('req', { method: 'POST', path: '/me/playlists', payload: { name: 'Made by request', public: false } }));
    assert.equal(created.spotify.status, 201);
    const id = (created.payload as { id: string }).id;
    assert.equal(env.sim.state.playlist(id)?.name, 'Made by request');
    const renamed = ok(await call('req', { method: 'PUT', path: `/playlists/${id}`, payload: { name: 'Renamed' } }));
    assert.equal(renamed.payload, null, 'no content');
    assert.equal(env.sim.state.playlist(id)?.name, 'Renamed');
  });

  it("follows offset pages with the fewest requests: the endpoint's page maximum when no limit is given", async function () {
    env.sim.clearRequests();
    const all = ok(await call('follow', { path: '/me/top/tracks' }));
    const page = all.payload as { items: unknown[]; next: unknown; total: number };
    assert.equal(page.items.length, page.total);
    assert.equal(page.next, null);
    assert.equal(env.sim.count({ path: '/v1/me/top/tracks' }), Math.ceil(page.total / 50));
    env.sim.clearRequests();
    const small = ok(await call('follow', { path: '/me/top/tracks', query: { limit: 20 } }));
    assert.equal((small.payload as { items: unknown[] }).items.length, page.total);
    assert.equal(env.sim.count({ path: '/v1/me/top/tracks' }), Math.ceil(page.total / 20), 'the given limit is kept');
    assert.equal(small.spotify.pages, Math.ceil(page.total / 20));
    env.sim.clearRequests();
    const capped = ok(await call('follow', { path: '/me/top/tracks', query: { limit: 10 }, limit: 25 }));
    assert.equal((capped.payload as { items: unknown[] }).items.length, 25);
    assert.equal(env.sim.count({ path: '/v1/me/top/tracks' }), 3);
  });

  it('follows cursor pages, also when wrapped ({artists: {…}})', async function () {
    const plays = ok(await call('follow', { path: '/me/player/recently-played', query: { limit: 25 } }));
    const history = (plays.payload as { items: { played_at: string }[] }).items;
    assert.equal(history.length, env.sim.state.plays.length);
    assert.equal(history[0].played_at, env.sim.state.plays[env.sim.state.plays.length - 1].played_at, 'newest first, as Spotify sends');
    assert.ok((plays.spotify.pages as number) > 1);
    env.sim.clearRequests();
    const followed = ok(await call('follow', { path: '/me/following', query: { type: 'artist', limit: 10 } }));
    const artists = (followed.payload as { artists: { items: { id: string }[]; next: unknown } }).artists;
    assert.deepEqual(
      artists.items.map((a) => a.id),
      [...env.sim.state.library.artists].sort(),
    );
    assert.equal(artists.next, null);
    assert.equal(env.sim.count({ path: '/v1/me/following' }), Math.ceil(env.sim.state.library.artists.length / 10));
  });

  it("a removed endpoint says so; Spotify's other errors are explained too", async function () {
    const c = env.sim.state.catalog;
    const removed = failed(await call('req', { method: 'GET', path: '/tracks', query: { ids: [c.track(1).id, c.track(2).id] } }));
    assert.match(removed.message, /Spotify removed this endpoint for development-mode apps/);
    assert.equal(removed.spotify.status, 403);
    const top = failed(await call('req', { method: 'GET', path: `/artists/${c.artist(1).id}/top-tracks` }));
    assert.match(top.message, /removed this endpoint/);
    const notFound = failed(await call('req', { method: 'GET', path: '/albums/0000000000000000000000' }));
    assert.match(notFound.message, /Not found/);
  });

  it('refuses other hosts and bad input, naming the field, without sending anything', async function () {
    env.sim.clearRequests();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ method: 'GET', path: 'https://evil.example/v1/me' }, /path: expected .*only to the configured Spotify API/],
      [{ method: 'GET', path: '//evil.example/v1/me' }, /path: expected/],
      [{ method: 'GET', path: '/../../api/token' }, /path: expected/],
      [{ method: 'GET', path: `${env.sim.url}/api/token` }, /path: expected/],
      [{ method: 'GET', path: 'spotify:track:4iV5W9uYEdYUVa79Axb7Rh' }, /path: expected/],
      [{ method: 'GET', path: '' }, /path: expected/],
      [{ method: 'PATCH', path: '/me' }, /method: expected one of GET, POST, PUT, DELETE/],
      [{ path: '/me' }, /method: expected/],
      [{ method: 'GET', path: '/me', query: 'limit=5' }, /query: expected an object/],
      [{ method: 'GET', path: '/me', query: { ids: { nested: true } } }, /query\.ids: expected/],
      [{ method: 'GET', path: '/me', payload: { a: 1 } }, /body: expected no body/],
      [{ method: 'POST', path: '/me/playlists', payload: 'text' }, /body: expected a JSON object/],
    ];
    for (const [msg, expected] of cases) assert.match(failed(await call('req', msg)).message, expected, JSON.stringify(msg));
    assert.match(failed(await call('follow', { path: '/me/top/tracks', limit: 0 })).message, /At most: expected/);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
    assert.equal(env.sim.count({ kind: 'accounts' }), 0);
  });
});
