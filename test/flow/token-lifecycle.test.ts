// Token expiry, refresh (single flight), rotation persisted, invalid_grant, and the shared 429 cooldown —
// seen from the nodes in a running Node-RED, measured at the simulator.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEnv, helper, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { caught, ok, outputs, runner } from '../helpers/node-runner';
import { clockIn } from '../support/zone-time';

/** Far from UTC, with a quarter-hour offset: a time shown in UTC cannot pass for local time here. */
const ZONE = 'Pacific/Chatham';

describe('tokens and rate limits', function () {
  let env: TestEnv;
  const call = runner(() => env);
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
    const out = outputs(
      await call.outputs(100, (to) => {
        for (let i = 0; i < 100; i++) to('get', { payload: i });
      }),
    );
    assert.equal(out.length, 100);
    assert.equal(env.sim.count({ path: '/api/token' }), 1, 'one refresh for all of them');
  });

  it('refreshes ahead of expiry, before Spotify would answer 401', async function () {
    env = await createEnv({ tokenLifetimeSeconds: 30 }); // inside the pack's 60 s refresh margin
    await env.load(flow());
    await env.authorize();
    env.sim.clearRequests();
    ok(await call('get', {}));
    assert.equal(env.sim.count({ path: '/api/token' }), 1);
    assert.equal(env.sim.requests.filter((r) => r.kind === 'api' && r.status === 401).length, 0, 'no request went out with a stale token');
  });

  it('persists a rotated refresh token the moment it arrives, so a restart keeps working', async function () {
    env = await createEnv({ rotateRefreshTokens: true });
    await env.load(flow());
    await env.authorize();
    env.sim.expireAccessTokens();
    ok(await call('get', {}));
    assert.equal(env.sim.count({ path: '/api/token' }), 2, 'code exchange + one refresh');

    // Restart the flows: only the rotated refresh token (the old one is now invalid) can refresh again.
    await helper.unload();
    await env.load(flow());
    env.sim.expireAccessTokens();
    const msg = ok(await call('get', {}));
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
      ok(await call('get', {}));
    }
    assert.equal(env.sim.requests.filter((r) => r.path === '/api/token' && r.status === 200).length, 4);
  });

  it('a rejected refresh token (invalid_grant) turns the nodes red with "authorize again", without retrying', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.expireRefreshTokens();
    env.sim.expireAccessTokens();
    const err = call('get', {});
    assert.match(caught(await err).error.message, /authorize/i);
    const tokenCalls = env.sim.count({ path: '/api/token' });
    const err2 = call('get2', {});
    assert.match(caught(await err2).error.message, /Authorize Access again/);
    assert.equal(env.sim.count({ path: '/api/token' }), tokenCalls, 'no second refresh attempt');
    const status = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
    assert.equal(status.body.state, 'authorize_again');
    const get2 = env.node('get2') as unknown as { status: { lastCall: { args: [{ text?: string; fill?: string }] } } };
    assert.equal(get2.status.lastCall.args[0].text, 'authorize again');
    assert.equal(get2.status.lastCall.args[0].fill, 'red');
  });

  it('a directory where the token file belongs: the error says so and what to do, and Authorize Access repairs it', async function () {
    env = await createEnv();
    // What a Docker bind mount of a token file that did not exist yet leaves behind.
    const tokenFile = path.join(env.storeDir, 'tunewire-tokens.json');
    fs.mkdirSync(tokenFile);
    fs.writeFileSync(path.join(tokenFile, 'inside.txt'), 'kept');
    await env.load(flow());
    const remedy =
      /The file tunewire-tokens\.json is a directory, not a file: open the Spotify account node and click Authorize Access to repair it$/;
    assert.match(caught(await call('get', {})).error.message, remedy);
    const status = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
    assert.equal(status.body.state, 'store_unreadable');
    assert.match(String(status.body.error), remedy);
    const clear = await helper.request().post('/tunewire/clear').send({ accountId: ACCOUNT_ID });
    assert.equal(clear.status, 409);
    assert.match(String(clear.body.error), remedy);

    // The repair the message names works: the directory is moved aside with what it holds, the account authorized.
    assert.equal((await env.authorize()).state, 'authorized');
    const kept = fs.readdirSync(env.storeDir).filter((f) => f.startsWith('tunewire-tokens.json.damaged-'));
    assert.equal(kept.length, 1, fs.readdirSync(env.storeDir).join(', '));
    assert.equal(fs.readFileSync(path.join(env.storeDir, kept[0], 'inside.txt'), 'utf8'), 'kept');
    assert.ok(fs.statSync(tokenFile).isFile());
    ok(await call('get', {}));
  });

  it('a 429 starts one cooldown shared by every node of the app: nothing is sent before Retry-After', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.clearRequests();
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 1, times: 1 });
    outputs(
      await call.outputs(2, async (to) => {
        to('get', {});
        await new Promise((r) => setTimeout(r, 100));
        to('get2', {});
      }),
    );
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
    const savedTz = process.env.TZ;
    process.env.TZ = ZONE; // Node applies it at once, to this process's Node-RED too
    const e1 = await call('get', {})
      .finally(() => {
        if (savedTz === undefined) delete process.env.TZ;
        else process.env.TZ = savedTz;
      })
      .then(caught);
    assert.equal(env.sim.count({ path: '/v1/me/playlists' }), 1, 'fails at the first answer: no waiting out the hour Spotify asked for');
    // The time in the user's local time, not Spotify's UTC; the request that met the 429 named in a sentence.
    const until = clockIn(ZONE, Date.parse((e1.spotify as { retryAt: string }).retryAt));
    assert.match(
      e1.error.message,
      new RegExp(
        `^SpotifyApiError: Spotify rate limit: no requests until (\\d+ \\w+ )?${until} \\(in 3600 s\\), longer than this pack waits — Spotify answered 429 Too Many Requests to GET /me/playlists$`,
      ),
    );
    assert.equal((e1.spotify as { status: number }).status, 429);
    // The cooldown holds for the other node too, without sending anything: its error names no request.
    const before = env.sim.count({ kind: 'api' });
    const e2 = caught(await call('get2', {}));
    assert.equal(env.sim.count({ kind: 'api' }), before, 'no request during the cooldown');
    assert.match(
      e2.error.message,
      /^SpotifyApiError: Spotify rate limit: no requests until \d\d:\d\d:\d\d \(in \d+ s\), longer than this pack waits; this request was not sent$/,
    );
  });

  it('QUOTA_EXCEEDED says so', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 2, reason: 'QUOTA_EXCEEDED', times: 1 });
    const e = caught(await call('get', {}));
    assert.match(e.error.message, /quota exceeded/i);
    assert.equal((e.spotify as { reason: string }).reason, 'QUOTA_EXCEEDED');
  });

  it('retries a safe request after 503 and a connection reset, then succeeds', async function () {
    env = await createEnv();
    await env.load(flow());
    await env.authorize();
    env.sim.addFault({ path: '/v1/me/playlists', status: 503, times: 1 });
    env.sim.addFault({ path: '/v1/me/playlists', reset: true, times: 1 });
    const msg = ok(await call('get', {}));
    assert.ok(Array.isArray(msg.payload));
    assert.equal((msg.spotify as { requests: number }).requests, 3);
  });
});
