// Intruders: with adminAuth on, the pack's admin routes answer only to the right editor users; the open OAuth
// callback does nothing without a live, single-use, unexpired state; and what Spotify says about the user
// (a display name with markup in it) stays data: JSON in the status route, never in the callback page, and
// shown with .text() by the editor.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type Simulator } from './simulator';
import { RedSession, SESSION_ACCOUNT, SESSION_CLIENT_ID, adminToken, bcryptHash } from './support/red-session';
import { CRASH_PATTERNS } from './support/process-watch';
import { BUILD_ROOT } from './support/node-red-process';
import { AuthorizationFlows } from '../nodes/spotify/authorization-flow';
import { tokenStoreAt } from '../nodes/spotify/account';
import { newStoreKey } from '../nodes/spotify/token-store';

const MARKUP_NAME = '<img src=x onerror="alert(document.cookie)"><script>alert(1)</script>Eve & "Mallory"';
const WRITE_ROUTES = ['/tunewire/authorize', '/tunewire/authorize/complete', '/tunewire/clear'];
const ALL_ROUTES = [...WRITE_ROUTES, '/tunewire/status'];

describe('intruders', function () {
  this.timeout(120_000);

  describe('adminAuth on, in a real Node-RED process', function () {
    let s: RedSession;
    let admin: string;
    let reader: string;

    before(async function () {
      s = await RedSession.start({
        settings: {
          adminAuth: {
            type: 'credentials',
            users: [
              { username: 'admin', password: bcryptHash('admin-pass-7'), permissions: '*' },
              { username: 'reader', password: bcryptHash('reader-pass-7'), permissions: 'read' },
            ],
          },
        },
      });
      admin = await adminToken(s.url, 'admin', 'admin-pass-7');
      reader = await adminToken(s.url, 'reader', 'reader-pass-7', 'read');
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
      for (const piece of ['<img', '<script', 'Eve', 'Mallory', 'onerror'])
        assert.ok(!done.callbackPage.includes(piece), `callback page contains ${piece}`);
      assert.equal(done.callbackHeaders.get('x-content-type-options'), 'nosniff');
      const status = await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT }, reader);
      assert.equal(status.status, 200);
      assert.match(String(status.headers.get('content-type')), /^application\/json/);
      assert.equal((status.json as { displayName: string }).displayName, MARKUP_NAME, 'the exact name, as a JSON string');
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

    it('shows the authorization status, with provider data in it, through .text()', function () {
      const html = fs.readFileSync(path.join(BUILD_ROOT, 'nodes', 'account.html'), 'utf8');
      const show = /function show\(kind, text\) \{([\s\S]*?)\n {8}\}/.exec(html);
      assert.ok(show, 'the status display function is there');
      assert.match(show[1], /\$s\.text\(text\)/);
      assert.match(html, /ev\.displayName/, 'the display name reaches show() through the message catalog');
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
      // … and find nothing in the editors.
      const problems = htmlFiles().flatMap((file) => {
        const scripts = [...fs.readFileSync(file, 'utf8').matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)]
          .map((m) => m[1])
          .join('\n');
        return markupProblems(scripts).map((p) => `${path.basename(file)}: ${p}`);
      });
      assert.deepEqual(problems, []);
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
    [/RED\.notify\(\s*(?!(?:t|node\._|RED\._|this\._)\()/g, 'RED.notify renders HTML: only catalog text may go there'],
  ];
  return rules.flatMap(([re, what]) => [...scripts.matchAll(re)].map((m) => `${what}: ${m[0].slice(0, 60)}`));
}
