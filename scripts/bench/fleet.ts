// Two Node-RED instances sharing one Spotify account: with a shared Redis store, beside the same two instances
// on their own file stores (each authorized on its own), 100 messages each arrive together with an expired
// access token. The figure is the token requests the simulator received: one for the pair on Redis.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type Simulator } from '../../test/simulator';
import { authorizeProcess } from '../../test/support/authorize-process';
import { NodeRedProcess, freePort } from '../../test/support/node-red-process';
import { RedisServer, redisServerPath } from '../../test/support/redis-server';
import { SPOTIFY_WINDOW_MS } from '../../nodes/spotify/rate-limit';
import { RedisStateStore } from '../../nodes/spotify/redis-store';
import { lessonKey } from '../../nodes/spotify/shared-pacer';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { int, ratio, type Row } from './report';

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
/** Two Node-RED instances of one app (one storeKey), on Redis or each on its own files, not started yet. */
function instancePair(
  ports: number[],
  sim: Simulator,
  store: 'redis' | 'file',
  redisUrl: string | undefined,
  dirPrefix: string,
  flows: unknown[],
): { reds: NodeRedProcess[]; dirs: string[] } {
  const storeKey = newStoreKey();
  const dirs: string[] = [];
  const reds = ports.map((port) => {
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
    dirs.push(userDir);
    return new NodeRedProcess({
      userDir,
      port,
      settings: {
        spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, ...(store === 'redis' ? { store: { redis: redisUrl } } : {}) },
      },
      flows,
      credentials: { acc: { clientSecret: CLIENT_SECRET, storeKey } },
    });
  });
  return { reds, dirs };
}

