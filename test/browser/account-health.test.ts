// The account's health where the user looks, in a real editor: the account dialog shows the scopes granted beside
// the ones its nodes need (a missing one added with one click), the consent and the date Spotify stops accepting
// it, the app's rate-limit cooldown and the requests of the last hour; every node dialog says in one line how
// its account stands; Clear Token asks first; a Retry-After wait shows under the node until when; an error with
// no Catch node reads as whole text in Debug.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { refreshTokenExpiry } from '../../nodes/spotify/consent';
import { newStoreKey } from '../../nodes/spotify/token-store';
import {
  CLIENT_SECRET,
  CLIENT_ID,
  authorizeByApi,
  clickNodeButton,
  closeTray,
  DebugLog,
  openAccountDialog,
  saveScreenshot,
  screenshotOnFailure,
  showDebugSidebar,
  startEditorEnv,
  statusLabel,
  type EditorEnv,
} from './harness';

const STATUS = '#node-config-tunewire-status';
// Stored in an order other than the dialog's list: an untouched dialog must save it as it is.
const TICKED = 'user-read-private playlist-read-private';

describe('browser: the account health', function () {
  this.timeout(60_000);
  let env: EditorEnv;
  let page: Page;
  let log: DebugLog;
  const storeKey = newStoreKey();

  before(async function () {
    this.timeout(90_000);
    env = await startEditorEnv({
      flows: [
        { id: 'tab1', type: 'tab', label: 'Flow 1' },
        { id: 'acc1', type: 'spotify-account', name: 'Simulator', clientId: CLIENT_ID, scopes: TICKED, redirectUri: '' },
        {
          id: 'in1',
          type: 'inject',
          z: 'tab1',
          name: 'go',
          props: [],
          repeat: '',
          once: false,
          topic: '',
          x: 120,
          y: 80,
          wires: [['get1']],
        },
        {
          id: 'get1',
          type: 'spotify-get-playlists',
          z: 'tab1',
          name: '',
          account: 'acc1',
          limit: '3',
          limitType: 'num',
          output: 'array',
          x: 320,
          y: 80,
          wires: [['out1']],
        },
        {
          id: 'out1',
          type: 'debug',
          z: 'tab1',
          name: 'playlists',
          active: true,
          tosidebar: true,
          complete: 'payload',
          targetType: 'msg',
          x: 520,
          y: 80,
          wires: [],
        },
        // Needs user-top-read, which the authorization below lacks.
        { id: 'top1', type: 'spotify-top-items', z: 'tab1', name: '', account: 'acc1', x: 320, y: 160, wires: [[]] },
      ],
      credentials: { acc1: { clientSecret: CLIENT_SECRET, storeKey } },
    });
    page = env.page;
    await authorizeByApi(env, 'acc1', storeKey, TICKED.split(' '));
    log = new DebugLog(page);
    await showDebugSidebar(page);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  async function text(selector: string): Promise<string> {
    return ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  it('opening the account and pressing Update changes nothing', async function () {
    await openAccountDialog(page, 'acc1');
    await closeTray(page, 'ok', true);
    const after = await page.evaluate(() => {
      const RED = (window as unknown as { RED: { nodes: { node(id: string): { scopes: string; changed?: boolean }; dirty(): boolean } } })
        .RED;
      const n = RED.nodes.node('acc1');
      return { scopes: n.scopes, changed: !!n.changed, dirty: RED.nodes.dirty() };
    });
    assert.deepEqual(after, { scopes: TICKED, changed: false, dirty: false });
  });

  it('while a Retry-After is waited out, the status under the node says when it resumes; then the result comes', async function () {
    await log.poll(); // what came before is not this test's
    // Every text the status under the node shows, recorded as it changes: the wait is short, the check is not.
    await page.evaluate((id) => {
      const w = window as unknown as { tunewireStatuses: string[] };
      w.tunewireStatuses = [];
      const group = document.querySelector(`g.red-ui-flow-node-group[id="${id}"]`);
      if (!group) return;
      const record = (): void => {
        const t = (group.querySelector('.red-ui-flow-node-status-label')?.textContent ?? '').trim();
        if (t && w.tunewireStatuses[w.tunewireStatuses.length - 1] !== t) w.tunewireStatuses.push(t);
      };
      new MutationObserver(record).observe(group, { subtree: true, childList: true, characterData: true, attributes: true });
    }, 'get1');
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 3, times: 1 });
    const outputs = (): Promise<number> => page.locator('.red-ui-debug-msg-node-out1').count();
    const before = await outputs();
    await clickNodeButton(page, 'in1');
    await page.waitForFunction((n) => document.querySelectorAll('.red-ui-debug-msg-node-out1').length > n, before);
    const shown = await page.evaluate(() => (window as unknown as { tunewireStatuses: string[] }).tunewireStatuses);
    assert.ok(
      shown.some((t) => /^waiting until \d\d:\d\d:\d\d$/.test(t)),
      `the status said until when it waits: ${JSON.stringify(shown)}`,
    );
    assert.match(shown[shown.length - 1], /3 playlists/, `then the result: ${JSON.stringify(shown)}`);
    const entries = (await log.poll()).filter((e) => e.node === 'get1' || e.node === 'out1');
    assert.deepEqual(
      entries.map((e) => e.node),
      ['out1'],
      'the playlists, and no error: the wait was waited out',
    );
  });

  it('a fail-fast 429 with no Catch node reads as whole text in the Debug sidebar', async function () {
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 3600, times: 1 });
    await clickNodeButton(page, 'in1');
    await statusLabel(page, 'get1')
      .filter({ hasText: /^rate limited until \d\d:\d\d:\d\d$/ })
      .waitFor();
    await page.locator('.red-ui-debug-msg-node-get1').first().waitFor();
    const entries = (await log.poll()).filter((e) => e.node === 'get1');
    assert.equal(entries.length, 1);
    // All of it, up to the request it was about: no collapsed object to open, nothing cut.
    assert.match(
      entries[0].text,
      /Spotify rate limit: no requests until \d\d:\d\d:\d\d \(in \d+ s\), longer than this pack waits — Spotify answered 429 Too Many Requests to GET \/me\/playlists/,
    );
  });

  it('the account dialog shows scopes granted and needed, the consent and its end, the cooldown and the request count', async function () {
    await openAccountDialog(page, 'acc1');
    await page.locator('#node-config-tunewire-health').waitFor();
    assert.equal(await text(STATUS), 'Authorized as Demo Listener');
    assert.equal(await text('#node-config-tunewire-granted'), 'Scopes granted: user-read-private, playlist-read-private');
    const needed = await text('#node-config-tunewire-needed');
    assert.ok(needed.includes('playlist-read-private') && needed.includes('user-top-read'), needed);
    assert.equal(await text('#node-config-tunewire-missing .tunewire-missing-text'), 'Missing: user-top-read');

    const status = (await (
      await fetch(`${env.red.url}/tunewire/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: 'acc1' }),
      })
    ).json()) as { authorizedAt: string };
    const consent = Date.parse(status.authorizedAt);
    const [given, until] = await page.evaluate(
      ([a, b]) => [a, b].map((t) => new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })),
      [consent, refreshTokenExpiry(consent)],
    );
    assert.equal(await text('#node-config-tunewire-consent'), `Consent given on ${given}; Spotify accepts it until ${until}.`);
    assert.match(await text('#node-config-tunewire-cooldown'), /^Rate limit: waiting until \d\d:\d\d:\d\d$/);
    assert.match(await text('#node-config-tunewire-requests'), /^Requests in the last hour: [1-9]\d*$/);
    assert.ok(
      !(await page.locator('#node-config-tunewire-paste-row').isVisible()),
      'no Paste address: the popup comes back to this editor',
    );
    await page.locator('#node-config-tunewire-health').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'account-health.png');

    // One click ticks the missing scope and starts Authorize Access.
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#node-config-tunewire-add-missing')]);
    assert.ok(await page.isChecked('#node-config-tunewire-scope-user-top-read'), 'the missing scope is ticked');
    await popup.locator('button.approve').click();
    await page.locator('#node-config-tunewire-granted').filter({ hasText: 'user-top-read' }).waitFor();
    await page.locator('#node-config-tunewire-missing').waitFor({ state: 'hidden' });
    await popup.close().catch(() => undefined);
    await closeTray(page, 'ok', true);
  });

  it("a node's dialog says in one line how its account stands", async function () {
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: { editor: { edit(n: unknown): void }; nodes: { node(id: string): unknown } } }).RED;
      RED.editor.edit(RED.nodes.node('top1'));
    });
    const line = page.locator('.tunewire-account-state');
    await line.filter({ hasText: /^authorized as Demo Listener/ }).waitFor();
    assert.doesNotMatch((await line.textContent()) ?? '', /missing scope/, 'the new authorization has what this node needs');
    await closeTray(page, 'cancel');
  });

  it('Clear Token asks first, and Cancel keeps the authorization', async function () {
    await openAccountDialog(page, 'acc1');
    await page.click('#node-config-tunewire-clear');
    const confirm = page.locator('.red-ui-notification').filter({ hasText: 'Clear the saved token?' });
    await confirm.waitFor();
    await confirm.locator('button:not(.primary)').click();
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await text(STATUS), 'Authorized as Demo Listener');
    const stillAuthorized = (await (
      await fetch(`${env.red.url}/tunewire/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: 'acc1' }),
      })
    ).json()) as { state: string };
    assert.equal(stillAuthorized.state, 'authorized');
    await closeTray(page, 'cancel', true);
  });
});
