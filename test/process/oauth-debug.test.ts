// DEBUG never prints a secret of the token requests: a child process with DEBUG set as a user might set it
// (one simple-oauth2 namespace, everything but the one namespace the silencer used to probe, everything, a
// debug.enable() by someone else later) exchanges a code and refreshes twice against a local token endpoint;
// its whole stderr is searched for the client secret, the Basic header, the code, the verifier and the tokens.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { BUILD_ROOT } from '../support/node-red-process';
import { trackChild } from '../support/child-registry';

const CLIENT_ID = 'debug-test-client-id';
const SECRETS = {
  'client secret': 'debug-test-client-secret-5f1c9a',
  'Basic header': Buffer.from(`${CLIENT_ID}:debug-test-client-secret-5f1c9a`).toString('base64'),
  'authorization code': 'debug-test-code-77b2e0',
  'PKCE verifier': 'debug-test-verifier-0c4d3e9a8b7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1',
  'refresh token': 'debug-test-refresh-a81f',
  'rotated refresh token': 'debug-test-rotated-refresh-c3d9',
  'access token': 'debug-test-access-e6b1',
};

/** The child: code exchange, a refresh, someone else's debug.enable('simple-oauth2*'), another refresh. */
const CHILD = `
const { OAuthClient } = require(${JSON.stringify(path.join(BUILD_ROOT, 'nodes', 'spotify', 'oauth-client.js'))});
const debug = require(require.resolve('debug', { paths: [require('path').dirname(require.resolve('simple-oauth2/package.json'))] }));
const s = JSON.parse(process.env.SECRETS);
(async () => {
  debug('tunewire-test:probe')('debug output is on');
  const c = new OAuthClient({ clientId: ${JSON.stringify(CLIENT_ID)}, clientSecret: s['client secret'], accountsUrl: process.env.ACCOUNTS_URL, timeoutMs: 10000 });
  await c.exchangeCode({ code: s['authorization code'], redirectUri: 'http://127.0.0.1/cb', codeVerifier: s['PKCE verifier'] });
  await c.refresh(s['refresh token']);
  if (process.env.ENABLE_LATER) debug.enable(process.env.ENABLE_LATER);
  await c.refresh(s['rotated refresh token']);
  console.log('three token requests made');
})().catch((err) => { console.log('failed: ' + err.message); process.exitCode = 1; });
`;

describe('DEBUG prints no secret of the token requests (in a child process)', function () {
  let server: http.Server;
  let url: string;
  let requests = 0;

  before(async function () {
    server = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: SECRETS['access token'],
            token_type: 'Bearer',
            expires_in: 3600,
            refresh_token: SECRETS['rotated refresh token'],
            scope: 'user-read-private',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async function () {
    await new Promise((resolve) => server.close(resolve));
  });

  function run(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
    const child = trackChild(
      spawn(process.execPath, ['-e', CHILD], {
        cwd: BUILD_ROOT,
        env: { ...process.env, DEBUG_COLORS: 'no', SECRETS: JSON.stringify(SECRETS), ACCOUNTS_URL: url, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
      'oauth-debug child',
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  }

  for (const [debugValue, later] of [
    ['simple-oauth2:request-options', undefined],
    ['*,-simple-oauth2:client', undefined],
    ['simple-oauth2*,*', undefined],
    ['*', undefined],
    ['tunewire-test:*', 'simple-oauth2*,tunewire-test:*'],
  ] as const) {
    it(`DEBUG=${debugValue}${later ? `, then debug.enable('${later}')` : ''}: no secret in the output`, async function () {
      const before = requests;
      const { code, out, err } = await run({ DEBUG: debugValue, ...(later ? { ENABLE_LATER: later } : {}) });
      assert.equal(code, 0, `${out}\n${err}`);
      assert.match(out, /three token requests made/);
      assert.equal(requests - before, 3);
      if (debugValue.includes('*')) assert.match(err, /tunewire-test:probe debug output is on/, 'DEBUG was in effect');
      const found = Object.entries(SECRETS)
        .filter(([, secret]) => err.includes(secret) || out.includes(secret))
        .map(([what]) => what);
      assert.deepEqual(found, [], `printed:\n${err.slice(0, 2000)}`);
    });
  }
});
