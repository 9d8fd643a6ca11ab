// Two Node-RED instances sharing one Spotify account: with a shared Redis store, beside the same two instances
// on their own file stores (each authorized on its own), 100 messages each arrive together with an expired
// access token. The figure is the token requests the simulator received: one for the pair on Redis.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator } from '../../test/simulator';
import { authorizeProcess } from '../../test/support/authorize-process';
import { NodeRedProcess, freePort } from '../../test/support/node-red-process';
import { RedisServer, redisServerPath } from '../../test/support/redis-server';
import { newStoreKey } from '../../nodes/spotify/token-store';
import type { Row } from './report';

const CLIENT_ID = 'bench-fleet';
const CLIENT_SECRET = 'bench-fleet-secret';
export const FLEET_MESSAGES = 100;

function flow(): unknown[] {
  return [
    { id: 'tab', type: 'tab', label: 'fleet' },
    { id: 'acc', type: 'spotify-account', name: 'a', clientId: CLIENT_ID, scopes: 'user-read-private playlist-read-private' },
    { id: 'in', type: 'http in', z: 'tab', url: '/playlists', method: 'get', wires: [['get']] },
    { id: 'get', type: 'spotify-get-playlists', z: 'tab', account: 'acc', limit: '3', limitType: 'num', wires: [['res']] },
    { id: 'res', type: 'http response', z: 'tab', statusCode: '', wires: [] },
  ];
}

/** Token requests for two instances × FLEET_MESSAGES messages with an expired token, with `store` on both. */
async function tokenRequests(store: 'redis' | 'file', redisUrl: string | undefined): Promise<{ tokens: number; answered: number }> {
  const ports = [await freePort(), await freePort()];
  const sim = await startSimulator({
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/tunewire/callback`) }],
    rotateRefreshTokens: true,
  });
  const storeKey = newStoreKey();
  const dirs: string[] = [];
  const reds = ports.map((port) => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-bench-fleet-'));
    dirs.push(userDir);
    return new NodeRedProcess({
      userDir,
      port,
      settings: {
        spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, ...(store === 'redis' ? { store: { redis: redisUrl } } : {}) },
      },
      flows: flow(),
      credentials: { acc: { clientSecret: CLIENT_SECRET, storeKey } },
    });
  });
  try {
    await Promise.all(reds.map((r) => r.start()));
    // On Redis one authorization serves both; on files each instance needs its own.
    for (const red of store === 'redis' ? reds.slice(0, 1) : reds)
      await authorizeProcess(red, sim, { clientId: CLIENT_ID, scopes: ['playlist-read-private'] });
    for (const red of reds) {
      for (let i = 0; (await fetch(`${red.url}/playlists`)).status !== 200; i++) {
        if (i > 500) throw new Error('an instance never became authorized');
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    sim.expireAccessTokens();
    const from = sim.requests.length;
    const calls: Promise<number>[] = [];
    for (let i = 0; i < FLEET_MESSAGES; i++) for (const red of reds) calls.push(fetch(`${red.url}/playlists`).then((r) => r.status));
    const answered = (await Promise.all(calls)).filter((s) => s === 200).length;
    return { tokens: sim.requests.slice(from).filter((r) => r.path === '/api/token').length, answered };
  } finally {
    await Promise.all(reds.map((r) => r.stop('SIGKILL')));
    await sim.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureFleet(): Promise<Row[]> {
  const what = `two instances × ${FLEET_MESSAGES} messages, expired access token`;
  const binary = redisServerPath();
  if (!binary) {
    return [
      {
        area: 'Several instances',
        what,
        via: 'Redis store',
        result: 'not measured: no redis-server (scripts/install-test-deps.sh redis)',
        bar: '1 token request',
        pass: undefined,
      },
    ];
  }
  const redis = new RedisServer(binary);
  await redis.start();
  try {
    const shared = await tokenRequests('redis', redis.url);
    const files = await tokenRequests('file', undefined);
    const total = 2 * FLEET_MESSAGES;
    return [
      {
        area: 'Several instances',
        what,
        via: 'Redis store (file stores beside it)',
        result: `${shared.tokens} token request${shared.tokens === 1 ? '' : 's'} (file stores: ${files.tokens}); ${shared.answered} of ${total} answered`,
        bar: 'exactly 1 token request, every message answered',
        pass: shared.tokens === 1 && shared.answered === total,
      },
    ];
  } finally {
    await redis.remove();
  }
}
