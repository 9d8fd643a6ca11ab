// Several real Node-RED processes sharing one state store: two instances on one Redis (a real redis-server on
// a free port), one simulator, the same flows and credentials on both — as a pair of machines behind a load
// balancer would run them — and one instance on a Node-RED context store whose user directory is wiped
// between restarts (a hosted platform). Every wait is on a condition or a count, never on the clock.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type Simulator } from '../simulator';
import { authorizeProcess } from '../support/authorize-process';
import { playlistsEndpoint } from '../support/playlists-endpoint';
import { NodeRedProcess, freePort } from '../support/node-red-process';
import { RedisServer, requireRedis } from '../support/redis-server';
import { newStoreKey } from '../../nodes/spotify/token-store';

const CLIENT_ID = 'fleet-client';
const CLIENT_SECRET = 'fleet-secret';
const SCOPES = 'user-read-private playlist-read-private user-read-recently-played';

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Collected {
  from: string;
  kind: string;
  body: Record<string, unknown>;
}

/** Receives what the flows post (trigger output, errors, statuses), by instance and kind. */
class Collector {
  readonly items: Collected[] = [];
  private server: http.Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const [, from = '', kind = ''] = (req.url ?? '').split('/');
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          body = { text: Buffer.concat(chunks).toString('utf8') };
        }
        this.items.push({ from, kind, body });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  of(kind: string, from?: string): Collected[] {
    return this.items.filter((i) => i.kind === kind && (from === undefined || i.from === from));
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Posts msg.payload to the collector at COLLECT_URL/<kind> (the instance's name is in COLLECT_URL). */
function poster(id: string, kind: string, x: number, y: number, payloadFrom?: string): unknown[] {
  const rules: unknown[] = [{ t: 'set', p: 'url', pt: 'msg', to: `$env('COLLECT_URL') & '/${kind}'`, tot: 'jsonata' }];
  if (payloadFrom) rules.push({ t: 'set', p: 'payload', pt: 'msg', to: payloadFrom, tot: 'msg' });
  rules.push({ t: 'delete', p: 'headers', pt: 'msg' });
  return [
    { id: `${id}-to`, type: 'change', z: 'tab', rules, x, y, wires: [[`${id}-post`]] },
    {
      id: `${id}-post`,
      type: 'http request',
      z: 'tab',
      method: 'POST',
      ret: 'txt',
      paytoqs: 'ignore',
      url: '',
      persist: false,
      senderr: false,
      headers: [],
      x: x + 200,
      y,
      wires: [[]],
    },
  ];
}

function flows(): unknown[] {
  return [
    { id: 'tab', type: 'tab', label: 'fleet' },
    { id: 'acc', type: 'spotify-account', name: 'a', clientId: CLIENT_ID, scopes: SCOPES },
    ...playlistsEndpoint(),
    {
      id: 'trig',
      type: 'spotify-new-plays',
      z: 'tab',
      account: 'acc',
      interval: '1',
      firstRun: 'remember',
      x: 100,
      y: 300,
      wires: [['play-to']],
    },
    ...poster('play', 'play', 300, 300),
    { id: 'catch-trig', type: 'catch', z: 'tab', scope: ['trig'], x: 100, y: 400, wires: [['error-to']] },
    ...poster('error', 'error', 300, 400, 'error'),
    { id: 'status', type: 'status', z: 'tab', scope: ['trig'], x: 100, y: 500, wires: [['status-to']] },
    ...poster('status', 'status', 300, 500, 'status'),
  ];
}

async function authorize(red: NodeRedProcess, sim: Simulator): Promise<void> {
  await authorizeProcess(red, sim, { clientId: CLIENT_ID, scopes: SCOPES.split(' ') });
}

/** Plays one after another, each at a later millisecond than the last (the cursor is a played_at time). */
async function playInTurn(sim: Simulator, uris: string[]): Promise<void> {
  for (const uri of uris) {
    const last = Date.now();
    await until(() => Date.now() > last, 'the next millisecond');
    sim.play(uri);
  }
}

async function playlists(red: NodeRedProcess): Promise<{ status: number; body: string }> {
  const res = await fetch(`${red.url}/playlists`);
  return { status: res.status, body: await res.text() };
}

async function accountStatus(red: NodeRedProcess): Promise<{ state?: string; cooldownUntil?: string; error?: string; status: number }> {
  const res = await fetch(`${red.url}/tunewire/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountId: 'acc' }),
  });
  return { ...((await res.json()) as { state?: string; cooldownUntil?: string; error?: string }), status: res.status };
}

describe('two Node-RED instances sharing one Redis', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let redis: RedisServer;
  let collector: Collector;
  const dirs: string[] = [];
  let a: NodeRedProcess;
  let b: NodeRedProcess;
  const fleetStoreKey = newStoreKey();

  before(async function () {
    const binary = requireRedis(this);
    redis = new RedisServer(binary);
    await redis.start();
    collector = new Collector();
    await collector.start();
    const ports = [await freePort(), await freePort()];
    sim = await startSimulator({
      apps: [
        {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUris: ports.map((p) => `http://127.0.0.1:${p}/tunewire/callback`),
        },
      ],
      rotateRefreshTokens: true,
    });
    const storeKey = fleetStoreKey;
    const instance = (name: string, port: number): NodeRedProcess => {
      const userDir = fs.mkdtempSync(path.join(os.tmpdir(), `tunewire-fleet-${name}-`));
      dirs.push(userDir);
      return new NodeRedProcess({
        userDir,
        port,
        settings: {
          // The store's timeout, set: the frozen-Redis test sees it in the errors.
          spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, store: { redis: redis.url, timeoutSeconds: 1.5 }, minPollSeconds: 1 },
        },
        flows: flows(),
        credentials: { acc: { clientSecret: CLIENT_SECRET, storeKey } },
        env: { COLLECT_URL: `http://127.0.0.1:${collector.port}/${name}` },
      });
    };
    a = instance('a', ports[0]);
    b = instance('b', ports[1]);
    await Promise.all([a.start(), b.start()]);
  });

  after(async function () {
    await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
    await sim?.stop();
    await collector?.stop();
    await redis?.remove();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('authorized on one instance, the other works at once (no restart) and no token file is written', async function () {
    assert.equal((await playlists(b)).status, 500, 'not authorized yet');
    await authorize(a, sim);
    await until(async () => (await playlists(b)).status === 200, 'B to follow the authorization made on A');
    assert.equal((await playlists(a)).status, 200);
    assert.equal((await accountStatus(b)).state, 'authorized');
    for (const dir of dirs) assert.equal(fs.existsSync(path.join(dir, 'tunewire-tokens.json')), false, 'the tokens live in Redis');
    assert.match(b.log, /Redis store at redis:\/\/127\.0\.0\.1/, 'the log names the store in use');
  });

  it('200 messages across both with an expired token: one token request', async function () {
    sim.expireAccessTokens();
    const from = sim.requests.length;
    const calls = [];
    for (let i = 0; i < 100; i++) calls.push(playlists(a), playlists(b));
    const results = await Promise.all(calls);
    assert.deepEqual(
      results.filter((r) => r.status !== 200),
      [],
    );
    const tokenRequests = sim.requests.slice(from).filter((r) => r.path === '/api/token');
    assert.equal(tokenRequests.length, 1, `one refresh for both instances: ${JSON.stringify(tokenRequests)}`);
    // Spotify rotated the refresh token: both instances hold the new one (a second refresh works on either).
    sim.expireAccessTokens();
    const again = await playlists(b);
    assert.equal(again.status, 200, `${again.body} ${JSON.stringify(sim.requests.slice(from).filter((r) => r.path === '/api/token'))}`);
    sim.expireAccessTokens();
    const andAgain = await playlists(a);
    assert.equal(andAgain.status, 200, andAgain.body);
  });

  it('a 429 seen by one makes the other wait it out', async function () {
    const from = sim.requests.length;
    const fault = sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 3, times: 1 });
    const first = playlists(a); // meets the 429, waits it out and tries again
    await until(async () => (await accountStatus(b)).cooldownUntil !== undefined, 'B to learn of the cooldown');
    const until429 = Date.parse((await accountStatus(b)).cooldownUntil ?? '');
    const second = await playlists(b);
    assert.equal(second.status, 200, second.body);
    assert.equal((await first).status, 200);
    sim.removeFault(fault);
    const sent = sim.requests.slice(from).filter((r) => r.path === '/v1/me/playlists');
    assert.equal(sent[0].status, 429);
    const during = sent.slice(1).filter((r) => r.at < until429);
    assert.deepEqual(during, [], 'no request of either instance during the cooldown');
    assert.equal(sent.length, 3, `the one that met the 429, then one from each instance: ${JSON.stringify(sent)}`);
  });

  it('the same trigger on both instances emits each new play once', async function () {
    const polledSince = (from: number, name: string): number =>
      collector.items.slice(from).filter((i) => i.kind === 'status' && i.from === name && /·/.test(String(i.body.text))).length;
    const start = collector.items.length;
    const tracks = [sim.state.catalog.track(11).uri, sim.state.catalog.track(12).uri];
    await playInTurn(sim, tracks);
    await until(() => collector.of('play').length >= 2, 'the two plays to be emitted');
    const mark = collector.items.length;
    // Both instances polled twice more after that: each saw the state the other moved on.
    await until(() => polledSince(mark, 'a') >= 2 && polledSince(mark, 'b') >= 2, 'two more polls on each');
    const plays = collector.items.slice(start).filter((i) => i.kind === 'play');
    const uris = plays.map((p) => (p.body.track as { uri?: string } | undefined)?.uri);
    assert.deepEqual(uris, tracks, 'each once, oldest first');
  });

  /** The instance's trigger reported the store's error since item `start` of the collector. */
  const reported = (name: string, start: number, detail = /.*/): boolean =>
    collector.items
      .slice(start)
      .some(
        (i) =>
          i.kind === 'error' &&
          i.from === name &&
          /Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable/.test(String(i.body.message)) &&
          detail.test(String(i.body.message)),
      );

  /** How often instance A logged that the store answers again. */
  const answeredAgain = (): number => (a.log.match(/Redis store at redis:\/\/127\.0\.0\.1:\d+ answers again/g) ?? []).length;

  /** After Redis came back (`logged`: answeredAgain() before it went): a new play is emitted once, both triggers
   *  poll cleanly, the tokens are still there, and A said the store answers again. */
  async function recoversByItself(track: number, logged: number): Promise<void> {
    const back = collector.items.length;
    await playInTurn(sim, [sim.state.catalog.track(track).uri]);
    await until(() => collector.items.slice(back).some((i) => i.kind === 'play'), 'the new play after Redis returned');
    const mark = collector.items.length;
    const polled = (name: string): number =>
      collector.items
        .slice(mark)
        .filter((i) => i.kind === 'status' && i.from === name && /·/.test(String(i.body.text)) && !/unavailable/.test(String(i.body.text)))
        .length;
    await until(() => polled('a') >= 2 && polled('b') >= 2, 'two good polls on each');
    assert.equal(collector.items.slice(back).filter((i) => i.kind === 'play').length, 1, 'emitted once');
    assert.equal((await accountStatus(b)).state, 'authorized', 'the tokens survived in Redis');
    sim.expireAccessTokens();
    assert.equal((await playlists(b)).status, 200);
    assert.ok(answeredAgain() > logged, 'A logged that the store answers again');
  }

  it('Redis killed mid-flow: errors and statuses name the store; when it returns, everything recovers by itself', async function () {
    const start = collector.items.length;
    const logged = answeredAgain();
    await redis.stop('SIGKILL');
    await until(() => reported('a', start) && reported('b', start), 'both triggers to report the store');
    // The status comes through its own http request, which may arrive after the error's.
    await until(
      () => collector.items.slice(start).some((i) => i.kind === 'status' && /state store unavailable/.test(String(i.body.text))),
      'the node status to say so',
    );
    // The authorization in memory still serves requests that need no store.
    assert.equal((await playlists(a)).status, 200);

    await redis.start();
    await recoversByItself(13, logged);
  });

  it('Redis frozen (SIGSTOP, connections open): triggers, messages and the status route answer with the store error; after SIGCONT everything recovers', async function () {
    const start = collector.items.length;
    const silent = /no answer within 1\.5 s/;
    const logged = answeredAgain();
    redis.pause();
    try {
      await until(() => reported('a', start, silent) && reported('b', start, silent), 'both triggers to report the silent store');
      const status = await accountStatus(a);
      assert.equal(status.status, 503, JSON.stringify(status));
      assert.match(status.error ?? '', /The Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(no answer within 1\.5 s\)/);
      // A message that needs the store: the expired access token is refreshed under the store's lock.
      sim.expireAccessTokens();
      const failed = await playlists(a);
      assert.equal(failed.status, 500);
      assert.match(failed.body, /The Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(no answer within 1\.5 s\)/);
    } finally {
      redis.resume();
    }
    await recoversByItself(14, logged);
  });

  it('Redis unreachable at start-up: the instance starts, says which store is missing, and recovers when Redis comes', async function () {
    await redis.stop('SIGKILL');
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-late-'));
    dirs.push(userDir);
    const late = new NodeRedProcess({
      userDir,
      settings: { spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, store: { redis: redis.url } } },
      flows: flows().filter((n) => ['tab', 'acc', 'in', 'get', 'res', 'catch', 'err'].includes((n as { id: string }).id)),
      credentials: { acc: { clientSecret: CLIENT_SECRET, storeKey: fleetStoreKey } },
    });
    try {
      await late.start();
      const missing = /The Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable/;
      const status = await accountStatus(late);
      assert.equal(status.status, 503);
      assert.equal(status.state, 'store_unreadable');
      assert.match(status.error ?? '', missing);
      const failed = await playlists(late);
      assert.equal(failed.status, 500);
      assert.match(failed.body, missing);

      await redis.start();
      await until(async () => (await playlists(late)).status === 200, 'the instance to recover by itself');
      assert.equal((await accountStatus(late)).state, 'authorized', 'the authorization made on A, from Redis');
    } finally {
      await late.stop('SIGKILL');
    }
  });

  it('switching an installation from the token file to Redis moves its authorization once, saying so in the log', async function () {
    const port = await freePort();
    sim.addRedirectUri(CLIENT_ID, `http://127.0.0.1:${port}/tunewire/callback`);
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-switch-'));
    dirs.push(userDir);
    const credentials = { acc: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } };
    const withStore = (store: unknown): NodeRedProcess =>
      new NodeRedProcess({
        userDir,
        port,
        settings: { spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, ...(store ? { store } : {}) } },
        flows: flows().filter((n) => ['tab', 'acc', 'in', 'get', 'res', 'catch', 'err'].includes((n as { id: string }).id)),
        credentials,
      });
    let red = withStore(undefined);
    await red.start();
    try {
      await authorize(red, sim);
      assert.equal((await playlists(red)).status, 200);
      const tokenFile = fs.readFileSync(path.join(userDir, 'tunewire-tokens.json'), 'utf8');
      await red.stop('SIGTERM');

      // Another key prefix: this Redis already holds the pair's account under the same id.
      const store = { redis: redis.url, prefix: 'switched:' };
      red = withStore(store);
      await red.start();
      const moved = /Moved 1 authorization\(s\) from tunewire-tokens\.json to the Redis store at redis:\/\/127\.0\.0\.1:\d+/;
      const after = await playlists(red);
      assert.equal(after.status, 200, after.body);
      assert.match(red.log, moved);
      assert.equal(fs.readFileSync(path.join(userDir, 'tunewire-tokens.json'), 'utf8'), tokenFile, 'the file is left as it was');
      for (const secret of [...sim.issuedSecrets().accessTokens, ...sim.issuedSecrets().refreshTokens]) {
        assert.ok(!red.log.includes(secret), 'no secret in the log');
      }
      await red.stop('SIGTERM');

      red = withStore(store);
      await red.start();
      assert.equal((await playlists(red)).status, 200);
      assert.doesNotMatch(red.log, moved, 'once: the second start has nothing to move');
    } finally {
      await red.stop('SIGKILL');
    }
  });

  it('an installation moved from the file store to Redis on two instances at once: its cursors carried over once, then each play sent once by the trigger and by recently played "only new"', async function () {
    const ports = [await freePort(), await freePort(), await freePort()];
    const own = await startSimulator({
      apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${ports[0]}/tunewire/callback`] }],
    });
    const credentials = { acc: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } };
    const store = { redis: redis.url, prefix: 'moved:' };
    const recentEndpoint = [
      { id: 'recent-in', type: 'http in', z: 'tab', url: '/recent', method: 'get', x: 100, y: 600, wires: [['recent']] },
      {
        id: 'recent',
        type: 'spotify-recently-played',
        z: 'tab',
        account: 'acc',
        limit: '50',
        limitType: 'num',
        newOnly: true,
        output: 'array',
        format: 'objects',
        x: 300,
        y: 600,
        wires: [['res']],
      },
      { id: 'catch-recent', type: 'catch', z: 'tab', scope: ['recent'], x: 100, y: 700, wires: [['err']] },
    ];
    const instance = (name: string, port: number, interval: string, withStore: boolean): { red: NodeRedProcess; dir: string } => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tunewire-moved-${name}-`));
      dirs.push(dir);
      const red = new NodeRedProcess({
        userDir: dir,
        port,
        settings: { spotifyAccount: { accountsUrl: own.url, apiUrl: own.apiUrl, minPollSeconds: 1, ...(withStore ? { store } : {}) } },
        flows: [
          ...flows().map((n) => {
            const id = (n as { id: string }).id;
            if (id === 'trig') return { ...(n as object), interval };
            return id === 'status' ? { ...(n as object), scope: ['trig', 'recent'] } : n;
          }),
          ...recentEndpoint,
        ],
        credentials,
        env: { COLLECT_URL: `http://127.0.0.1:${collector.port}/${name}` },
      });
      return { red, dir };
    };
    const recent = async (red: NodeRedProcess): Promise<string[]> => {
      const res = await fetch(`${red.url}/recent`);
      const text = await res.text();
      assert.equal(res.status, 200, text);
      return (JSON.parse(text) as { track?: { uri?: string } }[]).map((p) => p.track?.uri ?? '');
    };
    const statuses = (name: string, node: string): string[] =>
      collector
        .of('status', name)
        .filter((i) => (i.body.source as { id?: string } | undefined)?.id === node)
        .map((i) => String(i.body.text));
    const polled = (name: string): boolean => statuses(name, 'trig').some((text) => /·/.test(text));
    const sent = (...names: string[]): string[] =>
      names.flatMap((name) => collector.of('play', name).map((i) => (i.body.track as { uri?: string } | undefined)?.uri ?? ''));
    const [t1, t2] = [own.state.catalog.track(21).uri, own.state.catalog.track(22).uri];
    const running: NodeRedProcess[] = [];
    try {
      // The installation on the file store: its trigger sent t1, and recently played "only new" returned it.
      const file = instance('file', ports[0], '1', false);
      running.push(file.red);
      await file.red.start();
      await authorize(file.red, own);
      await until(() => polled('file'), 'the trigger to remember what was there');
      assert.ok((await recent(file.red)).length > 0, 'the first run returns the latest plays');
      await playInTurn(own, [t1]);
      await until(() => sent('file').includes(t1), 'the trigger to send t1');
      assert.deepEqual(await recent(file.red), [t1]);
      // The answer goes out before the cursor is written (a failed send leaves it to the next run): wait for the end.
      await until(() => statuses('file', 'recent').includes('1 play'), 'recently played to save its cursor');
      await file.red.stop('SIGTERM');
      await playInTurn(own, [t2]); // while no instance runs: it must not be lost

      // Two machines with the installation's files start on one Redis together (triggers polling once, at start).
      const pair = [instance('moved-a', ports[1], '3600', true), instance('moved-b', ports[2], '3600', true)];
      const stateFile = fs.readFileSync(path.join(file.dir, 'tunewire-state.json'), 'utf8');
      for (const { dir } of pair) {
        for (const name of ['tunewire-state.json', 'tunewire-tokens.json'])
          fs.copyFileSync(path.join(file.dir, name), path.join(dir, name));
      }
      running.push(...pair.map((p) => p.red));
      await Promise.all(pair.map((p) => p.red.start()));
      await until(() => polled('moved-a') && polled('moved-b'), 'both triggers to poll');
      assert.deepEqual(sent('moved-a', 'moved-b'), [t2], 'the play made during the move, once; nothing already sent again');
      const carried = pair.map(({ red }) =>
        /Carried over the cursors of (\d+) node\(s\) \(([^)]*)\) from tunewire-state\.json to the Redis store at redis:\/\/127\.0\.0\.1:\d+/.exec(
          red.log,
        ),
      );
      assert.equal(carried.filter(Boolean).length, 1, `one instance carried them over and said so: ${carried.map(String).join(' | ')}`);
      assert.deepEqual(carried.find(Boolean)?.slice(1), ['2', 'new-plays 1, recently-played 1']);
      for (const { dir } of pair) {
        const marked = JSON.parse(fs.readFileSync(path.join(dir, 'tunewire-state.json'), 'utf8')) as Record<string, unknown>;
        assert.ok(marked['carried over'], 'the file is marked as carried over');
        delete marked['carried over'];
        assert.deepEqual(marked, JSON.parse(stateFile), 'and otherwise left as it was');
      }

      // Recently played "only new" asked on both at once, both reads at Spotify before either is answered.
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const from = own.requests.length;
      const fault = own.addFault({ path: '/v1/me/player/recently-played', holdUntil: gate, times: 2 });
      const answers = Promise.all(pair.map(({ red }) => recent(red)));
      await until(
        () => own.requests.slice(from).filter((r) => r.path === '/v1/me/player/recently-played').length === 2,
        'both reads to reach Spotify',
      );
      release();
      const [fromA, fromB] = await answers;
      own.removeFault(fault);
      assert.deepEqual([...fromA, ...fromB], [t2], 'the play made during the move, from one instance only');
      const elsewhere = '0 plays: another instance sent them';
      await until(
        () => ['moved-a', 'moved-b'].some((name) => statuses(name, 'recent').includes(elsewhere)),
        'the other instance to say why it had nothing new',
      );
    } finally {
      await Promise.all(running.map((red) => red.stop('SIGKILL')));
      await own.stop();
    }
  });

  it('one instance killed mid-refresh: the other takes the lock over within seconds, and "authorize again" shows at once', async function () {
    // A pair of its own, on its own key prefix and its own Spotify: the token requests of A and B (whose triggers
    // poll) never meet this test's fault or count as C's refresh.
    const ports = [await freePort(), await freePort()];
    const own = await startSimulator({
      apps: [
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/tunewire/callback`) },
      ],
      rotateRefreshTokens: true,
    });
    const credentials = { acc: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } };
    const pair = ports.map((port) => {
      const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-pair-'));
      dirs.push(userDir);
      return new NodeRedProcess({
        userDir,
        port,
        settings: { spotifyAccount: { accountsUrl: own.url, apiUrl: own.apiUrl, store: { redis: redis.url, prefix: 'pair:' } } },
        flows: flows().filter((n) => ['tab', 'acc', 'in', 'get', 'res', 'catch', 'err'].includes((n as { id: string }).id)),
        credentials,
      });
    });
    const [c, d] = pair;
    await Promise.all(pair.map((p) => p.start()));
    try {
      await authorize(c, own);
      await until(async () => (await playlists(d)).status === 200, 'D to follow the authorization made on C');
      // Spotify rotates the refresh token at once; its answer (the only copy of the new one) never reaches C.
      const fault = own.addFault({ method: 'POST', path: '/api/token', delayMs: 60_000, times: 1 });
      own.expireAccessTokens();
      const from = own.requests.length;
      const pending = playlists(c).catch(() => undefined);
      await until(() => own.requests.slice(from).some((r) => r.path === '/api/token'), "C's refresh to reach Spotify");
      await c.stop('SIGKILL');
      void pending;
      own.removeFault(fault);

      assert.equal((await accountStatus(d)).state, 'authorize_again', "D's dialog says so at once: the store recorded C's refresh");
      const started = Date.now();
      const res = await playlists(d); // needs a refresh: waits for C's lock, then finds the refresh token retired
      const waited = Date.now() - started;
      assert.equal(res.status, 500);
      assert.match(res.body, /Authorize Access again/);
      assert.ok(waited < 20_000, `D waited ${waited} ms: C's lock lapses with its 5 s lease, not after 30 s`);

      await c.start();
      assert.equal((await accountStatus(c)).state, 'authorize_again', 'C says so too, right after its restart');
      await authorize(c, own);
      await until(
        async () => (await playlists(d)).status === 200 && (await playlists(c)).status === 200,
        'authorizing again recovers both',
      );
    } finally {
      await Promise.all(pair.map((p) => p.stop('SIGKILL')));
      await own.stop();
    }
  });
});

