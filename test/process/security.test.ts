// Intruders: with adminAuth on, the pack's admin routes answer only to the right editor users, and a read-only
// user changes nothing; without adminAuth, a page on another site cannot drive them through the user's browser;
// bad requests get a 4xx naming the field, never a 500; the open OAuth callback does nothing without a live,
// single-use, unexpired state; and what Spotify says about the user (a display name with markup in it) stays
// data: JSON in the status route, never in the callback page, and shown with .text() by the editor. A page that
// names its own host in X-Forwarded-Host passes for the editor only behind a proxy Node-RED was told to trust.
// Each admin action writes an audit event naming the editor user, with no secret in it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type Simulator } from '../simulator';
import {
  RedSession,
  SESSION_ACCOUNT,
  SESSION_CLIENT_ID,
  SESSION_CLIENT_SECRET,
  editorTokens,
  twoEditorUsers,
} from '../support/red-session';
import { CRASH_PATTERNS } from '../support/process-watch';
import { BUILD_ROOT, PACKAGE_ROOT } from '../support/node-red-process';
import { AuthorizationFlows } from '../../nodes/spotify/authorization-flow';
import { tokenStoreAt } from '../../nodes/spotify/account';
import { MAX_ACCOUNT_ID_CHARS, newStoreKey } from '../../nodes/spotify/token-store';

const MARKUP_NAME = '<img src=x onerror="alert(document.cookie)"><script>alert(1)</script>Eve & "Mallory"';
const WRITE_ROUTES = ['/tunewire/authorize', '/tunewire/authorize/complete', '/tunewire/clear'];
const ALL_ROUTES = [...WRITE_ROUTES, '/tunewire/status'];
/** Every route that refuses another site: the authorization's, the pickers', run once. */
const GUARDED_ROUTES = [...ALL_ROUTES, '/tunewire/pick/playlists', '/tunewire/pick/devices', '/tunewire/pick/search', '/tunewire/run/get'];

