// An outbound proxy, as company and school networks have: the pack's Web API and token requests go through the
// proxy of the settings (or https_proxy / http_proxy), hosts in no_proxy are reached directly, and the proxy's
// credentials appear in no error, status or log. The proxy is a real one (the `proxy` package) listening on a
// free port; it counts every request line that passes through its tunnels.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { proxyFor } from '../../nodes/spotify/proxy';
import { createEnv, ACCOUNT_ID, type TestEnv } from '../support/env';
import { caught, ok, runner } from '../helpers/node-runner';
import helper from 'node-red-node-test-helper';

const USER = 'proxy-user';
const PASSWORD = 'pr0xy-s3cret-passw0rd';

interface CountingProxy {
  url: (password?: string) => string;
  /** Request lines seen inside the tunnels, e.g. "GET /v1/me". */
  lines: string[];
  tunnels: number;
  refused: number;
  /** From now on refuses every credential, and ends the tunnels already open. */
  refuseAll(): void;
  close(): Promise<void>;
}

async function startProxy(): Promise<CountingProxy> {
  // The package is an ES module; this test is CommonJS.
  const { createProxy } = await import('proxy');
  const server = createProxy(createServer());
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const open = new Set<import('node:stream').Duplex>();
  let refusing = false;
  const counted: CountingProxy = {
    url: (password = PASSWORD) => `http://${USER}:${password}@127.0.0.1:${(server.address() as AddressInfo).port}`,
    lines: [],
    tunnels: 0,
    refused: 0,
    refuseAll: () => {
      refusing = true;
      for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.authenticate = (req) => {
    const good = !refusing && req.headers['proxy-authorization'] === expected;
    if (!good) counted.refused++;
    return good;
  };
  server.on('connect', (_req, socket) => {
    counted.tunnels++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      for (const m of chunk.toString('latin1').matchAll(/^(GET|POST|PUT|DELETE) (\/[^\s?]*)\S* HTTP\/1\.1\r$/gm))
        counted.lines.push(`${m[1]} ${m[2]}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return counted;
}

describe('an outbound proxy', function () {
  describe('which proxy a request takes (no_proxy as core reads it)', function () {
    const api = new URL('https://api.spotify.com/v1/me');
    const local = new URL('http://127.0.0.1:8080/v1/me');

    it('the settings first, else https_proxy / http_proxy by the target, in either case', function () {
      assert.equal(proxyFor(api, { url: 'http://set:1' }, { https_proxy: 'http://env:1' }), 'http://set:1');
      assert.equal(proxyFor(api, {}, { HTTPS_PROXY: 'http://env:2' }), 'http://env:2');
      assert.equal(proxyFor(api, {}, { http_proxy: 'http://plain:3' }), undefined);
      assert.equal(proxyFor(local, {}, { http_proxy: 'http://plain:3' }), 'http://plain:3');
      assert.equal(proxyFor(api, {}, {}), undefined);
    });

    it('no_proxy: names, domain suffixes, host:port and *', function () {
      const env = { https_proxy: 'http://p:1', http_proxy: 'http://p:1' };
      assert.equal(proxyFor(api, {}, { ...env, no_proxy: 'spotify.com' }), undefined);
      assert.equal(proxyFor(api, {}, { ...env, no_proxy: '.spotify.com' }), undefined);
      assert.equal(proxyFor(api, {}, { ...env, NO_PROXY: 'example.org, api.spotify.com' }), undefined);
      assert.equal(proxyFor(api, {}, { ...env, no_proxy: 'notspotify.com' }), 'http://p:1');
      assert.equal(proxyFor(local, {}, { ...env, no_proxy: '127.0.0.1:9999' }), 'http://p:1');
      assert.equal(proxyFor(local, {}, { ...env, no_proxy: '127.0.0.1:8080' }), undefined);
      assert.equal(proxyFor(local, { noProxy: '*' }, env), undefined);
    });
  });

  describe('with the nodes in Node-RED', function () {
    let env: TestEnv | undefined;
    let proxy: CountingProxy | undefined;
    const call = runner(() => {
      if (!env) throw new Error('no env');
      return env;
    });
    afterEach(async function () {
      await env?.close();
      await proxy?.close();
      env = undefined;
    });

    const flow = (e: TestEnv) => [
      e.accountNode(),
      { id: 'me', type: 'spotify-my-profile', account: ACCOUNT_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
    /** The requests the pack made (the test's own consent clicks and controls go to the simulator directly). */
    const packRequests = (e: TestEnv) =>
      e.sim.requests.filter((r) => r.kind === 'api' || r.path === '/api/token').map((r) => `${r.method} ${r.path}`);

    it('token and Web API requests all go through the proxy of the settings', async function () {
      proxy = await startProxy();
      env = await createEnv({ settings: { proxy: proxy.url() } });
      await env.load(flow(env));
      await env.authorize({ scopes: ['user-read-private'] });
      const msg = ok(await call('me', {}));
      assert.equal((msg.payload as { id?: string }).id, env.sim.state.me.id);
      // An expired access token: the refresh goes through the proxy too.
      await fetch(`${env.sim.url}/__sim/expire-access-tokens`, { method: 'POST' });
      ok(await call('me', {}));

      const made = packRequests(env);
      assert.ok(made.includes('POST /api/token') && made.includes('GET /v1/me'), `the pack made its requests: ${made.join(', ')}`);
      assert.deepEqual([...proxy.lines].sort(), [...made].sort(), 'every request the pack made passed through the proxy');
      assert.ok(proxy.tunnels >= 1);
    });

    it('hosts in no_proxy are reached directly', async function () {
      proxy = await startProxy();
      env = await createEnv({ settings: { proxy: proxy.url(), noProxy: '127.0.0.1' } });
      await env.load(flow(env));
      await env.authorize({ scopes: ['user-read-private'] });
      ok(await call('me', {}));
      assert.ok(packRequests(env).length >= 2);
      assert.equal(proxy.tunnels, 0, 'nothing went through the proxy');
    });

    it('a proxy refusing the credentials: a clear error, and the password nowhere', async function () {
      proxy = await startProxy();
      env = await createEnv({ settings: { proxy: proxy.url() } });
      await env.load(flow(env));
      await env.authorize({ scopes: ['user-read-private'] });
      proxy.refuseAll();
      const failed = caught(await call('me', {}));
      assert.ok(proxy.refused > 0, 'the proxy refused the request');
      assert.match(
        failed.error.message,
        /refused by the proxy 127\.0\.0\.1:\d+ \(407: it needs other proxy credentials\)/,
        failed.error.message,
      );
      const seen = JSON.stringify({
        message: failed.error.message,
        msg: failed.msg,
        logs: (helper.log() as unknown as { args: unknown[] }).args,
      });
      assert.ok(!seen.includes(PASSWORD), 'the proxy password is in no error, message or log');
      assert.ok(!seen.includes(`${USER}:`), 'nor the user:password pair');
    });
  });
});