describe('a Node-RED context store (a hosted platform without a persistent disk)', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let contextDir: string;
  let userDir: string;
  let red: NodeRedProcess;
  let restartWiped: () => Promise<void>;

  before(async function () {
    const port = await freePort();
    sim = await startSimulator({
      apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/tunewire/callback`] }],
      rotateRefreshTokens: true,
    });
    contextDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-context-'));
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-hosted-'));
    const credentials = { acc: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } };
    const options = (dir: string): ConstructorParameters<typeof NodeRedProcess>[0] => ({
      userDir: dir,
      port,
      settings: {
        spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, store: { context: 'persistent' }, minPollSeconds: 1 },
        contextStorage: { default: { module: 'memory' }, persistent: { module: 'localfilesystem', config: { dir: contextDir } } },
      },
      flows: flows().filter((n) => !String((n as { id: string }).id).match(/^(trig|catch-trig|status|play|error)/)),
      credentials,
      env: { COLLECT_URL: 'http://127.0.0.1:9/unused' },
    });
    red = new NodeRedProcess(options(userDir));
    await red.start();
    restartWiped = async (): Promise<void> => {
      await red.stop('SIGTERM'); // the platform stops the container: context stores flush
      fs.rmSync(userDir, { recursive: true, force: true }); // …and the disk is gone; flows and credentials come back
      red = new NodeRedProcess(options(userDir));
      await red.start();
    };
  });

  after(async function () {
    await red?.stop('SIGKILL');
    await sim?.stop();
    fs.rmSync(contextDir, { recursive: true, force: true });
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('stays authorized when the user directory is wiped between restarts, with the tokens encrypted in the context store', async function () {
    await authorize(red, sim);
    assert.equal((await playlists(red)).status, 200);
    sim.expireAccessTokens();
    assert.equal((await playlists(red)).status, 200, 'a refresh (the refresh token rotates) is stored there too');
    await restartWiped();
    assert.equal(fs.existsSync(path.join(userDir, 'tunewire-tokens.json')), false);
    const after = await playlists(red);
    assert.equal(after.status, 200, after.body);
    assert.equal((await accountStatus(red)).state, 'authorized');
    const stored = fs
      .readdirSync(contextDir, { recursive: true })
      .map((f) => path.join(contextDir, String(f)))
      .filter((f) => fs.statSync(f).isFile())
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    assert.match(stored, /tunewire_tokens/, 'the tokens are in the context store');
    for (const secret of [...sim.issuedSecrets().accessTokens, ...sim.issuedSecrets().refreshTokens, 'Demo Listener']) {
      assert.ok(!stored.includes(secret), 'encrypted there, as in the token file');
    }
  });
});