describe('intruders', function () {
  this.timeout(120_000);

  describe('adminAuth on, in a real Node-RED process', function () {
    let s: RedSession;
    let admin: string;
    let reader: string;

    before(async function () {
      s = await RedSession.start({
        flows: (sim) => [
          inject('i-forbidden', 'forbidden', sim.state.playlists.find((p) => p.owner.id !== sim.state.me.id && !p.collaborative)?.id),
          { id: 'forbidden', type: 'spotify-add-tracks', account: SESSION_ACCOUNT, wires: [[]] },
          inject('i-get', 'get'),
          { id: 'get', type: 'spotify-get-playlists', account: SESSION_ACCOUNT, limit: '1', limitType: 'num', wires: [[]] },
        ],
        // Audit events on, as an operator who wants to know who did what turns them on.
        settings: { ...twoEditorUsers(), logging: { console: { level: 'info', metrics: false, audit: true } } },
      });
      ({ admin, reader } = await editorTokens(s.url));
    });
    after(async function () {
      const log = s?.red.log ?? '';
      await s?.stop();
      assert.doesNotMatch(log, CRASH_PATTERNS, 'Node-RED logged no crash');
    });

    const body = (route: string): Record<string, unknown> =>
      route.endsWith('/complete')
        ? { url: `http://127.0.0.1/tunewire/callback?code=x&state=y` }
        : { accountId: SESSION_ACCOUNT, clientId: SESSION_CLIENT_ID, scopes: [], redirectUri: 'http://127.0.0.1:1880/tunewire/callback' };

    it('refuses every pack route without a token, or with a forged one', async function () {
      for (const route of ALL_ROUTES) {
        const none = await s.call('POST', route, body(route));
        assert.equal(none.status, 401, `${route} without a token`);
        const forged = await s.call('POST', route, body(route), 'x'.repeat(86));
        assert.equal(forged.status, 401, `${route} with a made-up token`);
      }
      // Refused before anything happened: no authorization was started, nothing reached Spotify.
      assert.equal(s.sim.count({ kind: 'accounts' }), 0);
    });

    it('refuses the write routes to a read-only user, who may read the status', async function () {
      for (const route of WRITE_ROUTES) {
        const res = await s.call('POST', route, body(route), reader);
        assert.equal(res.status, 401, `${route} as reader`);
      }
      const status = await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT }, reader);
      assert.equal(status.status, 200);
      assert.equal((status.json as { state: string }).state, 'not_authorized');
    });

    it('a read-only user reads the status with or without a store key, and changes nothing', async function () {
      await s.authorize(admin);
      await s.listen(admin);
      await s.inject('i-forbidden', admin); // a write to someone else's playlist: 403, a red status
      const red = await waitFor(() => statusesOf(s, 'forbidden').find((st) => st.fill === 'red'));
      assert.match(String(red.text), /not allowed by Spotify/);
      const before = statusesOf(s, 'forbidden').length;
      const storeFile = path.join(s.userDir, 'tunewire-tokens.json');
      const fileBefore = fs.readFileSync(storeFile, 'utf8');

      for (const storeKey of [undefined, s.storeKey, newStoreKey(), 'short', 42]) {
        const res = await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT, storeKey }, reader);
        assert.equal(res.status, 200, `store key ${String(storeKey)}: ${res.text}`);
        const expected = storeKey === undefined || storeKey === s.storeKey || storeKey === 42 ? 'authorized' : 'not_authorized';
        assert.equal((res.json as { state: string }).state, expected, `store key ${String(storeKey)}`);
      }
      // A later status of another node marks the point by which any status from those reads would have arrived.
      await s.inject('i-get', admin);
      await waitFor(() => statusesOf(s, 'get').find((st) => st.fill === 'green'));
      assert.equal(statusesOf(s, 'forbidden').length, before, 'the red status of the failed node was left alone');
      assert.equal(fs.readFileSync(storeFile, 'utf8'), fileBefore, 'the token file is untouched');
    });

    it('answers ids over the store limit, and malformed ones, with 400 naming the field', async function () {
      for (const route of ALL_ROUTES.filter((r) => !r.endsWith('/complete'))) {
        for (const accountId of ['x'.repeat(MAX_ACCOUNT_ID_CHARS + 1), 'x'.repeat(300), 'x'.repeat(600), '', 7]) {
          const res = await s.call('POST', route, { ...body(route), accountId }, admin);
          assert.equal(res.status, 400, `${route} with a ${String(accountId).length}-character id: ${res.text}`);
          assert.match(String((res.json as { error: string }).error), /^accountId: expected the config node id \(1 to 200 characters\)/);
        }
        const longest = await s.call(
          'POST',
          route,
          { ...body(route), accountId: 'x'.repeat(MAX_ACCOUNT_ID_CHARS), storeKey: newStoreKey() },
          admin,
        );
        assert.equal(longest.status, 200, `${route} with the longest id: ${longest.text}`);
      }
    });

    it("accepts an admin's bearer token on every route", async function () {
      const start = await s.call('POST', '/tunewire/authorize', body('/tunewire/authorize'), admin);
      assert.equal(start.status, 200, start.text);
      assert.match(String((start.json as { authorizeUrl: string }).authorizeUrl), /\/authorize\?/);
      const complete = await s.call('POST', '/tunewire/authorize/complete', body('/tunewire/authorize/complete'), admin);
      assert.equal(complete.status, 400, 'past the permission check, refused for its unknown state');
      assert.match(String((complete.json as { error: string }).error), /unknown, was already used, or has expired/);
      const status = await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT }, admin);
      assert.equal(status.status, 200);
      const clear = await s.call('POST', '/tunewire/clear', { accountId: SESSION_ACCOUNT }, admin);
      assert.equal(clear.status, 200);
    });

    it('writes an audit event naming the editor user for each admin action, with no secret in it', async function () {
      // A first event marks where this test's begin: the log reaches this process a little after each answer.
      const marker = 'audit-marker';
      assert.equal((await s.call('POST', '/tunewire/pick/devices', { accountId: marker }, reader)).status, 403);
      const { location } = await s.authorize(admin);
      const pasted = await s.call('POST', '/tunewire/authorize/complete', { url: location }, admin); // already used
      assert.equal(pasted.status, 400);
      assert.equal((await s.call('POST', '/tunewire/pick/playlists', { accountId: SESSION_ACCOUNT }, admin)).status, 200);
      assert.equal((await s.call('POST', '/tunewire/pick/devices', { accountId: SESSION_ACCOUNT }, reader)).status, 403);
      assert.equal((await s.call('POST', '/tunewire/run/get', {}, admin)).status, 200);
      assert.equal((await s.call('POST', '/tunewire/clear', { accountId: SESSION_ACCOUNT }, admin)).status, 200);

      const expected = [
        { event: 'tunewire.authorize.start', account: SESSION_ACCOUNT, status: 200, user: 'admin' },
        { event: 'tunewire.authorize.complete', account: SESSION_ACCOUNT, status: 200, user: undefined }, // the callback
        { event: 'tunewire.authorize.complete', status: 400, user: 'admin' }, // pasted again: its state is used up
        { event: 'tunewire.pick.playlists', account: SESSION_ACCOUNT, status: 200, user: 'admin' },
        { event: 'tunewire.pick.devices', account: SESSION_ACCOUNT, status: 403, user: 'reader' },
        { event: 'tunewire.run', node: 'get', status: 200, user: 'admin' },
        { event: 'tunewire.token.clear', account: SESSION_ACCOUNT, status: 200, user: 'admin' },
      ];
      const events = await waitFor(() => {
        const found = auditEvents(s.red.log).filter((e) => String(e.event).startsWith('tunewire.'));
        const start = found.findIndex((e) => e.account === marker);
        const mine = start === -1 ? [] : found.slice(start + 1);
        return mine.length >= expected.length ? mine : undefined;
      });
      assert.deepEqual(
        events.map((e) => ({
          event: e.event,
          ...(e.account === undefined ? {} : { account: e.account }),
          ...(e.node === undefined ? {} : { node: e.node }),
          status: e.status,
          user: e.user?.username,
        })),
        expected,
      );
      assert.ok(
        events.every((e) => typeof e.path === 'string' && e.path.startsWith('/tunewire/')),
        'with the path, as core writes it',
      );

      const issued = s.sim.issuedSecrets();
      const secrets = [
        SESSION_CLIENT_SECRET,
        s.storeKey,
        ...issued.codes,
        ...issued.accessTokens,
        ...issued.refreshTokens,
        String(new URL(location).searchParams.get('state')),
      ];
      const lines = s.red.log.split('\n').filter((l) => l.includes('[audit]'));
      assert.deepEqual(
        secrets.filter((secret) => lines.some((l) => l.includes(secret))),
        [],
        'no secret in an audit line',
      );
    });

    it('the open callback refuses unknown, repeated and reused state with a static no-store page', async function () {
      for (const query of ['?code=abc&state=made-up', '?state=a&state=b&code=c', '?code[]=1&state[x]=2', '?error=access_denied', '']) {
        const res = await fetch(`${s.url}/tunewire/callback${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.headers.get('cache-control'), 'no-store');
        const page = await res.text();
        assert.ok(!page.includes('made-up') && !page.includes('access_denied'), 'nothing from the request is echoed');
      }
      const first = await s.authorize(admin);
      assert.equal(first.callbackStatus, 200);
      assert.equal(first.callbackHeaders.get('cache-control'), 'no-store');
      assert.match(String(first.callbackHeaders.get('content-security-policy')), /default-src 'none'/);
      // The same callback address again (a replayed or leaked redirect): the state worked once.
      const replay = s.sim.requests.length; // nothing new may reach Spotify's token endpoint either
      const again = await fetch(first.location);
      assert.equal(again.status, 400);
      assert.equal(s.sim.requests.slice(replay).filter((r) => r.path === '/api/token').length, 0);
    });

    it('a display name with markup stays data: JSON in the status route, absent from the callback page', async function () {
      s.sim.setDisplayName(MARKUP_NAME);
      const done = await s.authorize(admin);
      assert.equal(done.callbackStatus, 200);
      for (const piece of ['<img', 'alert(', 'Eve', 'Mallory', 'onerror'])
        assert.ok(!done.callbackPage.includes(piece), `callback page contains ${piece}`);
      // Its one script is the pack's own (the popup closes itself), and the page's policy lets only that one run.
      const scripts = [...done.callbackPage.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
      assert.deepEqual(scripts, ['window.close();']);
      const hash = createHash('sha256').update(scripts[0]).digest('base64');
      assert.equal(
        done.callbackHeaders.get('content-security-policy'),
        `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'`,
      );
      assert.equal(done.callbackHeaders.get('x-content-type-options'), 'nosniff');
      const status = await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT }, reader);
      assert.equal(status.status, 200);
      assert.match(String(status.headers.get('content-type')), /^application\/json/);
      assert.equal((status.json as { displayName: string }).displayName, MARKUP_NAME, 'the exact name, as a JSON string');
    });
  });

  describe("without adminAuth (Node-RED's default), in a real Node-RED process", function () {
    let s: RedSession;
    const statusOf = async (): Promise<string> =>
      ((await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT })).json as { state: string }).state;

    before(async function () {
      s = await RedSession.start();
    });
    after(async function () {
      const log = s?.red.log ?? '';
      await s?.stop();
      assert.doesNotMatch(log, CRASH_PATTERNS, 'Node-RED logged no crash');
    });

    /** What a page on another site can make the browser send with no CORS preflight: a form or a plain fetch. */
    const simpleBodies: [string, string][] = [
      ['application/x-www-form-urlencoded', `accountId=${SESSION_ACCOUNT}`],
      ['text/plain', JSON.stringify({ accountId: SESSION_ACCOUNT })],
      ['multipart/form-data; boundary=b', `--b\r\nContent-Disposition: form-data; name="accountId"\r\n\r\n${SESSION_ACCOUNT}\r\n--b--\r\n`],
    ];

    it('refuses what a cross-site page can send, so Clear Token and Authorize Access cannot be driven from it', async function () {
      assert.equal((await s.authorize()).callbackStatus, 200, 'a navigation from Spotify to the callback still works');
      assert.equal(await statusOf(), 'authorized');
      const tokenRequests = s.sim.count({ path: '/api/token' });
      for (const route of ALL_ROUTES) {
        for (const [type, payload] of simpleBodies) {
          const res = await fetch(`${s.url}${route}`, {
            method: 'POST',
            headers: { 'content-type': type, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
            body: payload,
          });
          assert.equal(res.status, 403, `${route} as ${type} from another site`);
          // Without Origin (an old browser, a privacy extension) the body type alone refuses it.
          const bare = await fetch(`${s.url}${route}`, { method: 'POST', headers: { 'content-type': type }, body: payload });
          assert.equal(bare.status, 415, `${route} as ${type}`);
          assert.match(String(((await bare.json()) as { error: string }).error), /only application\/json/);
        }
        // JSON needs a CORS preflight, which Node-RED refuses by default; a foreign Origin is refused anyway.
        for (const headers of [
          { origin: 'https://evil.example' },
          { origin: 'null' },
          { 'sec-fetch-site': 'cross-site' },
          { 'sec-fetch-site': 'same-site' },
        ] as Record<string, string>[]) {
          const res = await fetch(`${s.url}${route}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ accountId: SESSION_ACCOUNT, clientId: SESSION_CLIENT_ID, redirectUri: `${s.url}/tunewire/callback` }),
          });
          assert.equal(res.status, 403, `${route} with ${JSON.stringify(headers)}`);
          assert.match(String(((await res.json()) as { error: string }).error), /another site/);
        }
      }
      assert.equal(await statusOf(), 'authorized', 'the authorization is still there');
      assert.equal(s.sim.count({ path: '/api/token' }), tokenRequests, 'nothing reached Spotify');

      // The editor itself: JSON, from its own origin (as a browser labels it), works.
      const own = await fetch(`${s.url}/tunewire/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=UTF-8', origin: s.url, 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ accountId: SESSION_ACCOUNT }),
      });
      assert.equal(own.status, 200);
      const clear = await s.call('POST', '/tunewire/clear', { accountId: SESSION_ACCOUNT });
      assert.equal(clear.status, 200);
      assert.equal(await statusOf(), 'not_authorized');
    });

    it('refuses a page that names its own host in X-Forwarded-Host: no proxy is trusted', async function () {
      for (const route of GUARDED_ROUTES) {
        for (const forwarded of ['evil.example', `evil.example, 127.0.0.1:${s.red.port}`]) {
          const res = await fetch(`${s.url}${route}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'x-forwarded-host': forwarded },
            body: JSON.stringify({ accountId: SESSION_ACCOUNT, q: 'x', type: 'track' }),
          });
          assert.equal(res.status, 403, `${route} with X-Forwarded-Host ${forwarded}`);
          assert.match(String(((await res.json()) as { error: string }).error), /another site \(https:\/\/evil\.example\)/);
        }
      }
    });

    it('the callback still works as a cross-site navigation from Spotify', async function () {
      const start = await s.call('POST', '/tunewire/authorize', {
        accountId: SESSION_ACCOUNT,
        clientId: SESSION_CLIENT_ID,
        scopes: [],
        redirectUri: `${s.url}/tunewire/callback`,
      });
      const location = await s.sim.consent((start.json as { authorizeUrl: string }).authorizeUrl, 'approve');
      const page = await fetch(location, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
      assert.equal(page.status, 200);
      assert.equal(await statusOf(), 'authorized');
    });
  });

  describe("behind a reverse proxy Node-RED trusts (httpServerOptions 'trust proxy')", function () {
    let s: RedSession;
    before(async function () {
      s = await RedSession.start({ settings: { httpServerOptions: { 'trust proxy': 'loopback' } } });
    });
    after(async function () {
      const log = s?.red.log ?? '';
      await s?.stop();
      assert.doesNotMatch(log, CRASH_PATTERNS, 'Node-RED logged no crash');
    });

    const statusFrom = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${s.url}/tunewire/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ accountId: SESSION_ACCOUNT }),
      });

    it("takes the host the proxy forwarded as the editor's, and still refuses another site", async function () {
      // The editor at https://red.example.org, reached through a proxy on this machine.
      const own = await statusFrom({
        origin: 'https://red.example.org',
        'x-forwarded-host': 'red.example.org',
        'x-forwarded-proto': 'https',
      });
      assert.equal(own.status, 200, await own.clone().text());
      assert.equal(((await own.json()) as { state: string }).state, 'not_authorized');
      const foreign = await statusFrom({ origin: 'https://evil.example', 'x-forwarded-host': 'red.example.org' });
      assert.equal(foreign.status, 403);
      const direct = await statusFrom({ origin: 'https://evil.example' });
      assert.equal(direct.status, 403);
    });
  });

  describe('the callback state', function () {
    let sim: Simulator;
    let dir: string;
    beforeEach(async function () {
      sim = await startSimulator({
        apps: [{ clientId: 'sim-client-id', clientSecret: 'sim-client-secret', redirectUris: ['http://127.0.0.1:1880/tunewire/callback'] }],
      });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-state-'));
    });
    afterEach(async function () {
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    function flowsAt(clock: { now: number }, ttlMs = 60_000): { flows: AuthorizationFlows; begin: () => Promise<URL> } {
      const flows = new AuthorizationFlows({ store: () => tokenStoreAt(path.join(dir, 'tokens.json')), now: () => clock.now, ttlMs });
      return {
        flows,
        async begin() {
          const { authorizeUrl } = flows.start({
            accountId: 'acc',
            clientId: 'sim-client-id',
            clientSecret: 'sim-client-secret',
            storeKey: newStoreKey(),
            scopes: ['user-read-private'],
            redirectUri: 'http://127.0.0.1:1880/tunewire/callback',
            endpoints: { accountsUrl: sim.url, apiUrl: sim.apiUrl },
          });
          return new URL(await sim.consent(authorizeUrl, 'approve'));
        },
      };
    }
    const query = (u: URL) => ({ code: u.searchParams.get('code') ?? undefined, state: u.searchParams.get('state') ?? undefined });

    it('refuses an expired state without exchanging the code, and forgets it', async function () {
      const clock = { now: 1_000_000 };
      const { flows, begin } = flowsAt(clock);
      const back = await begin();
      clock.now += 60_000; // exactly the lifetime: expired
      await assert.rejects(flows.complete(query(back)), /has expired: start again/);
      assert.equal(sim.count({ path: '/api/token' }), 0, 'the code was never sent to Spotify');
      await assert.rejects(flows.complete(query(back)), /unknown, was already used, or has expired/, 'and it is gone');
    });

    it('accepts a state just inside its lifetime, once', async function () {
      const clock = { now: 5_000_000 };
      const { flows, begin } = flowsAt(clock);
      const back = await begin();
      clock.now += 59_999;
      const result = await flows.complete(query(back));
      assert.equal(result.displayName, 'Demo Listener');
      await assert.rejects(flows.complete(query(back)), /unknown, was already used/);
      assert.equal(sim.count({ path: '/api/token' }), 1);
    });

    it('refuses unknown and near-miss states, and states of the wrong type', async function () {
      const clock = { now: 0 };
      const { flows, begin } = flowsAt(clock);
      const back = await begin();
      const state = String(back.searchParams.get('state'));
      assert.ok(state.length >= 43, 'at least 256 bits');
      for (const bad of [
        state.slice(0, -1),
        `${state}A`,
        state.toUpperCase(),
        '',
        'undefined',
        [state],
        { toString: () => state },
        undefined,
      ]) {
        await assert.rejects(
          flows.complete({ code: back.searchParams.get('code'), state: bad }),
          /unknown, was already used, or has expired/,
        );
      }
      assert.equal(sim.count({ path: '/api/token' }), 0);
      // The real one still works: failed guesses do not consume it.
      await flows.complete(query(back));
    });

    it('expired states are pruned when new ones start', async function () {
      const clock = { now: 0 };
      const { flows, begin } = flowsAt(clock, 1000);
      const old = await begin();
      clock.now += 1000;
      await begin();
      await assert.rejects(flows.complete(query(old)), /unknown, was already used, or has expired/);
    });
  });

  describe('the editor code', function () {
    const htmlFiles = (): string[] =>
      fs
        .readdirSync(path.join(BUILD_ROOT, 'nodes'))
        .filter((f) => f.endsWith('.html'))
        .map((f) => path.join(BUILD_ROOT, 'nodes', f));
    /** The editor's TypeScript sources (editor/, bundled into resources/editor.js). */
    const editorSources = (dir = path.join(PACKAGE_ROOT, 'editor')): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return editorSources(full);
        return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
      });

    it('shows the authorization status, with provider data in it, through .text()', function () {
      const source = fs.readFileSync(path.join(PACKAGE_ROOT, 'editor', 'account', 'dialog.ts'), 'utf8');
      const show = /function show\(kind: StatusKind, text: string\): void \{([\s\S]*?)\n\}/.exec(source);
      assert.ok(show, 'the status display function is there');
      assert.match(show[1], /\.text\(text\)/);
      assert.match(source, /ev\.displayName/, 'the display name reaches show() through the message catalog');
    });

    it('never turns data into markup in any node editor', function () {
      // The rules catch what they are meant to catch …
      const bad = [
        '$s.html(name)',
        'el.innerHTML = x',
        "$row.append('<b>' + name + '</b>')",
        "$('<span>' + name)",
        '$(`<i>${name}</i>`)',
        'RED.notify(xhr.responseText)',
      ];
      assert.deepEqual(
        bad.map((b) => markupProblems(b).length),
        bad.map(() => 1),
      );
      assert.deepEqual(
        markupProblems("$s.text(name); $('<div class=\"x\"></div>').text(name); RED.notify(t('status.copied')); $x.html('')"),
        [],
      );
      // … and find nothing in the editors: the scripts left in the nodes' .html, and the editor's sources.
      const inline = htmlFiles().flatMap((file) => {
        const scripts = [...fs.readFileSync(file, 'utf8').matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)]
          .map((m) => m[1])
          .join('\n');
        return markupProblems(scripts).map((p) => `${path.basename(file)}: ${p}`);
      });
      const sources = editorSources();
      assert.ok(sources.length > 10, 'the editor sources are found');
      const bundled = sources.flatMap((file) =>
        markupProblems(fs.readFileSync(file, 'utf8')).map((p) => `${path.relative(PACKAGE_ROOT, file)}: ${p}`),
      );
      assert.deepEqual([...inline, ...bundled], []);
    });
  });
});

/** Places in editor code where a value could become markup instead of text. */
function markupProblems(scripts: string): string[] {
  const rules: [RegExp, string][] = [
    [/\.html\(\s*(?!\s*\)|'[^'+]*'\s*\)|"[^"+]*"\s*\))/g, '.html() with a non-literal argument'],
    [/innerHTML|outerHTML|insertAdjacentHTML|document\.write/g, 'raw HTML assignment'],
    [/\.(?:append|prepend|after|before|replaceWith|wrap)\(\s*['"`][^'"`]*<[^)]*\+/g, 'markup built by concatenation'],
    [/\$\(\s*['"`][^'"`]*<[^'"`]*['"`]\s*\+/g, 'markup built by concatenation'],
    [/\$\(\s*`[^`]*\$\{/g, 'markup from a template literal'],
    [/RED\.notify\(\s*(?!(?:t|accountText|node\._|RED\._|this\._)\()/g, 'RED.notify renders HTML: only catalog text may go there'],
  ];
  return rules.flatMap(([re, what]) => [...scripts.matchAll(re)].map((m) => `${what}: ${m[0].slice(0, 60)}`));
}

function inject(id: string, target: string, playlist?: string): Record<string, unknown> {
  return {
    id,
    type: 'inject',
    props: [{ p: 'payload' }, ...(playlist ? [{ p: 'playlist', v: playlist, vt: 'str' }] : [])],
    payload: '["spotify:track:4iV5W9uYEdYUVa79Axb7Rh"]',
    payloadType: 'json',
    repeat: '',
    once: false,
    wires: [[target]],
  };
}

/** The statuses one node showed, in order, as the editor received them. */
function statusesOf(s: RedSession, nodeId: string): { fill?: string; text?: string }[] {
  return s.comms.filter((e) => e.topic === `status/${nodeId}`).map((e) => e.data as { fill?: string; text?: string });
}

/** Polls until `get` returns something (no fixed sleep: a busy machine only makes it take longer). */
async function waitFor<T>(get: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface AuditEntry {
  event?: string;
  account?: string;
  node?: string;
  status?: number;
  path?: string;
  user?: { username?: string };
}

/** The audit events in Node-RED's console log: lines `… - [audit] {json}`. */
function auditEvents(log: string): AuditEntry[] {
  return log
    .split('\n')
    .map((line) => /\[audit\] (\{.*\})\s*$/.exec(line)?.[1])
    .filter((json): json is string => json !== undefined)
    .map((json) => JSON.parse(json) as AuditEntry);
}
