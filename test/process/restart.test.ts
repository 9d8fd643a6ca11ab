// A real Node-RED process with the pack installed in its user directory: authorize through its HTTP admin
// API, then stop it (cleanly, with SIGKILL right after a token rotation, or with SIGKILL while a rotating
// refresh is on its way) and start it again with no Deploy.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type Simulator } from '../simulator';
import { authorizeProcess } from '../support/authorize-process';
import { playlistsEndpoint } from '../support/playlists-endpoint';
import { NodeRedProcess, freePort } from '../support/node-red-process';
import { newStoreKey } from '../../nodes/spotify/token-store';

const CLIENT_ID = 'restart-client';
const CLIENT_SECRET = 'restart-secret';

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function flows(): unknown[] {
  return [
    { id: 'tab', type: 'tab', label: 'restart' },
    { id: 'acc', type: 'spotify-account', name: 'a', clientId: CLIENT_ID, scopes: 'user-read-private playlist-read-private' },
    ...playlistsEndpoint(null),
  ];
}

describe('a real Node-RED process', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let red: NodeRedProcess;
  let userDir: string;

  beforeEach(async function () {
    const port = await freePort();
    sim = await startSimulator({
      apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/tunewire/callback`] }],
      rotateRefreshTokens: true,
    });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-red-'));
    red = new NodeRedProcess({
      userDir,
      port,
      settings: { spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl } },
      flows: flows(),
      credentials: { acc: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } },
    });
    await red.start();
  });

  afterEach(async function () {
    await red.stop('SIGKILL');
    await sim.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  async function authorize(): Promise<void> {
    const page = await authorizeProcess(red, sim, { clientId: CLIENT_ID, scopes: ['playlist-read-private'] });
    assert.equal(page.headers.get('cache-control'), 'no-store');
  }

  async function playlists(): Promise<{ status: number; body: string }> {
    const res = await fetch(`${red.url}/playlists`);
    return { status: res.status, body: await res.text() };
  }

  /** What the account dialog shows. */
  async function accountState(): Promise<string> {
    const status = await fetch(`${red.url}/tunewire/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: 'acc' }),
    });
    return ((await status.json()) as { state: string }).state;
  }

  it('keeps its authorization across a restart with no Deploy, and never writes tokens into the flow files', async function () {
    const credsBefore = fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8');
    await authorize();
    assert.equal((await playlists()).status, 200);

    await red.stop('SIGTERM');
    await red.start();
    const after = await playlists();
    assert.equal(after.status, 200, after.body);
    assert.equal((JSON.parse(after.body) as unknown[]).length, 3);
    assert.equal(fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8'), credsBefore, 'no Deploy happened, nothing written there');
    const store = fs.readFileSync(path.join(userDir, 'tunewire-tokens.json'), 'utf8');
    assert.ok(!store.includes('Demo Listener') && !store.includes(CLIENT_ID), 'the token store is encrypted');
  });

  it('survives SIGKILL right after a refresh-token rotation', async function () {
    await authorize();
    sim.expireAccessTokens();
    assert.equal((await playlists()).status, 200); // refreshes: Spotify rotates, the old refresh token dies
    await red.stop('SIGKILL');
    await red.start();
    sim.expireAccessTokens();
    const res = await playlists();
    assert.equal(res.status, 200, `the rotated refresh token was on disk: ${res.body}`);
    const refreshes = sim.requests.filter((r) => r.path === '/api/token');
    assert.deepEqual(
      refreshes.map((r) => r.status),
      [200, 200, 200],
    );
  });

  it('SIGKILL while a rotating refresh is in flight: the account works, or asks for Authorize Access again', async function () {
    this.timeout(600_000);
    // Spotify retires the old refresh token the moment it issues a new one. A kill after the request reached
    // Spotify and before the answer is on disk therefore loses the authorization (the file stays intact and
    // says "authorize again"); a kill after the write loses nothing. Here Spotify acts at once and its answer
    // takes TRIP_MS to come back; ten kills spread over the refresh show how often each outcome happens (the
    // README quotes the figure). Only the outcomes are asserted, never when a kill lands.
    const TRIP_MS = 100;
    const TRIES = 10;
    const outcomes: string[] = [];
    for (let i = 0; i < TRIES; i++) {
      await authorize();
      const fault = sim.addFault({ method: 'POST', path: '/api/token', delayMs: TRIP_MS });
      sim.expireAccessTokens();
      const from = sim.requests.length;
      const pending = fetch(`${red.url}/playlists`).catch(() => undefined); // needs a refresh first
      await until(() => sim.requests.slice(from).some((r) => r.path === '/api/token'));
      await new Promise((r) => setTimeout(r, (i * 2 * TRIP_MS) / TRIES)); // 0 … 180 ms after it arrived
      await red.stop('SIGKILL');
      await pending;
      sim.removeFault(fault);

      await red.start();
      const store = fs.readFileSync(path.join(userDir, 'tunewire-tokens.json'), 'utf8');
      assert.doesNotThrow(() => JSON.parse(store), 'the token file is intact');
      const atStart = await accountState();
      const res = await playlists();
      const state = await accountState();
      if (res.status === 200) {
        assert.equal(state, 'authorized');
        outcomes.push('kept');
      } else {
        // The documented loss: an error naming the remedy, and the dialog says the same.
        assert.equal(res.status, 500);
        assert.match(res.body, /Authorize Access again/);
        assert.equal(state, 'authorize_again');
        assert.equal(atStart, 'authorize_again', 'said at once after the restart, before any message failed');
        outcomes.push('lost');
      }
    }
    const lost = outcomes.filter((o) => o === 'lost').length;
    console.log(
      `      SIGKILL during a rotating refresh (answer ${TRIP_MS} ms on its way): ${TRIES - lost} of ${TRIES} kept, ${lost} lost (${outcomes.join(' ')})`,
    );
  });

  it('an unauthorized account answers with a readable error, and Node-RED keeps running', async function () {
    const res = await playlists();
    assert.equal(res.status, 500);
    assert.match(res.body, /Not authorized/);
    assert.equal((await fetch(`${red.url}/`)).status, 200);
  });
});
