// Authorize Access, the callback, the paste fallback and Clear Token, through the pack's admin routes against
// the simulator's accounts service — the path a user takes in the editor.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEnv, helper, ACCOUNT_ID, REDIRECT_URI, CLIENT_SECRET, type TestEnv } from '../support/env';
import { caught, ok, runner } from '../helpers/node-runner';

describe('authorization through the admin routes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  beforeEach(async function () {
    env = await createEnv();
  });
  afterEach(async function () {
    await env.close();
  });

  function flow() {
    return [
      env.accountNode(),
      { id: 'get', type: 'spotify-get-playlists', account: ACCOUNT_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
  }

  it('authorizes with a client secret and the nodes work at once, with no deploy', async function () {
    await env.load(flow());
    const before = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
    assert.equal(before.body.state, 'not_authorized');

    const status = await env.authorize();
    assert.equal(status.state, 'authorized');
    assert.equal(status.displayName, 'Demo Listener');

    const msg = ok(await call('get', { payload: 'go' }));
    assert.ok(Array.isArray(msg.payload) && msg.payload.length > 0, 'playlists arrive');
  });

  it('authorizes a PKCE-only app (no secret): client_id in the body, verifier checked', async function () {
    await env.load([env.accountNode({ clientId: 'sim-public-client' })], { secret: null });
    const status = await env.authorize({ secret: null });
    assert.equal(status.state, 'authorized');
    const tokenCalls = env.sim.requests.filter((r) => r.path === '/api/token');
    assert.equal(tokenCalls.length, 1);
    assert.equal(tokenCalls[0].status, 200);
  });

  it('uses PKCE S256 and a fresh random state on every start', async function () {
    await env.load(flow());
    const urls = await Promise.all(
      [1, 2].map(() =>
        helper
          .request()
          .post('/tunewire/authorize')
          .send({
            accountId: ACCOUNT_ID,
            clientId: 'sim-client-id',
            storeKey: env.storeKey,
            scopes: ['playlist-read-private'],
            redirectUri: REDIRECT_URI,
          }),
      ),
    );
    const [a, b] = urls.map((r) => new URL(String(r.body.authorizeUrl)));
    assert.equal(a.searchParams.get('code_challenge_method'), 'S256');
    assert.match(a.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok((a.searchParams.get('state') ?? '').length >= 43, 'state carries at least 256 bits');
    assert.notEqual(a.searchParams.get('state'), b.searchParams.get('state'));
    assert.equal(a.searchParams.get('scope'), 'user-read-private playlist-read-private', 'user-read-private is always asked for');
    assert.equal(a.searchParams.get('redirect_uri'), REDIRECT_URI);
    assert.ok(!String(a).includes(CLIENT_SECRET), 'the secret is never in a URL');
  });

  it('declined consent shows a readable error and leaves the account unauthorized', async function () {
    await env.load(flow());
    const start = await helper
      .request()
      .post('/tunewire/authorize')
      .send({
        accountId: ACCOUNT_ID,
        clientId: 'sim-client-id',
        storeKey: env.storeKey,
        scopes: ['playlist-read-private'],
        redirectUri: REDIRECT_URI,
      });
    const location = new URL(await env.sim.consent(String(start.body.authorizeUrl), 'deny'));
    assert.equal(location.searchParams.get('error'), 'access_denied');
    const res = await helper.request().post('/tunewire/authorize/complete').send({ url: location.toString() });
    assert.equal(res.status, 400);
    assert.match(String(res.body.error), /declined/);
    assert.doesNotMatch(String(res.body.error), /\n\s+at /, 'no stack trace');
    const status = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
    assert.equal(status.body.state, 'not_authorized');
  });

  it('a wrong client secret is reported as such, without the secret', async function () {
    await env.load(flow());
    const start = await helper
      .request()
      .post('/tunewire/authorize')
      .send({
        accountId: ACCOUNT_ID,
        clientId: 'sim-client-id',
        clientSecret: 'not-the-secret',
        storeKey: env.storeKey,
        scopes: ['playlist-read-private'],
        redirectUri: REDIRECT_URI,
      });
    const location = await env.sim.consent(String(start.body.authorizeUrl), 'approve');
    const res = await helper.request().post('/tunewire/authorize/complete').send({ url: location });
    assert.equal(res.status, 400);
    assert.match(String(res.body.error), /Client ID and Client Secret/);
    assert.ok(!String(res.body.error).includes('not-the-secret'));
  });

  it('a redirect URI the app did not register is refused by Spotify before consent', async function () {
    await env.load(flow());
    const start = await helper
      .request()
      .post('/tunewire/authorize')
      .send({
        accountId: ACCOUNT_ID,
        clientId: 'sim-client-id',
        storeKey: env.storeKey,
        scopes: ['playlist-read-private'],
        redirectUri: 'http://127.0.0.1:1880/other/callback',
      });
    const page = await fetch(String(start.body.authorizeUrl));
    assert.equal(page.status, 400);
    assert.match(await page.text(), /Invalid redirect URI/);
  });

  it('the callback refuses unknown and reused state, with a static no-store page', async function () {
    await env.load(flow());
    const unknown = await helper.request().get('/tunewire/callback?code=x&state=made-up');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers['cache-control'], 'no-store');
    assert.ok(!unknown.text.includes('made-up'), 'nothing from the request is echoed');

    const start = await helper
      .request()
      .post('/tunewire/authorize')
      .send({
        accountId: ACCOUNT_ID,
        clientId: 'sim-client-id',
        storeKey: env.storeKey,
        scopes: ['playlist-read-private'],
        redirectUri: REDIRECT_URI,
      });
    const back = new URL(await env.sim.consent(String(start.body.authorizeUrl), 'approve'));
    const first = await helper.request().get(`/tunewire/callback${back.search}`);
    assert.equal(first.status, 200);
    const again = await helper.request().get(`/tunewire/callback${back.search}`);
    assert.equal(again.status, 400, 'a state works once');
  });

  it('the paste-the-address fallback completes authorization', async function () {
    await env.load(flow());
    const start = await helper
      .request()
      .post('/tunewire/authorize')
      .send({
        accountId: ACCOUNT_ID,
        clientId: 'sim-client-id',
        storeKey: env.storeKey,
        scopes: ['playlist-read-private', 'user-read-private'],
        redirectUri: REDIRECT_URI,
      });
    const location = await env.sim.consent(String(start.body.authorizeUrl), 'approve');
    const res = await helper
      .request()
      .post('/tunewire/authorize/complete')
      .send({ url: `  ${location}  ` });
    assert.equal(res.status, 200);
    assert.equal(res.body.displayName, 'Demo Listener');
  });

  it('Clear Token forgets the authorization at once and for good', async function () {
    await env.load(flow());
    await env.authorize();
    const cleared = await helper.request().post('/tunewire/clear').send({ accountId: ACCOUNT_ID });
    assert.equal(cleared.body.state, 'not_authorized');

    const err = call('get', { payload: 'go' });
    assert.match(caught(await err).error.message, /Not authorized/);

    // A restart of the flows (same store on disk) does not bring it back.
    await helper.unload();
    await env.load(flow());
    const status = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
    assert.equal(status.body.state, 'not_authorized');
    const raw = fs
      .readdirSync(env.storeDir)
      .map((f) => fs.readFileSync(path.join(env.storeDir, f), 'utf8'))
      .join('');
    assert.ok(!raw.includes(ACCOUNT_ID), 'the entry is gone from the store');
  });

  it('refuses to start without a client id, naming the field', async function () {
    await env.load(flow());
    const res = await helper
      .request()
      .post('/tunewire/authorize')
      .send({ accountId: ACCOUNT_ID, storeKey: env.storeKey, scopes: [], redirectUri: REDIRECT_URI });
    assert.equal(res.status, 400);
    assert.match(String(res.body.error), /^clientId: expected/);
    const bad = await helper
      .request()
      .post('/tunewire/authorize')
      .send({ accountId: ACCOUNT_ID, clientId: 'x', storeKey: env.storeKey, scopes: ['not-a-scope'], redirectUri: REDIRECT_URI });
    assert.match(String(bad.body.error), /^scopes: expected/);
  });
});