async function tokenRequests(store: 'redis' | 'file', redisUrl: string | undefined): Promise<{ tokens: number; answered: number }> {
  const ports = [await freePort(), await freePort()];
  const sim = await startSimulator({
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/tunewire/callback`) }],
    rotateRefreshTokens: true,
  });
  const { reds, dirs } = instancePair(ports, sim, store, redisUrl, 'tunewire-bench-fleet-', flow());
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

/** A started redis-server, or undefined where this machine has none. */
async function startRedis(): Promise<RedisServer | undefined> {
  const binary = redisServerPath();
  if (!binary) return undefined;
  const redis = new RedisServer(binary);
  await redis.start();
  return redis;
}

function notMeasured(what: string, bar: string): Row {
  return {
    area: 'Several instances',
    what,
    via: 'Redis store',
    result: 'not measured: no redis-server (scripts/install-test-deps.sh redis)',
    bar,
    pass: undefined,
  };
}

export async function measureFleet(): Promise<Row[]> {
  const what = `two instances × ${FLEET_MESSAGES} messages, expired access token`;
  const redis = await startRedis();
  if (!redis) return [notMeasured(what, '1 token request')];
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

// The app's one rate budget: two instances, each with four flows reading a playlist at once under the rolling
// window, on one Redis (the budget shared), beside the same pair on file stores (each paces alone: today's
// behaviour without a shared store). Each instance first meets the window on its own (they do not start
// together), then all eight flows read at once; then once more, with one instance killed and started again
// mid-read (its flows sent again once it is up).

/** The rolling window of the side-by-side rows: 150 requests per 10 s. */
const WINDOW = { budget: 150, windowMs: 10_000 };
const READERS = 4;
/** Where one instance's four flows, one request after another, come to about twice the window's rate. */
const WINDOW_LATENCY_MS = Math.round(READERS / ((2 * WINDOW.budget) / WINDOW.windowMs));
const WARM_ITEMS = 2_500;
const READ_ITEMS = 5_000;
const PAGE = 50;
const SKIPPED = 3;

function readerFlow(): unknown[] {
  const nodes: unknown[] = [
    { id: 'tab', type: 'tab', label: 'fleet window' },
    { id: 'acc', type: 'spotify-account', name: 'a', clientId: CLIENT_ID, scopes: 'user-read-private playlist-read-private' },
    { id: 'catch', type: 'catch', z: 'tab', scope: null, wires: [['failed']] },
    {
      id: 'failed',
      type: 'change',
      z: 'tab',
      rules: [
        { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' },
        { t: 'set', p: 'statusCode', pt: 'msg', to: '500', tot: 'num' },
      ],
      wires: [['res']],
    },
    { id: 'res', type: 'http response', z: 'tab', statusCode: '', wires: [] },
    {
      id: 'count',
      type: 'change',
      z: 'tab',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '$count(payload)', tot: 'jsonata' }],
      wires: [['res']],
    },
  ];
  for (let i = 0; i < READERS; i++) {
    nodes.push(
      { id: `in${i}`, type: 'http in', z: 'tab', url: `/read${i}`, method: 'get', wires: [[`pick${i}`]] },
      {
        id: `pick${i}`,
        type: 'change',
        z: 'tab',
        rules: [{ t: 'set', p: 'playlist', pt: 'msg', to: 'req.query.playlist', tot: 'msg' }],
        wires: [[`read${i}`]],
      },
      {
        id: `read${i}`,
        type: 'spotify-playlist-tracks',
        z: 'tab',
        account: 'acc',
        playlist: 'playlist',
        playlistType: 'msg',
        output: 'array',
        wires: [['count']],
      },
    );
  }
  return nodes;
}

interface ReadTally {
  items: number;
  requests: number;
  limited: number;
  ms: number;
  failed: number;
}

/** One instance's four flows, each reading one playlist (ids[i]), at once: the items read, failures counted. */
async function readAll(red: NodeRedProcess, ids: string[]): Promise<{ items: number; failed: number }> {
  const answers = await Promise.all(
    ids.map(async (id, i) => {
      try {
        const res = await fetch(`${red.url}/read${i}?playlist=${id}`);
        const text = await res.text();
        return res.status === 200 ? { items: Number(text), failed: 0 } : { items: 0, failed: 1 };
      } catch {
        return { items: 0, failed: 1 }; // the instance went away mid-read
      }
    }),
  );
  return { items: answers.reduce((n, a) => n + a.items, 0), failed: answers.reduce((n, a) => n + a.failed, 0) };
}

async function counted(sim: Simulator, run: () => Promise<{ items: number; failed: number }>): Promise<ReadTally> {
  const from = sim.requests.length;
  const t0 = performance.now();
  const { items, failed } = await run();
  const ms = performance.now() - t0;
  const log = sim.requests.slice(from).filter((r) => r.kind === 'api');
  return { items, failed, ms, requests: log.length, limited: log.filter((r) => r.status === 429).length };
}

interface PairResult {
  warm: ReadTally[];
  steady: ReadTally;
  restart: ReadTally;
  /** What the pacer learned, as kept in Redis, after the steady read (undefined on file stores). */
  lesson?: { budget: number; windowMs: number };
}

async function pairUnderWindow(
  store: 'redis' | 'file',
  redisUrl: string | undefined,
  progress: (text: string) => void,
): Promise<PairResult> {
  const ports = [await freePort(), await freePort()];
  const sizes = [0, 0, 0, ...new Array<number>(2 * READERS).fill(WARM_ITEMS), ...new Array<number>(4 * READERS).fill(READ_ITEMS)];
  const sim = await startSimulator({
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/tunewire/callback`) }],
    data: { playlistSizes: sizes },
  });
  const { reds, dirs } = instancePair(ports, sim, store, redisUrl, 'tunewire-bench-window-', readerFlow());
  try {
    await Promise.all(reds.map((r) => r.start()));
    for (const red of store === 'redis' ? reds.slice(0, 1) : reds)
      await authorizeProcess(red, sim, { clientId: CLIENT_ID, scopes: ['playlist-read-private'] });
    // The seeded playlists in the order asked for (the first three, one of which holds unusual entries, unread).
    const ids = sim.state.playlists.slice(0, sizes.length).map((p) => p.id);
    const group = (n: number, red: number): string[] => ids.slice(SKIPPED + (2 * n + red) * READERS, SKIPPED + (2 * n + red + 1) * READERS);
    for (const red of reds) {
      for (let i = 0; (await fetch(`${red.url}/read0?playlist=${ids[1]}`)).status !== 200; i++) {
        if (i > 500) throw new Error('an instance never became authorized');
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    // The pacer learns the window's length from a run that began idle (no request for SPOTIFY_WINDOW_MS): as a
    // Node-RED that has been running a while meets a busy hour. The checks above were the last requests.
    await new Promise((r) => setTimeout(r, SPOTIFY_WINDOW_MS));
    sim.setLatency(WINDOW_LATENCY_MS);
    const warm: ReadTally[] = [];
    sim.setRateLimit(WINDOW);
    for (const [i, red] of reds.entries()) {
      // Each meets the window on its own, in a window of its own: the app's earlier requests left it (as they
      // leave Spotify's; the window is not reset under the pair, whose shared store remembers them).
      if (i > 0) await new Promise((r) => setTimeout(r, SPOTIFY_WINDOW_MS));
      warm.push(await counted(sim, () => readAll(red, group(0, i))));
      progress(`several instances: ${store}: warm read ${i + 1}: ${warm[i].limited} of ${warm[i].requests} answered 429`);
    }
    const both = (n: number) => async () => {
      const parts = await Promise.all(reds.map((red, i) => readAll(red, group(n, i))));
      return { items: parts[0].items + parts[1].items, failed: parts[0].failed + parts[1].failed };
    };
    const steady = await counted(sim, both(1));
    const lesson = store === 'redis' && redisUrl ? await keptLesson(redisUrl, `${sim.apiUrl} ${CLIENT_ID}`) : undefined;
    progress(`several instances: ${store}: steady: ${steady.limited} of ${steady.requests} answered 429, ${steady.failed} failed`);
    // Killed once a third of the pair's requests went out; its four flows are sent again when it is up.
    const restart = await counted(sim, async () => {
      const from = sim.requests.length;
      const others = readAll(reds[0], group(2, 0));
      const first = readAll(reds[1], group(2, 1));
      while (sim.requests.length - from < (2 * READERS * READ_ITEMS) / PAGE / 3) await new Promise((r) => setTimeout(r, 20));
      await reds[1].stop('SIGKILL');
      await first;
      await reds[1].start();
      const again = await readAll(reds[1], group(2, 1));
      const a = await others;
      return { items: a.items + again.items, failed: a.failed + again.failed };
    });
    progress(`several instances: ${store}: restart: ${restart.limited} of ${restart.requests} answered 429, ${restart.failed} failed`);
    return { warm, steady, restart, lesson };
  } finally {
    await Promise.all(reds.map((r) => r.stop('SIGKILL')));
    await sim.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The pacer's lesson for the app `appKey` (its API address and client id), as the pair keeps it in Redis. */
async function keptLesson(url: string, appKey: string): Promise<{ budget: number; windowMs: number } | undefined> {
  const store = new RedisStateStore(url);
  try {
    const text = await store.get(lessonKey(appKey));
    const lesson = text === undefined ? undefined : (JSON.parse(text) as { lesson?: { budget: number; windowMs: number } }).lesson;
    return lesson ?? undefined;
  } finally {
    await store.close();
  }
}

export async function measureFleetWindow(progress: (text: string) => void): Promise<Row[]> {
  const what = `two instances, four flows each reading ${int(READ_ITEMS)} playlist items at once, under a rolling window of ${WINDOW.budget} requests per ${WINDOW.windowMs / 1000} s (${WINDOW_LATENCY_MS} ms latency: each instance alone asks for about 2× the window's rate)`;
  const redis = await startRedis();
  if (!redis) return [notMeasured(what, '—')];
  try {
    const shared = await pairUnderWindow('redis', redis.url, progress);
    const alone = await pairUnderWindow('file', undefined, progress);
    const total = 2 * READERS * READ_ITEMS;
    const steadyPerMin = (WINDOW.budget / WINDOW.windowMs) * 60_000 * PAGE;
    const perMin = (t: ReadTally): number => (t.items / t.ms) * 60_000;
    const share = (t: ReadTally): number => (t.requests ? t.limited / t.requests : 0);
    const pct = (n: number): string => `${(n * 100).toFixed(1)} %`;
    const cell = (t: ReadTally): string =>
      `${int(t.items)} of ${int(total)} items, ${int(perMin(t))} items/min (${pct(perMin(t) / steadyPerMin)} of the window's steady rate, ${int(steadyPerMin)}); ${int(t.limited)} of ${int(t.requests)} requests answered 429 (${pct(share(t))})${t.failed ? `; ${t.failed} reads FAILED` : ''}`;
    const warmCell = (r: PairResult): string =>
      `each instance's first meeting with the window: ${r.warm.map((w) => `${w.limited} of ${w.requests}`).join(', ')} answered 429`;
    return [
      {
        area: 'Several instances',
        what: `${what}: all eight at once, after each instance met the window on its own`,
        via: 'Redis store: one budget for the app',
        result: `${cell(shared.steady)}; ${warmCell(shared)}; the pacer learned ${shared.lesson ? `${shared.lesson.budget} requests per ${(shared.lesson.windowMs / 1000).toFixed(1)} s (${pct(shared.lesson.budget / shared.lesson.windowMs / (WINDOW.budget / WINDOW.windowMs))} of the window's rate: Retry-After comes in whole seconds)` : 'nothing'}`,
        bar: '≥ 90 % of the window’s steady rate together, ≤ 1 % answered 429, every item',
        pass: shared.steady.items === total && perMin(shared.steady) >= 0.9 * steadyPerMin && share(shared.steady) <= 0.01,
      },
      {
        area: 'Several instances',
        what: `${what}: all eight at once, after each instance met the window on its own`,
        via: 'file stores: each instance paces alone (as without a shared store)',
        result: `${cell(alone.steady)}; ${warmCell(alone)}; Redis: ${ratio(perMin(shared.steady) / perMin(alone.steady))} the items per minute`,
        bar: 'measured beside the Redis row',
        pass: undefined,
      },
      {
        area: 'Several instances',
        what: `${what}: one instance killed after a third of the requests and started again, its flows sent again`,
        via: 'Redis store (file stores beside it)',
        result: `${int(shared.restart.limited)} of ${int(shared.restart.requests)} requests answered 429 (steady read beside it: ${int(shared.steady.limited)}); ${int(shared.restart.items)} items read by the flows that were not cut off. File stores: ${int(alone.restart.limited)} of ${int(alone.restart.requests)}`,
        bar: 'no more 429s than the steady read',
        pass: shared.restart.limited <= shared.steady.limited,
      },
    ];
  } finally {
    await redis.remove();
  }
}
