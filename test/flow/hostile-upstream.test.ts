// A hostile or broken upstream, against real nodes in real Node-RED: `next` links to another host, a proxy in
// front of Spotify whose answers still name api.spotify.com, redirects from the API and the token endpoint,
// and pages that never end. The access token and the user's data never leave the configured hosts, a redirect
// is an error naming where it pointed (a write: not applied), and paging stops at the total or the page cap.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import helper from 'node-red-node-test-helper';
import type { SimulatorOptions } from '../simulator';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { failed, ok, runner } from '../helpers/node-runner';
import { SPOTIFY_ENDPOINTS } from '../../nodes/spotify/endpoints';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import { TokenStore, type StoredTokens } from '../../nodes/spotify/token-store';

/** Another host on 127.0.0.1: records what reaches it (with the Authorization header) and answers 200 JSON,
 *  like a server that would gladly take the token or hand out its own data. */
interface Elsewhere {
  url: string;
  host: string;
  hits: { method: string; path: string; authorization?: string; body: string }[];
  close(): Promise<void>;
}

async function elsewhere(): Promise<Elsewhere> {
  const hits: Elsewhere['hits'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'not-spotify', display_name: 'Elsewhere', snapshot_id: 'elsewhere' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A reverse proxy in front of the simulator that, like real Spotify behind a corporate proxy, names
 *  https://api.spotify.com/v1 in every link it returns. Records the paths it forwarded. */
async function spotifyNamingProxy(): Promise<{ url: string; target: string; paths: string[]; close(): Promise<void> }> {
  const state = { url: '', target: '', paths: [] as string[], close: (): Promise<void> => Promise.resolve() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.paths.push(req.url ?? '');
      const headers = { ...req.headers };
      delete headers.host;
      fetch(`${state.target}${req.url ?? ''}`, {
        method: req.method,
        headers: headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      })
        .then(async (answer) => {
          const text = (await answer.text()).split(`${state.target}/v1`).join(SPOTIFY_ENDPOINTS.apiUrl);
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

interface HostileProxy {
  url: string;
  /** Answers the next request whose path starts with `prefix` itself, the way a broken or hostile upstream would. */
  answerNext(prefix: string, send: (res: http.ServerResponse) => void): void;
  /** Changes the text of the next answer forwarded for a path starting with `prefix`. */
  rewriteNext(prefix: string, change: (text: string) => string): void;
  close(): Promise<void>;
}

/** A proxy in front of the simulator (its API or its accounts service, as `setting` says: every request is
 *  forwarded, its answer handed back) and a test environment reaching it through the proxy, authorized. */
async function behindHostileProxy(
  setting: 'apiUrl' | 'accountsUrl',
  options: SimulatorOptions = {},
): Promise<{ env: TestEnv; proxy: HostileProxy }> {
  let target = '';
  let answer: { prefix: string; send: (res: http.ServerResponse) => void } | undefined;
  let rewrite: { prefix: string; change: (text: string) => string } | undefined;
  const server = http.createServer((req, res) => {
    const where = req.url ?? '';
    if (answer && where.startsWith(answer.prefix)) {
      const { send } = answer;
      answer = undefined;
      req.resume();
      return send(res);
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.host;
      fetch(`${target}${where}`, {
        method: req.method,
        headers: headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      })
        .then(async (forwarded) => {
          let text = await forwarded.text();
          if (rewrite && where.startsWith(rewrite.prefix)) {
            text = rewrite.change(text);
            rewrite = undefined;
          }
          res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const proxy: HostileProxy = {
    url,
    answerNext: (prefix, send) => (answer = { prefix, send }),
    rewriteNext: (prefix, change) => (rewrite = { prefix, change }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const env = await createEnv({ ...options, settings: { [setting]: setting === 'apiUrl' ? `${url}/v1` : url } });
  target = env.sim.url;
  await env.load(flow(env));
  await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  return { env, proxy };
}

const flow = (env: TestEnv): FlowNode[] => [
  env.accountNode(),
  { id: 'artists', type: 'spotify-followed-artists', account: ACCOUNT_ID, output: 'array', wires: [['out']] },
  { id: 'playlists', type: 'spotify-get-playlists', account: ACCOUNT_ID, wires: [['out']] },
  { id: 'add', type: 'spotify-add-tracks', account: ACCOUNT_ID, wires: [['out']] },
  {
    id: 'req',
    type: 'spotify-request',
    account: ACCOUNT_ID,
    method: 'GET',
    path: 'path',
    pathType: 'msg',
    follow: true,
    wires: [['out']],
  },
  { id: 'out', type: 'helper' },
  { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', type: 'helper' },
];

describe('hostile upstream', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let other: Elsewhere;
  const call = runner(() => env);
  const artist = () => {
    const a = env.sim.state.catalog.artist(0);
    return { id: a.id, uri: a.uri, name: a.name, type: 'artist' };
  };
  /** A followed-artists page of one artist whose `next` goes to `next`. */
  const artistsPage = (next: string, total?: number) => ({
    artists: { href: `${env.sim.apiUrl}/me/following`, items: [artist()], limit: 1, next, cursors: { after: 'x', before: null }, total },
  });

  before(async function () {
    other = await elsewhere();
    env = await createEnv({ settings: { maxPages: 40 } });
    await env.load(flow(env));
    await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  });
  after(async function () {
    await env.close();
    await other.close();
  });
  beforeEach(function () {
    other.hits.length = 0; // each test sees only its own requests to the other host
  });
  afterEach(function () {
    env.sim.clearFaults();
  });

  describe('a `next` link to another host', function () {
    it('followed artists refuses it, naming the host; the token never goes there', async function () {
      // A path inside /v1, as Spotify's own links have: only the host tells it apart.
      const next = `${other.url}/v1/me/following?type=artist&after=x&limit=1`;
      env.sim.addFault({ method: 'GET', path: '/me/following', status: 200, body: artistsPage(next, 25), times: 1 });
      const error = failed(await call('artists')).message;
      assert.match(error, new RegExp(`refused to send the access token to ${other.host.replace(/\./g, '\\.')}`));
      assert.deepEqual(other.hits, [], 'nothing reached the other host');
    });

    it('the request node (follow) refuses it the same way, also as a scheme-relative link', async function () {
      for (const next of [`${other.url}/steal`, `//${other.host}/v1/me/following`, `${env.sim.url}/api/token`]) {
        env.sim.addFault({ method: 'GET', path: '/me/following', status: 200, body: artistsPage(next, 25), times: 1 });
        const error = failed(await call('req', { path: '/me/following?type=artist' })).message;
        assert.match(error, /refused to send the access token to 127\.0\.0\.1:\d+: requests go only to the configured Spotify API/, next);
      }
      assert.deepEqual(other.hits, []);
    });
  });

  describe('redirects', function () {
    it('a write answered 302/303/307 is reported as not applied, and nothing is posted elsewhere', async function () {
      const playlist = env.sim.state.playlists.find((p) => p.owner.id === env.sim.state.me.id);
      assert.ok(playlist, 'a playlist of the user');
      const before = playlist.items.length;
      const uris = Array.from({ length: 150 }, (_, i) => env.sim.state.catalog.track(i).uri);
      for (const status of [302, 303, 307]) {
        env.sim.addFault({
          method: 'POST',
          path: /\/items$/,
          status,
          headers: { location: `${other.url}/v1/playlists/x/items` },
          times: 1,
        });
        const out = failed(await call('add', { playlist: playlist.uri, payload: uris }));
        assert.match(
          out.message,
          new RegExp(
            `answered POST /playlists/\\w+/items with a redirect \\(${status} [A-Z][^)]*\\) to ${other.host.replace(/\./g, '\\.')}`,
          ),
        );
        assert.deepEqual([out.spotify.applied, (out.spotify.notApplied as string[]).length, out.spotify.uncertain], [[], 150, []]);
        assert.equal(env.sim.state.playlist(playlist.id)?.items.length, before, 'the playlist holds nothing more');
      }
      assert.deepEqual(other.hits, []);
    });

    it("a GET answered with a redirect is an error naming the host, never the other host's data", async function () {
      env.sim.addFault({ method: 'GET', path: '/me', status: 302, headers: { location: `${other.url}/v1/me` }, times: 1 });
      assert.match(
        failed(await call('req', { path: '/me' })).message,
        new RegExp(`answered GET /me with a redirect \\(302 Found\\) to ${other.host}`),
      );
      assert.deepEqual(other.hits, []);
    });

    it('the token endpoint answering with a redirect is an error naming the host; no code or token goes there', async function () {
      env.sim.expireAccessTokens();
      env.sim.addFault({ method: 'POST', path: '/api/token', status: 307, headers: { location: `${other.url}/api/token` }, times: 1 });
      const error = failed(await call('req', { path: '/me' })).message;
      assert.match(error, new RegExp(`accounts service answered 307 with a redirect to ${other.host}; redirects are not followed`));
      assert.deepEqual(other.hits, []);
      // The next message refreshes normally.
      assert.equal((ok(await call('req', { path: '/me' })).payload as { id: string }).id, env.sim.state.me.id);
    });
  });

  describe('endless pages', function () {
    const endless = (total?: number) => ({
      method: 'GET',
      path: '/me/following',
      status: 200,
      body: artistsPage(`${env.sim.apiUrl}/me/following?type=artist&after=x&limit=1`, total),
    });

    it('followed artists stops at the total Spotify announced', async function () {
      env.sim.addFault(endless(25));
      env.sim.clearRequests();
      const out = ok(await call('artists'));
      assert.deepEqual([(out.payload as unknown[]).length, out.spotify.total], [25, 25]);
      assert.equal(env.sim.count({ path: '/me/following' }), 25);
    });

    it('without a total, the page cap (maxPages) stops it with a clear error', async function () {
      env.sim.addFault(endless(undefined));
      env.sim.clearRequests();
      assert.match(failed(await call('artists')).message, /past the page cap of 40 pages \(runtime setting spotifyAccount\.maxPages\)/);
      assert.equal(env.sim.count({ path: '/me/following' }), 40);
    });

    it('the request node (follow) stops at the total, and at the page cap', async function () {
      env.sim.addFault(endless(25));
      const out = ok(await call('req', { path: '/me/following?type=artist' }));
      assert.equal((out.payload as { artists: { items: unknown[] } }).artists.items.length, 25);
      env.sim.clearFaults();
      env.sim.addFault(endless(undefined));
      env.sim.clearRequests();
      assert.match(failed(await call('req', { path: '/me/following?type=artist' })).message, /past the page cap of 40 pages/);
      assert.equal(env.sim.count({ path: '/me/following' }), 40);
    });

    it('an offset listing whose total needs more pages than the cap fails after one request', async function () {
      const page = {
        href: '',
        items: [null],
        limit: 50,
        offset: 0,
        previous: null,
        next: `${env.sim.apiUrl}/me/playlists?offset=50`,
        total: 1e9,
      };
      env.sim.addFault({ method: 'GET', path: '/me/playlists', status: 200, body: page });
      env.sim.clearRequests();
      assert.match(failed(await call('playlists')).message, /The list needs 20000001 pages past the page cap of 40 pages/);
      assert.equal(env.sim.count({ path: '/me/playlists' }), 1);
    });
  });
});

describe('answers beyond the size and depth bounds', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let api: HostileProxy;
  const call = runner(() => env);
  /** Answers GET /v1/me once with `send`. */
  const meOnce = (send: (res: http.ServerResponse) => void): void => api.answerNext('/v1/me', send);

  before(async function () {
    ({ env, proxy: api } = await behindHostileProxy('apiUrl'));
  });
  after(async function () {
    await env.close();
    await api.close();
  });

  it('a 12 MB answer is refused by its announced length, naming the bound', async function () {
    meOnce((res) => {
      const body = JSON.stringify({ id: 'x'.repeat(12 * 1024 * 1024) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    const error = failed(await call('req', { path: '/me' })).message;
    assert.match(error, /The Spotify API's answer to GET \/me was not read: an answer larger than 10 MiB was refused/);
  });

  it('an endless answer without a length is cut off once past the bound', async function () {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let cutOff: Promise<void> | undefined;
    meOnce((res) => {
      cutOff = new Promise((resolve) => res.once('close', resolve));
      res.writeHead(200, { 'content-type': 'application/json' });
      const more = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', more);
      };
      more();
    });
    const error = failed(await call('req', { path: '/me' })).message;
    assert.match(error, /answer to GET \/me was not read: an answer larger than 10 MiB was refused/);
    await cutOff; // the pack hung up: the answer ended only because of that
  });

  it('a gzip bomb (20 KB that unpack to 20 MB) is refused while it is unpacked', async function () {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    meOnce((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    assert.match(
      failed(await call('req', { path: '/me' })).message,
      /answer to GET \/me was not read: an answer larger than 10 MiB was refused/,
    );
  });

  it('an answer nested 100,000 deep is refused before it is parsed, and the message ends', async function () {
    meOnce((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('['.repeat(100_000) + ']'.repeat(100_000));
    });
    assert.match(
      failed(await call('req', { path: '/me' })).message,
      /answer to GET \/me was not read: an answer nested more than 64 deep was refused/,
    );
  });

  it('a compressed answer within the bounds is read as usual', async function () {
    const me = { id: env.sim.state.me.id, display_name: 'gzip' };
    meOnce((res) => {
      const body = zlib.gzipSync(JSON.stringify(me));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
    });
    assert.deepEqual(ok(await call('req', { path: '/me' })).payload, me);
  });
});

describe('token answers beyond reason', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let accounts: HostileProxy;
  const call = runner(() => env);
  /** What the token file holds for the account now. */
  const stored = async (): Promise<StoredTokens | undefined> =>
    new TokenStore(path.join(env.storeDir, 'tunewire-tokens.json')).get(ACCOUNT_ID, env.storeKey);
  const live = (): string[] => env.sim.liveRefreshTokens().map((t) => t.token);
  /** The next token answer forwarded from the simulator, changed by `change`. */
  const nextTokenAnswer = (change: (answer: Record<string, unknown>) => Record<string, unknown>): void =>
    accounts.rewriteNext('/api/token', (text) => JSON.stringify(change(JSON.parse(text) as Record<string, unknown>)));

  before(async function () {
    // Spotify rotates the refresh token: once it answered, the old one is dead.
    ({ env, proxy: accounts } = await behindHostileProxy('accountsUrl', { rotateRefreshTokens: true }));
  });
  after(async function () {
    await env.close();
    await accounts.close();
  });

  it('an access token of 10,000 characters is refused, naming it; the rotated refresh token in the answer is kept and used next', async function () {
    env.sim.expireAccessTokens();
    nextTokenAnswer((answer) => ({ ...answer, access_token: 'x'.repeat(10_000) }));
    const error = failed(await call('req', { path: '/me' })).message;
    assert.match(
      error,
      /Could not refresh the Spotify access token: Spotify's accounts service answered with an access token that is one of 10000 characters \(at most 4096 taken\); the new refresh token in the answer was kept/,
    );
    const kept = await stored();
    assert.ok(kept && live().includes(kept.refreshToken), 'the token file holds the refresh token Spotify just rotated to');
    assert.ok(kept.accessToken.length < 4096, 'and not the oversized access token');
    assert.equal((ok(await call('req', { path: '/me' })).payload as { id: string }).id, env.sim.state.me.id);
  });

  it('expires_in: 1e308 is taken as a day at most, and the answer (a rotated refresh token) is kept', async function () {
    env.sim.expireAccessTokens();
    nextTokenAnswer((answer) => ({ ...answer, expires_in: 1e308 }));
    assert.equal((ok(await call('req', { path: '/me' })).payload as { id: string }).id, env.sim.state.me.id);
    const kept = await stored();
    assert.ok(kept && live().includes(kept.refreshToken), 'the rotated refresh token is on disk');
    assert.ok(kept.expiresAt <= Date.now() + 86_400_000, `the access token's end is bounded: ${new Date(kept.expiresAt).toISOString()}`);
  });

  it('a token answer larger than 64 KiB is not read, and the authorization stays as it was', async function () {
    env.sim.expireAccessTokens();
    const before = await stored();
    accounts.answerNext('/api/token', (res) => {
      const body = JSON.stringify({ access_token: 'x'.repeat(5_000_000), token_type: 'Bearer', expires_in: 3600 });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    assert.match(
      failed(await call('req', { path: '/me' })).message,
      /Could not refresh the Spotify access token: Spotify's accounts service sent an answer larger than 64 KiB: it was not read/,
    );
    assert.deepEqual(await stored(), before);
    assert.equal((ok(await call('req', { path: '/me' })).payload as { id: string }).id, env.sim.state.me.id);
  });
});

describe('a Retry-After beyond the cap', function () {
  this.timeout(60_000);
  let env: TestEnv;
  const call = runner(() => env);

  before(async function () {
    // Requests wait out at most 1 s of cooldown; a cooldown lasts at most 2 s.
    env = await createEnv({ settings: { maxRetryAfterSeconds: 1, maxCooldownSeconds: 2 } });
    await env.load(flow(env));
    await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  });
  after(async function () {
    await env.close();
  });

  it('Retry-After: 99999999 stops the app for the cap at most; the error names the cap; requests resume by themselves', async function () {
    env.sim.clearRequests();
    env.sim.addFault({ method: 'GET', path: '/me', status: 429, retryAfter: 99_999_999, times: 1 });
    const first = failed(await call('req', { path: '/me' }));
    assert.match(
      first.message,
      /Spotify rate limit: no requests until \d\d:\d\d:\d\d \(in 2 s\), longer than this pack waits\. Spotify asked for 99999999 s, more than the longest cooldown the pack keeps \(2 s, setting spotifyAccount\.maxCooldownSeconds\) — Spotify answered 429 Too Many Requests to GET \/me$/,
    );
    assert.ok(Date.parse(String(first.spotify.retryAt)) <= Date.now() + 2000, `msg.spotify.retryAt ${String(first.spotify.retryAt)}`);
    const status = (await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID, storeKey: env.storeKey })).body as {
      cooldownUntil?: string;
    };
    assert.ok(Date.parse(status.cooldownUntil ?? '') <= Date.now() + 2000, `the account's status: ${String(status.cooldownUntil)}`);
    // Once less than a second is left a message waits it out; until then each one fails fast naming the cap.
    for (;;) {
      const next = await call('req', { path: '/me' });
      if (next.ok) break;
      assert.match(next.message, /more than the longest cooldown the pack keeps \(2 s/);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(env.sim.count({ path: '/me' }), 2, 'the one answered 429, then one after the cooldown');
  });
});

describe('a proxy as the API base', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let proxy: Awaited<ReturnType<typeof spotifyNamingProxy>>;
  const call = runner(() => env);

  before(async function () {
    proxy = await spotifyNamingProxy();
    env = await createEnv({ settings: { apiUrl: `${proxy.url}/v1` }, data: { followedArtists: 120 } });
    proxy.target = env.sim.url;
    await env.load(flow(env));
    await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  });
  after(async function () {
    await env.close();
    await proxy.close();
  });

  it("Spotify's own next links (api.spotify.com) are read through the proxy, in every paging mode", async function () {
    const followed = env.sim.state.library.artists.length;
    proxy.paths.length = 0;
    const artists = ok(await call('artists'));
    assert.equal((artists.payload as unknown[]).length, followed);
    const viaFollow = ok(await call('req', { path: '/me/following?type=artist' }));
    assert.equal((viaFollow.payload as { artists: { items: unknown[] } }).artists.items.length, followed);
    // Page 1 of each, then the later pages through the proxy too (a cursor page is 50 artists).
    const pages = Math.ceil(followed / 50);
    assert.equal(proxy.paths.filter((p) => p.startsWith('/v1/me/following')).length, 2 * pages);
    assert.equal(env.sim.count({ path: '/me/following' }), 2 * pages, 'every page reached Spotify');
  });
});
