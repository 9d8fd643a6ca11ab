// Token expiry, refresh (single flight), rotation persisted, invalid_grant, and the shared 429 cooldown —
// seen from the nodes in a running Node-RED, measured at the simulator.
import assert from 'node:assert/strict';
import { createEnv, helper, messages, nextError, nextMessage, ACCOUNT_ID, type FlowNode, type TestEnv } from './support/env';

describe('tokens and rate limits', function () {
  let env: TestEnv;
  afterEach(async function () {
    await env.close();
  });

  function flow(extra: FlowNode[] = []): FlowNode[] {
    return [
      env.accountNode(),
      { id: 'get', type: 'spotify-get-playlists', account: ACCOUNT_ID, limit: '5', limitType: 'num', wires: [['out']] },
      { id: 'get2', type: 'spotify-get-playlists', account: ACCOUNT_ID, limit: '5', limitType: 'num', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      ...extra,
    ];
  }

  it('100 messages with an expired token cause exactly one token request', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.expireAccessTokens();
    env.sim.clearRequests();
    const all = messages(env.node('out'), 100, 20_000);
    for (let i = 0; i < 100; i++) env.node('get').receive({ payload: i });
    const out = await all;
    assert.equal(out.length, 100);
    assert.equal(env.sim.count({ path: '/api/token' }), 1, 'one refresh for all of them');
  });

  it('refreshes ahead of expiry, before Spotify would answer 401', async function () {
    env = await createEnv({ tokenLifetimeSeconds: 30 }); // inside the pack's 60 s refresh margin
    await env.load(flow());
    await env.authorize();
    env.sim.clearRequests();
    const out = nextMessage(env.node('out'));
    env.node('get').receive({});
    await out;
    assert.equal(env.sim.count({ path: '/api/token' }), 1);
    assert.equal(env.sim.requests.filter((r) => r.kind === 'api' && r.status === 401).length, 0, 'no request went out with a stale token');
  });

  it('persists a rotated refresh token the moment it arrives, so a restart keeps working', async function () {
    env = await createEnv({ rotateRefreshTokens: true });
    await env.load(flow());
    await env.authorize();
    env.sim.expireAccessTokens();
    let out = nextMessage(env.node('out'));
    env.node('get').receive({});
    await out;
    assert.equal(env.sim.count({ path: '/api/token' }), 2, 'code exchange + one refresh');

    // Restart the flows: only the rotated refresh token (the old one is now invalid) can refresh again.
    await helper.unload();
    await env.load(flow());
    env.sim.expireAccessTokens();
    out = nextMessage(env.node('out'));
    env.node('get').receive({});
    const msg = await out;
    assert.ok(Array.isArray(msg.payload));
    const refreshes = env.sim.requests.filter((r) => r.path === '/api/token');
    assert.equal(refreshes[refreshes.length - 1].status, 200);
  });

  it('keeps the old refresh token when Spotify does not rotate it', async function () {
    env = await createEnv({ rotateRefreshTokens: false });
    await env.load(flow());
    await env.authorize();
    for (let i = 0; i < 3; i++) {
      env.sim.expireAccessTokens();
      const out = nextMessage(env.node('out'));
      env.node('get').receive({});
      await out;
    }
    assert.equal(env.sim.requests.filter((r) => r.path === '/api/token' && r.status === 200).length, 4);
  });

  it('a rejected refresh token (invalid_grant) turns the nodes red with "authorize again", without retrying', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.expireRefreshTokens();
    env.sim.expireAccessTokens();
    const err = nextError(env.node('caught'));
    env.node('get').receive({});
    assert.match((await err).error.message, /authorize/i);
    const tokenCalls = env.sim.count({ path: '/api/token' });
    const err2 = nextError(env.node('caught'));
    env.node('get2').receive({});
    assert.match((await err2).error.message, /Authorize Access again/);
    assert.equal(env.sim.count({ path: '/api/token' }), tokenCalls, 'no second refresh attempt');
    const status = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
    assert.equal(status.body.state, 'authorize_again');
    const get2 = env.node('get2') as unknown as { status: { lastCall: { args: [{ text?: string; fill?: string }] } } };
    assert.equal(get2.status.lastCall.args[0].text, 'authorize again');
    assert.equal(get2.status.lastCall.args[0].fill, 'red');
  });

  it('a 429 starts one cooldown shared by every node of the app: nothing is sent before Retry-After', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.clearRequests();
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 1, times: 1 });
    const both = messages(env.node('out'), 2, 10_000);
    env.node('get').receive({});
    await new Promise((r) => setTimeout(r, 100));
    env.node('get2').receive({});
    await both;
    const api = env.sim.requests.filter((r) => r.kind === 'api');
    const limited = api.find((r) => r.status === 429);
    assert.ok(limited, 'the simulator answered 429 once');
    const after = api.filter((r) => r.at > limited.at);
    assert.ok(after.length >= 2, 'both nodes got their answer afterwards');
    for (const r of after) assert.ok(r.at - limited.at >= 950, `request ${r.path} waited out Retry-After (${r.at - limited.at} ms)`);
  });

  it('a Retry-After beyond the cap fails fast with the time to retry; QUOTA_EXCEEDED is told apart', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 3600, times: 1 });
    let err = nextError(env.node('caught'));
    const started = Date.now();
    env.node('get').receive({});
    const e1 = await err;
    assert.ok(Date.now() - started < 30_000, 'fails fast, not after the hour Spotify asked for');
    assert.match(e1.error.message, /retry after .*in 3600 s/);
    assert.equal((e1.spotify as { status: number }).status, 429);
    // The cooldown holds for the other node too, without sending anything.
    const before = env.sim.count({ kind: 'api' });
    err = nextError(env.node('caught'));
    env.node('get2').receive({});
    await err;
    assert.equal(env.sim.count({ kind: 'api' }), before, 'no request during the cooldown');
  });

  it('QUOTA_EXCEEDED says so', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 2, reason: 'QUOTA_EXCEEDED', times: 1 });
    const err = nextError(env.node('caught'));
    env.node('get').receive({});
    const e = await err;
    assert.match(e.error.message, /quota exceeded/i);
    assert.equal((e.spotify as { reason: string }).reason, 'QUOTA_EXCEEDED');
  });

  it('retries a safe request after 503 and a connection reset, then succeeds', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.addFault({ path: '/v1/me/playlists', status: 503, times: 1 });
    env.sim.addFault({ path: '/v1/me/playlists', reset: true, times: 1 });
    const out = nextMessage(env.node('out'));
    env.node('get').receive({});
    const msg = await out;
    assert.ok(Array.isArray(msg.payload));
    assert.equal((msg.spotify as { requests: number }).requests, 3);
  });
});
