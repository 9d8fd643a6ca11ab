// Faults an operator's Node-RED meets over months: connection resets, answers slower than the timeout, a token
// revoked mid-flow, an expired refresh token, the token endpoint down for a while, lost answers to playlist
// writes, a kill right after Spotify rotated the refresh token, and a sustained load of 429s and 503s. Each
// must end in a clear status and error or in recovery: never a crash, an unhandled rejection, a lost refresh
// token, a message that ends twice or never, or a track added twice.
import assert from 'node:assert/strict';
import http from 'node:http';
import * as path from 'node:path';
import type { Node, NodeMessage } from 'node-red';
import { createEnv, helper, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { failOnProcessProblems, CRASH_PATTERNS } from '../support/process-watch';
import { RedSession, SESSION_ACCOUNT } from '../support/red-session';
import { packNodeTypes } from '../support/node-types';
import { tokenStoreAt } from '../../nodes/spotify/account';
import { Cooldown } from '../../nodes/spotify/rate-limit';
import type { StoredTokens } from '../../nodes/spotify/token-store';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';

type Status = { fill?: string; shape?: string; text?: string };
type Caught = NodeMessage & { error: { message: string }; spotify?: Record<string, unknown> };

function lastStatus(node: Node): Status {
  return (node as unknown as { status: { lastCall: { args: [Status] } } }).status.lastCall.args[0];
}

function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() > end) reject(new Error('condition not met in time'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults', function () {
  failOnProcessProblems();

  describe('in a running flow', function () {
    let env: TestEnv;
    afterEach(async function () {
      await env?.close();
    });

    // Every ending (output or caught error) in arrival order. One listener per helper node for the whole test:
    // `once` listeners left over from a race confuse Node-RED's input dispatch (it reports a TypeError).
    let endings: Ending[] = [];
    let wake: (() => void) | undefined;
    type Ending = { out?: NodeMessage; err?: Caught };

    async function setup(opts: Parameters<typeof createEnv>[0] = {}): Promise<void> {
      env = await createEnv({ data: { playlistSizes: [3, 0, 0, 120] }, ...opts });
      await env.load(flow());
      await env.authorize();
      endings = [];
      const push = (e: Ending): void => {
        endings.push(e);
        wake?.();
      };
      env.node('out').on('input', (m: NodeMessage) => push({ out: m }));
      env.node('caught').on('input', (m: NodeMessage) => push({ err: m as Caught }));
    }

    /** Waits for `count` more endings than were seen when `from` was taken. */
    async function endingsFrom(from: number, count: number, timeoutMs = 20_000): Promise<Ending[]> {
      const end = Date.now() + timeoutMs;
      while (endings.length < from + count) {
        if (Date.now() > end) throw new Error(`${endings.length - from} of ${count} messages ended within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return endings.slice(from, from + count);
    }

    function flow(): FlowNode[] {
      return [
        env.accountNode(),
        { id: 'get', type: 'spotify-get-playlists', account: ACCOUNT_ID, limit: '5', limitType: 'num', wires: [['out']] },
        { id: 'all', type: 'spotify-get-playlists', account: ACCOUNT_ID, wires: [['out']] },
        { id: 'add', type: 'spotify-add-tracks', account: ACCOUNT_ID, position: 'position', positionType: 'msg', wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ];
    }

    const stored = (): Promise<StoredTokens | undefined> =>
      tokenStoreAt(path.join(env.storeDir, 'tunewire-tokens.json')).get(ACCOUNT_ID, env.storeKey);
    const own = () => env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
    const tracks = (n: number, from = 0) => Array.from({ length: n }, (_, i) => env.sim.state.catalog.track(from + i).uri);

    async function run(nodeId: string, msg: Record<string, unknown> = {}): Promise<Ending> {
      const from = endings.length;
      env.node(nodeId).receive(msg);
      const [first] = await endingsFrom(from, 1);
      return first;
    }

    it('connection resets: safe requests are retried; when every attempt fails, a clear network error, then recovery', async function () {
      await setup();
      const rule = env.sim.addFault({ path: '/v1/me/playlists', reset: true });
      const { err } = await run('get');
      assert.ok(err, 'an error, not a hang');
      assert.match(err.error.message, /The request to Spotify \(GET \/me\/playlists\) failed \(ECONNRESET\)/);
      assert.equal(env.sim.count({ path: '/v1/me/playlists' }), 4, 'one try and three retries');
      assert.deepEqual(lastStatus(env.node('get')), { fill: 'red', shape: 'ring', text: 'network error' });
      env.sim.removeFault(rule);
      const { out } = await run('get');
      assert.ok(out && Array.isArray(out.payload));
      assert.equal(lastStatus(env.node('get')).fill, 'green');
    });

    it('a connection reset on the token endpoint during a refresh keeps the refresh token', async function () {
      await setup();
      const before = await stored();
      env.sim.expireAccessTokens();
      const rule = env.sim.addFault({ path: '/api/token', reset: true });
      const { err } = await run('get');
      assert.match(String(err?.error.message), /Could not refresh the Spotify access token: Could not reach Spotify's accounts service/);
      assert.equal(lastStatus(env.node('get')).text, 'token error');
      const kept = await stored();
      assert.equal(kept?.refreshToken, before?.refreshToken, 'the refresh token is kept');
      assert.equal(kept?.needsReauthorization, undefined, 'and not given up on');
      env.sim.removeFault(rule);
      assert.ok((await run('get')).out, 'recovers with no restart and no new authorization');
    });

    it('answers slower than the timeout: a clear "timed out", then recovery', async function () {
      await setup({ settings: { timeoutSeconds: 1, maxRetries: 1 } });
      const rule = env.sim.addFault({ path: '/v1/me/playlists', delayMs: 1500 });
      env.sim.clearRequests();
      const { err } = await run('get');
      assert.match(String(err?.error.message), /The request to Spotify \(GET \/me\/playlists\) timed out/);
      assert.equal(env.sim.count({ path: '/v1/me/playlists' }), 2, 'gave up after the timeout and one retry');
      assert.equal(lastStatus(env.node('get')).text, 'network error');
      env.sim.removeFault(rule);
      assert.ok((await run('get')).out);
    });

    it('a playlist write that times out but was applied is not applied twice', async function () {
      await setup({ settings: { timeoutSeconds: 1 } });
      const playlist = own()[1];
      const uris = tracks(150);
      // The second batch is applied at once, its answer comes after the timeout.
      env.sim.addFault({ method: 'POST', path: `/v1/playlists/${playlist.id}/items`, delayMs: 1500, every: 2, times: 1 });
      const { out, err } = await run('add', { playlist: playlist.id, payload: uris });
      const items = env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri);
      assert.deepEqual(items, uris, 'every track once, in order');
      if (err)
        assert.match(err.error.message, /may or may not/); // only without the snapshot check
      else
        assert.deepEqual(out?.payload, {
          playlist_id: playlist.id,
          snapshot_id: env.sim.state.playlist(playlist.id)?.snapshot_id,
          added: 150,
          batches: 2,
          given: 150,
          skipped: { local: 0, unavailable: 0 },
        });
    });

    it('a token revoked in the middle of a listing: the node says "authorize again", and authorizing again recovers with no restart', async function () {
      await setup({ data: { playlistSizes: new Array<number>(130).fill(0) } }); // three pages
      env.sim.clearRequests();
      // The first page is answered (token still good) but slowly; the revocation lands before the next pages.
      env.sim.addFault({ path: '/v1/me/playlists', delayMs: 300, times: 1 });
      const result = run('all');
      await until(() => env.sim.count({ path: '/v1/me/playlists' }) >= 1);
      await sleep(50);
      env.sim.revokeTokens();
      const { err } = await result;
      assert.match(String(err?.error.message), /Authorize Access again/);
      assert.equal((err?.spotify as { authorization?: string }).authorization, 'authorize_again');
      assert.deepEqual(lastStatus(env.node('all')), { fill: 'red', shape: 'ring', text: 'authorize again' });
      assert.ok(
        env.sim.requests.some((r) => r.path === '/v1/me/playlists' && r.status === 401),
        'a later page met the revoked token',
      );
      assert.equal((await stored())?.needsReauthorization, true, 'kept on disk, marked');
      const status = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
      assert.equal(status.body.state, 'authorize_again');

      await env.authorize();
      const { out } = await run('all');
      assert.ok(out && Array.isArray(out.payload) && out.payload.length > 50, 'all pages');
    });

    it('a token revoked between two batches of a write: says exactly what was added', async function () {
      await setup();
      const playlist = own()[1];
      const uris = tracks(250);
      env.sim.addFault({ method: 'POST', path: `/v1/playlists/${playlist.id}/items`, delayMs: 300, times: 1 });
      const result = run('add', { playlist: playlist.id, payload: uris });
      await until(() => env.sim.count({ method: 'POST', path: `/v1/playlists/${playlist.id}/items` }) >= 1);
      await sleep(50);
      env.sim.revokeTokens();
      const { err } = await result;
      assert.match(String(err?.error.message), /Authorize Access again — 100 of 250 tracks applied, 150 not applied/);
      assert.deepEqual((err?.spotify as { applied: string[] }).applied, uris.slice(0, 100));
      assert.deepEqual(
        env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
        uris.slice(0, 100),
      );
    });

    it('an expired refresh token (invalid_grant): "authorize again" without retries, then recovery by authorizing', async function () {
      await setup();
      env.sim.expireRefreshTokens();
      env.sim.expireAccessTokens();
      for (let i = 0; i < 3; i++) {
        const { err } = await run('get');
        assert.match(String(err?.error.message), /Authorize Access again/);
      }
      assert.equal(env.sim.count({ path: '/api/token' }), 2, 'the code exchange and one refused refresh: no retry storm');
      assert.equal(lastStatus(env.node('get')).text, 'authorize again');
      await env.authorize();
      assert.ok((await run('get')).out);
      assert.ok((await run('add', { playlist: own()[1].id, payload: tracks(1) })).out);
    });

    it('the token endpoint down for a while: errors meanwhile, then recovery with no restart, the refresh token kept', async function () {
      await setup();
      const before = await stored();
      env.sim.setTokenEndpointDown(true);
      env.sim.expireAccessTokens();
      for (let i = 0; i < 3; i++) {
        const { err } = await run(i % 2 ? 'get' : 'all');
        // A clear cause, and nothing that sounds final: the account stays authorized.
        assert.match(
          String(err?.error.message),
          /Could not refresh the Spotify access token: Spotify's accounts service .*(HTTP 503|temporarily_unavailable)/,
        );
        assert.equal((err?.spotify as { authorization?: string }).authorization, 'token_endpoint');
      }
      assert.deepEqual(lastStatus(env.node('all')), { fill: 'red', shape: 'ring', text: 'token error' });
      const kept = await stored();
      assert.equal(kept?.refreshToken, before?.refreshToken);
      assert.notEqual(kept?.needsReauthorization, true, 'a 503 is not a verdict on the refresh token');
      const status = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID });
      assert.equal(status.body.state, 'authorized');

      env.sim.setTokenEndpointDown(false);
      const tokenCalls = env.sim.count({ path: '/api/token' });
      const { out } = await run('get');
      assert.ok(out);
      assert.equal(env.sim.count({ path: '/api/token' }), tokenCalls + 1, 'one refresh, and it worked');
      assert.equal(lastStatus(env.node('get')).fill, 'green');
    });

    it('a request that was getting a fresh token when another one met a 429 waits the cooldown out too', async function () {
      // Two accounts of one app share its cooldown. acc2's tokens are long-lived; acc1's are so short that every
      // request first refreshes, and that refresh is slow: meanwhile acc2 meets a 429.
      env = await createEnv({ tokenLifetimeSeconds: 3600 });
      await env.load([
        env.accountNode({ id: 'acc1' }),
        env.accountNode({ id: 'acc2' }),
        { id: 'one', type: 'spotify-get-playlists', account: 'acc1', limit: '5', limitType: 'num', wires: [['out']] },
        { id: 'two', type: 'spotify-get-playlists', account: 'acc2', limit: '5', limitType: 'num', wires: [['out']] },
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      await env.authorize({ accountId: 'acc2' });
      env.sim.setTokenLifetime(30); // inside the pack's refresh margin: acc1 refreshes before each request
      await env.authorize({ accountId: 'acc1' });
      env.sim.clearRequests();
      env.sim.addFault({ path: '/api/token', delayMs: 600, times: 1 });
      env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 2, times: 1 });
      const both = new Promise<void>((resolve) => {
        let n = 0;
        env.node('out').on('input', () => ++n === 2 && resolve());
      });
      env.node('one').receive({});
      await until(() => env.sim.count({ path: '/api/token' }) >= 1); // acc1's refresh is under way
      env.node('two').receive({}); // → 429, Retry-After 2 s, for the whole app
      await both;
      const limited = env.sim.requests.find((r) => r.status === 429);
      assert.ok(limited);
      const during = env.sim.requests.filter((r) => r.kind === 'api' && r.at > limited.at && r.at < limited.at + 1950);
      assert.deepEqual(
        during.map((r) => `${r.path} +${r.at - limited.at} ms`),
        [],
        'nothing was sent during the cooldown',
      );
    });

    describe('writes whose answer was lost', function () {
      const itemsPath = (id: string) => `/v1/playlists/${id}/items`;
      const snapshotReads = (id: string) =>
        env.sim.requests.filter(
          (r) => r.method === 'GET' && r.path === `/v1/playlists/${id}` && String(r.query.fields).startsWith('snapshot_id'),
        ).length;

      it('applied (the snapshot moved): carries on with the next batch, nothing twice', async function () {
        await setup();
        const playlist = own()[1];
        const uris = tracks(250);
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, afterEffect: true, every: 2, times: 1 });
        const { out, err } = await run('add', { playlist: playlist.id, payload: uris });
        assert.equal(err, undefined, err?.error.message);
        assert.deepEqual(
          env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
          uris,
        );
        assert.equal(env.sim.count({ method: 'POST', path: itemsPath(playlist.id) }), 3, 'the lost batch was not sent again');
        assert.equal((out?.payload as { added: number }).added, 250);
        assert.equal(snapshotReads(playlist.id), 1, 'one read, to settle the lost answer; none before writing');
      });

      it('not applied (the snapshot did not move): sent again once, in its place', async function () {
        await setup();
        const playlist = own()[0]; // 3 entries already
        const before = env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri) ?? [];
        const uris = tracks(150, 700);
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, every: 2, times: 1 });
        const { out, err } = await run('add', { playlist: playlist.id, payload: uris, position: 1 });
        assert.equal(err, undefined, err?.error.message);
        assert.ok(out);
        assert.deepEqual(
          env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
          [before[0], ...uris, ...before.slice(1)],
        );
        assert.equal(env.sim.count({ method: 'POST', path: itemsPath(playlist.id) }), 3);
      });

      it('a 503 after the request went out: settled the same way', async function () {
        await setup();
        const playlist = own()[1];
        const uris = tracks(220);
        // The second batch: applied, answer lost. The third: not applied, answer lost, so sent once more.
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), status: 503, afterEffect: true, every: 2, times: 1 });
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), status: 503, every: 3, times: 1 });
        const { err } = await run('add', { playlist: playlist.id, payload: uris });
        assert.equal(err, undefined, err?.error.message);
        assert.deepEqual(
          env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
          uris,
        );
        assert.equal(env.sim.count({ method: 'POST', path: itemsPath(playlist.id) }), 4);
      });

      it('the first batch lost: reported as uncertain, not sent again, no request before writing', async function () {
        await setup();
        const playlist = own()[1];
        const uris = tracks(150);
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, afterEffect: true, times: 1 });
        const { err } = await run('add', { playlist: playlist.id, payload: uris });
        assert.ok(err);
        assert.match(err.error.message, /0 of 150 tracks applied, 100 may or may not have been applied .* 50 not applied/);
        const info = err.spotify as { applied: string[]; notApplied: string[]; uncertain: string[] };
        assert.deepEqual([info.applied, info.uncertain, info.notApplied], [[], uris.slice(0, 100), uris.slice(100)]);
        assert.deepEqual(
          env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
          uris.slice(0, 100),
          'applied once, not twice',
        );
        assert.equal(env.sim.count({ method: 'POST', path: itemsPath(playlist.id) }), 1);
        assert.equal(snapshotReads(playlist.id), 0);
      });

      it('lost twice, never applied: an error that says so with certainty', async function () {
        await setup();
        const playlist = own()[1];
        const uris = tracks(150);
        // The second batch is lost, and so is the one resend: neither was applied.
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, every: 2, times: 1 });
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, every: 3, times: 1 });
        const { err } = await run('add', { playlist: playlist.id, payload: uris });
        assert.ok(err);
        assert.match(err.error.message, /100 of 150 tracks applied, 50 not applied/);
        const info = err.spotify as { applied: string[]; notApplied: string[]; uncertain: string[] };
        assert.deepEqual([info.applied.length, info.notApplied, info.uncertain], [100, uris.slice(100), []]);
        assert.deepEqual(
          env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
          uris.slice(0, 100),
        );
      });

      it('when even the snapshot cannot be read, the batch is reported uncertain and not repeated', async function () {
        await setup();
        const playlist = own()[1];
        const uris = tracks(150);
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, afterEffect: true, every: 2, times: 1 });
        // Reads of the playlist fail once the first batch (after the "before" snapshot) has gone out.
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), delayMs: 200, times: 1 });
        const result = run('add', { playlist: playlist.id, payload: uris });
        await until(() => env.sim.count({ method: 'POST', path: itemsPath(playlist.id) }) >= 1);
        env.sim.addFault({ method: 'GET', path: `/v1/playlists/${playlist.id}`, status: 500 });
        const { err } = await result;
        assert.ok(err);
        assert.match(err.error.message, /may or may not have been applied/);
        assert.equal((err.spotify as { uncertain: string[] }).uncertain.length, 50);
        assert.equal(env.sim.state.playlist(playlist.id)?.items.length, 150, 'the lost batch happened once, not twice');
      });

      it('many messages into one playlist at once, with lost answers: every track exactly once', async function () {
        await setup();
        const playlist = own()[2];
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, afterEffect: true, every: 3 });
        env.sim.addFault({ method: 'POST', path: itemsPath(playlist.id), reset: true, every: 5 });
        const batches = Array.from({ length: 12 }, (_, i) => tracks(30, 1000 + i * 30));
        const from = endings.length;
        batches.forEach((uris, i) => env.node('add').receive({ _msgid: `m${i}`, playlist: playlist.id, payload: uris }));
        const outcomes = await endingsFrom(from, batches.length);
        await sleep(300);
        assert.equal(endings.length, from + batches.length, 'each message ended once');
        const items = env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri) ?? [];
        assert.equal(new Set(items).size, items.length, 'no duplicates');
        // Each message is one batch, so a lost answer cannot be settled (no earlier snapshot): it is reported.
        const expected = new Set<string>();
        const maybe = new Set<string>();
        for (const o of outcomes) {
          const i = Number(String((o.out ?? o.err)?._msgid).slice(1));
          if (o.out) batches[i].forEach((u) => expected.add(u));
          else {
            const info = o.err?.spotify as { applied: string[]; uncertain: string[] };
            info.applied.forEach((u) => expected.add(u));
            info.uncertain.forEach((u) => maybe.add(u));
          }
        }
        assert.ok(maybe.size > 0, 'some answers were lost');
        assert.deepEqual(
          items.filter((u) => !maybe.has(u)).sort(),
          [...expected].sort(),
          'the playlist holds what the outputs say, and maybe what they call uncertain',
        );
      });
    });
  });

  describe('in a real Node-RED process', function () {
    this.timeout(120_000);
    let s: RedSession;
    afterEach(async function () {
      await s?.stop();
    });

    function flows(): Record<string, unknown>[] {
      return [
        { id: 'in', type: 'http in', url: '/playlists', method: 'get', wires: [['get']] },
        { id: 'get', type: 'spotify-get-playlists', account: SESSION_ACCOUNT, limit: '3', limitType: 'num', wires: [['res']] },
        { id: 'res', type: 'http response', statusCode: '', wires: [] },
        { id: 'catch', type: 'catch', scope: null, wires: [['err']] },
        {
          id: 'err',
          type: 'change',
          rules: [
            { t: 'set', p: 'statusCode', pt: 'msg', to: '500', tot: 'num' },
            { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' },
          ],
          wires: [['res']],
        },
      ];
    }
    const playlists = async () => {
      const res = await fetch(`${s.url}/playlists`);
      return { status: res.status, body: await res.text() };
    };

    it('faults one after another: every request answered, no crash or unhandled rejection in the log', async function () {
      s = await RedSession.start({ flows, simulator: { rotateRefreshTokens: true }, pack: { timeoutSeconds: 1, maxRetries: 1 } });
      await s.authorize();
      assert.equal((await playlists()).status, 200);
      const steps: [string, () => void, RegExp][] = [
        ['connection resets', () => s.sim.addFault({ path: '/v1/me/playlists', reset: true }), /ECONNRESET/],
        [
          'token endpoint down',
          () => (s.sim.setTokenEndpointDown(true), s.sim.expireAccessTokens()),
          /Could not refresh the Spotify access token: .*(HTTP 503|temporarily_unavailable)/,
        ],
        [
          'token endpoint resets',
          () => (s.sim.addFault({ path: '/api/token', reset: true }), s.sim.expireAccessTokens()),
          /Could not reach/,
        ],
        ['revoked', () => s.sim.revokeTokens(), /Authorize Access again/],
        ['a slow API', () => s.sim.addFault({ path: '/v1/me/playlists', delayMs: 2500 }), /timed out/],
        // Last: its cooldown outlasts the test.
        [
          '429 beyond the cap',
          () => s.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 3600, times: 1 }),
          /no requests until/,
        ],
      ];
      for (const [name, fault, message] of steps) {
        fault();
        const res = await playlists();
        assert.equal(res.status, 500, `${name}: ${res.status} ${res.body.slice(0, 300)}`);
        assert.match(res.body, message, name);
        s.sim.clearFaults();
        s.sim.setTokenEndpointDown(false);
        if (name === 'revoked') await s.authorize();
        if (name !== '429 beyond the cap') assert.equal((await playlists()).status, 200, `recovers after ${name}`);
      }
      assert.doesNotMatch(s.red.log, CRASH_PATTERNS);
      assert.equal((await fetch(`${s.url}/`)).status, 200, 'Node-RED is still serving');
    });

    it('killed while Spotify was answering a refresh with a rotated token: a clear "authorize again" after the restart', async function () {
      s = await RedSession.start({ flows, simulator: { rotateRefreshTokens: true } });
      await s.authorize();
      s.sim.expireAccessTokens();
      // Spotify rotates at once; its answer (the only copy of the new refresh token) is still on the way.
      s.sim.addFault({ path: '/api/token', delayMs: 2000, times: 1 });
      const pending = playlists().catch(() => undefined);
      await until(() => s.sim.count({ path: '/api/token' }) >= 2, 5000);
      await s.red.stop('SIGKILL');
      await pending;
      await s.red.start();
      // Before any message: the dialog's status and the node say so at once (the store recorded the refresh).
      const status = await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT });
      assert.equal((status.json as { state?: string }).state, 'authorize_again');
      await s.listen();
      const shown = (): { fill?: string; text?: string }[] =>
        s.comms.filter((e) => e.topic === 'status/get').map((e) => e.data as { fill?: string; text?: string });
      await until(() => shown().length > 0, 10_000);
      assert.deepEqual(shown().at(-1), { fill: 'red', shape: 'ring', text: 'authorize again' });
      const res = await playlists();
      assert.equal(res.status, 500);
      assert.match(res.body, /Authorize Access again/, 'the lost rotation is reported, not hidden');
      await s.authorize();
      assert.equal((await playlists()).status, 200, 'and authorizing again recovers');
      assert.doesNotMatch(s.red.log, CRASH_PATTERNS);
    });
  });

  describe('1,000 messages under 429s and 503s', function () {
    this.timeout(120_000);
    let env: TestEnv;
    afterEach(async function () {
      await env?.close();
    });

    it('every message ends exactly once, no write is applied twice, nothing is sent during a cooldown', async function () {
      const TARGETS = 60;
      env = await createEnv({
        data: { playlistSizes: [...new Array<number>(TARGETS).fill(0), 5] },
        settings: { maxRetryAfterSeconds: 5, timeoutSeconds: 10 },
      });
      // Every action node (triggers send only what is new, so "one output per message" does not apply to them).
      const types = packNodeTypes().filter((t) => !t.isConfig && !t.isTrigger);
      const nodes: FlowNode[] = types.map((t) => ({
        ...t.defaults,
        id: `n-${t.type}`,
        type: t.type,
        account: ACCOUNT_ID,
        ...('output' in t.defaults ? { output: 'array' } : {}),
        ...(t.type === 'spotify-get-playlists' ? { limit: '20', limitType: 'num' } : {}),
        wires: [Array.from({ length: Math.max(1, t.outputs) }, () => 'out')].flat().map((w) => [w]),
      }));
      await env.load([
        env.accountNode({
          scopes: DEFAULT_SCOPES.join(' '),
        }),
        ...nodes,
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      await env.authorize({ scopes: [...DEFAULT_SCOPES] });

      const mine = env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
      const targets = mine.slice(0, TARGETS);
      const other = mine[TARGETS];
      const track = (i: number) => env.sim.state.catalog.track(i).uri;

      // The messages: a third each for the three core nodes, the rest spread over every other action node.
      const others = nodes.filter((n) => !['spotify-get-playlists', 'spotify-add-tracks', 'spotify-recently-played'].includes(n.type));
      const plan: { id: string; node: string; msg: Record<string, unknown>; adds?: { playlist: string; uris: string[] } }[] = [];
      let nextTrack = 0;
      let addCount = 0;
      for (let i = 0; i < 1000; i++) {
        const id = `load-${i}`;
        const k = i % 10;
        if (k < 3) plan.push({ id, node: 'n-spotify-get-playlists', msg: {} });
        else if (k < 5) {
          const uris = Array.from({ length: 1 + (i % 3) }, () => track(nextTrack++));
          const playlist = targets[addCount++ % TARGETS].id; // spread evenly: writes of one playlist queue up
          plan.push({ id, node: 'n-spotify-add-tracks', msg: { playlist, payload: uris }, adds: { playlist, uris } });
        } else if (k < 8 || others.length === 0) plan.push({ id, node: 'n-spotify-recently-played', msg: {} });
        else {
          const n = others[i % others.length];
          plan.push({ id, node: n.id, msg: { playlist: other.id, payload: track(5000 + (i % 50)), name: `Renamed ${i}`, topic: 'load' } });
        }
      }

      const cooldownProbe = instrumentCooldown(env.sim.apiUrl);
      const ended = new Map<string, { outs: NodeMessage[]; errs: Caught[] }>();
      const entry = (id: string) => ended.get(id) ?? (ended.set(id, { outs: [], errs: [] }), ended.get(id)!);
      env.node('out').on('input', (m: NodeMessage) => entry(String(m._msgid)).outs.push(m));
      env.node('caught').on('input', (m: NodeMessage) => entry(String(m._msgid)).errs.push(m as Caught));

      env.sim.clearRequests();
      env.sim.addFault({ path: /^\/v1\//, status: 429, retryAfter: 1, probability: 0.33 });
      env.sim.addFault({ path: /^\/v1\//, status: 503, probability: 0.05 });
      const started = Date.now();
      try {
        for (const p of plan) env.node(p.node).receive({ _msgid: p.id, ...p.msg });
        await until(() => plan.every((p) => ended.has(p.id)), 100_000).catch(() => {
          const open = countBy(plan.filter((p) => !ended.has(p.id)).map((p) => p.node));
          throw new Error(`messages that never ended, by node: ${JSON.stringify(open)}`);
        });
        await sleep(500); // anything arriving late would be a second ending
      } finally {
        cooldownProbe.restore();
      }
      const seconds = (Date.now() - started) / 1000;

      // Exactly one ending per message.
      const twice = plan.filter((p) => {
        const e = ended.get(p.id)!;
        return e.outs.length + e.errs.length !== 1;
      });
      assert.deepEqual(
        twice.map((p) => p.id),
        [],
        'messages that ended more than once',
      );
      const errors = plan.filter((p) => ended.get(p.id)!.errs.length);

      // No write applied twice: each target playlist holds exactly what the add tracks outputs say was added.
      let uncertain = 0;
      for (const target of targets) {
        const items = env.sim.state.playlist(target.id)?.items.map((e) => e.uri) ?? [];
        assert.equal(new Set(items).size, items.length, `duplicates in ${target.name}`);
        const must = new Set<string>();
        const may = new Set<string>();
        for (const p of plan.filter((q) => q.adds?.playlist === target.id)) {
          const e = ended.get(p.id)!;
          if (e.outs.length) p.adds!.uris.forEach((u) => must.add(u));
          else {
            const info = e.errs[0].spotify as { applied?: string[]; uncertain?: string[] } | undefined;
            (info?.applied ?? []).forEach((u) => must.add(u));
            (info?.uncertain ?? []).forEach((u) => may.add(u));
            uncertain += info?.uncertain?.length ?? 0;
          }
        }
        for (const u of must) assert.ok(items.includes(u), `${u} was reported added to ${target.name} but is not there`);
        for (const u of items) assert.ok(must.has(u) || may.has(u), `${u} is in ${target.name} but no output says it was added`);
      }

      // Nothing sent while the app's cooldown was on (checked where requests start, exactly) …
      const apiRequests = env.sim.requests.filter((r) => r.kind === 'api');
      const limited = apiRequests.filter((r) => r.status === 429);
      assert.deepEqual(
        cooldownProbe.sentCooling.map((r) => `${r.path} ${r.coolingMs} ms early`),
        [],
        'requests started during a cooldown',
      );
      // … and at the simulator: within each cooldown window only requests already on the way when it began arrive.
      const excess = cooldownProbe
        .windows()
        .map((w) => {
          const arrived = apiRequests.filter((r) => r.at > w.from && r.at < w.to - 1).length;
          const inFlight = cooldownProbe.startedBefore(w.from) - apiRequests.filter((r) => r.at <= w.from).length;
          return { ...w, arrived, inFlight };
        })
        .filter((w) => w.arrived > Math.max(0, w.inFlight));
      assert.deepEqual(excess, [], 'requests that arrived in a cooldown window without having been on the way before it');

      const summary = {
        messages: plan.length,
        nodeTypes: new Set(plan.map((p) => p.node)).size,
        seconds,
        apiRequests: apiRequests.length,
        answered429: limited.length,
        answered503: apiRequests.filter((r) => r.status === 503).length,
        cooldownWindows: cooldownProbe.windows().length,
        outputs: plan.length - errors.length,
        errors: errors.length,
        errorKinds: countBy(errors.map((p) => kindOf(ended.get(p.id)!.errs[0]))),
        tracksAdded: targets.reduce((n, t) => n + (env.sim.state.playlist(t.id)?.items.length ?? 0), 0),
        uncertainTracks: uncertain,
        inFlightAtCooldownStart: Math.max(
          0,
          ...cooldownProbe.windows().map((w) => cooldownProbe.startedBefore(w.from) - apiRequests.filter((r) => r.at <= w.from).length),
        ),
      };
      console.log(`      load: ${JSON.stringify(summary)}`);
      assert.ok(limited.length > 100, 'the simulator really answered 429 often');
      // Failures are what the faults explain: rate limits that outlasted the retries, writes settled as not applied.
      for (const p of errors) assert.ok(ended.get(p.id)!.errs[0].error.message.length > 10);
    });
  });
});

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function kindOf(err: Caught): string {
  const spotify = err.spotify as { status?: number; authorization?: string } | undefined;
  if (spotify?.status) return String(spotify.status);
  if (spotify?.authorization) return spotify.authorization;
  const field = /^(?:\w+Error: )?([\w.[\]]+): expected/.exec(err.error.message);
  return field ? `input:${field[1]}` : 'other';
}

/**
 * Watches, inside this process, when the app's cooldown is tripped (Cooldown.trip) and when each API request
 * actually starts (node:http's request(), which got calls at the last moment), so "nothing is sent during a
 * cooldown" is checked exactly at the client, and the simulator's arrival times can be cross-checked.
 */
function instrumentCooldown(apiUrl: string) {
  const cooldowns = new Set<Cooldown>();
  const trips: { at: number; until: number }[] = [];
  const starts: { at: number; path: string; coolingMs: number }[] = [];
  const proto = Cooldown.prototype as unknown as { trip: (this: Cooldown, s: number, q: boolean) => void };
  const originalTrip = proto.trip;
  proto.trip = function (this: Cooldown, seconds: number, quota: boolean) {
    originalTrip.call(this, seconds, quota);
    cooldowns.add(this);
    trips.push({ at: Date.now(), until: Date.now() + this.remainingMs() });
  };
  const mod = http as unknown as { request: (...args: unknown[]) => http.ClientRequest };
  const originalRequest = mod.request;
  mod.request = function (this: unknown, ...args: unknown[]) {
    const url = String(args[0]);
    if (url.startsWith(apiUrl)) {
      starts.push({ at: Date.now(), path: new URL(url).pathname, coolingMs: Math.max(0, ...[...cooldowns].map((c) => c.remainingMs())) });
    }
    return originalRequest.apply(this, args);
  };
  return {
    get sentCooling() {
      return starts.filter((s) => s.coolingMs > 0);
    },
    /** Merged periods during which the client held back (from the first 429 it saw to the end of the wait). */
    windows(): { from: number; to: number }[] {
      const sorted = [...trips].sort((a, b) => a.at - b.at);
      const out: { from: number; to: number }[] = [];
      for (const t of sorted) {
        const last = out[out.length - 1];
        if (last && t.at <= last.to) last.to = Math.max(last.to, t.until);
        else out.push({ from: t.at, to: t.until });
      }
      return out;
    },
    startedBefore(at: number): number {
      return starts.filter((s) => s.at <= at).length;
    },
    restore() {
      proto.trip = originalTrip;
      mod.request = originalRequest;
    },
  };
}
