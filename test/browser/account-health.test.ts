// The account's health where the user looks, in a real editor: the account dialog lists what each of its nodes
// needs in plain words, checked against the grant and the dialog's current ticks (a missing one added with one
// click, an untick said as a removal), the consent and the date Spotify stops accepting it, the app's rate-limit
// cooldown and the requests of the last hour; the demo's account misses nothing after its first authorization; every node dialog says in one line how
// its account stands; Clear Token asks first; a Retry-After wait shows under the node until when; an error with
// no Catch node reads as whole text in Debug.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import * as path from 'node:path';
import { demoFlows } from '../../scripts/demo';
import { refreshTokenExpiry } from '../../nodes/spotify/consent';
import { PLAYLIST_NAME_TYPE } from '../../nodes/spotify/playlist-names';
import { newStoreKey } from '../../nodes/spotify/token-store';
import {
  CLIENT_SECRET,
  CLIENT_ID,
  authorizeByApi,
  clickNodeButton,
  closeTray,
  DebugLog,
  openAccountDialog,
  screenshotOnFailure,
  showDebugSidebar,
  startEditorEnv,
  statusLabel,
  type EditorEnv,
  debugOn,
  injectOn,
  listNodeOn,
} from './harness';
import { PACKAGE_ROOT } from '../support/node-red-process';
import { saveElementScreenshot } from './pictures';

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
        injectOn('in1', 'go', 'get1', 80),
        listNodeOn('get1', 'spotify-get-playlists', 'acc1', 'out1'),
        debugOn('out1', 'playlists', 520, 80),
        // Needs user-top-read, which the authorization below lacks.
        { id: 'top1', type: 'spotify-top-items', z: 'tab1', name: '', account: 'acc1', x: 320, y: 160, wires: [[]] },
        // A playlist by name, created when missing: needs to read the user's playlists on top of changing them.
        {
          id: 'add1',
          type: 'spotify-add-tracks',
          z: 'tab1',
          name: '',
          account: 'acc1',
          playlist: 'Saved this week',
          playlistType: PLAYLIST_NAME_TYPE,
          createMissing: true,
          x: 320,
          y: 240,
          wires: [[]],
        },
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

  /** The checklist as a user reads it: "<node> needs" and each need with its state, node by node. */
  async function checklist(): Promise<string[]> {
    return page.locator('#node-config-tunewire-checklist .tunewire-node-needs').evaluateAll((groups) =>
      groups.map((g) =>
        [
          g.querySelector('.tunewire-node-label')?.textContent ?? '',
          ...Array.from(g.querySelectorAll('.tunewire-need')).map((li) => {
            const state = Array.from(li.classList)
              .find((c) => c.startsWith('tunewire-need-'))
              ?.slice('tunewire-need-'.length);
            return `${li.querySelector('.tunewire-need-words')?.textContent ?? ''} [${state}]`;
          }),
        ].join(' · '),
      ),
    );
  }

  /**
   * Where the checklist and the scope list fail to read as columns: a node's needs not starting at one left edge,
   * a line of a need or of a scope's words starting left of its box (wrapped under the box, not under the words).
   * Also counts the wrapped lines it checked, so a test can tell it saw some.
   */
  async function layoutFaults(): Promise<{ faults: string[]; wrapped: number }> {
    return page.evaluate(() => {
      const faults: string[] = [];
      let wrapped = 0;
      /** The left edge of each line the text from `first` to the end of its parent takes. */
      const lineLefts = (first: Element): number[] => {
        const range = document.createRange();
        range.selectNodeContents(first.parentElement as Element);
        range.setStartBefore(first);
        const tops = new Map<number, number>();
        for (const r of Array.from(range.getClientRects()))
          if (r.width > 0) tops.set(Math.round(r.top), Math.min(tops.get(Math.round(r.top)) ?? Infinity, r.left));
        return [...tops.values()];
      };
      const after = (what: string, box: Element, text: Element): void => {
        const right = box.getBoundingClientRect().right;
        const lefts = lineLefts(text);
        if (lefts.length > 1) wrapped++;
        lefts.forEach((left, i) => {
          if (left < right - 0.5) faults.push(`${what}: line ${i + 1} starts at ${left.toFixed(0)}, left of its box (${right.toFixed(0)})`);
        });
      };
      for (const group of Array.from(document.querySelectorAll('#node-config-tunewire-checklist .tunewire-node-needs'))) {
        const needs = Array.from(group.querySelectorAll('.tunewire-need'));
        const lefts = new Set(needs.map((li) => Math.round(li.getBoundingClientRect().left)));
        if (lefts.size > 1) faults.push(`${group.getAttribute('data-label')}: its needs start at ${[...lefts].join(', ')}`);
        for (const li of needs)
          after(
            `${group.getAttribute('data-label')} / ${li.textContent}`,
            li.querySelector('.fa') as Element,
            li.querySelector('.tunewire-need-words') as Element,
          );
      }
      for (const row of Array.from(document.querySelectorAll('#node-config-tunewire-scopes .tunewire-scope')))
        after(`scope ${row.querySelector('input')?.value}`, row.querySelector('input') as Element, row.querySelector('label') as Element);
      return { faults, wrapped };
    });
  }

  it('the account dialog lists what each node needs in plain words, the consent and its end, the cooldown and the request count', async function () {
    await openAccountDialog(page, 'acc1');
    await page.locator('#node-config-tunewire-health').waitFor();
    assert.equal(await text(STATUS), 'Authorized as Demo Listener');
    assert.equal(await text('#node-config-tunewire-needed'), "What this account's nodes need:");
    // Grouped by node, in words; add tracks by name with Create when missing also reads the user's playlists.
    assert.deepEqual(await checklist(), [
      'add tracks needs · read private playlists [granted] · change private playlists [missing]',
      'get playlists needs · read private playlists [granted]',
      'top tracks, top artists needs · read top artists and tracks [missing]',
    ]);
    assert.equal(
      await text('#node-config-tunewire-missing .tunewire-missing-text'),
      'Not granted: change private playlists (add tracks), read top artists and tracks (top tracks, top artists)',
    );
    assert.ok(!(await page.locator('#node-config-tunewire-added').isVisible()), 'nothing ticked beyond the grant');
    assert.ok(!(await page.locator('#node-config-tunewire-removed').isVisible()), 'nothing unticked');
    // The scope list says what each scope allows, and which ones Spotify granted.
    const row = page.locator('.tunewire-scope', { has: page.locator('#node-config-tunewire-scope-playlist-read-private') });
    assert.equal(
      ((await row.locator('label').textContent()) ?? '').replace(/\s+/g, ' ').trim(),
      'read private playlists playlist-read-private',
    );
    assert.ok(await row.locator('.tunewire-scope-granted').isVisible(), 'marked granted');
    assert.ok(
      !(await page
        .locator('.tunewire-scope', { has: page.locator('#node-config-tunewire-scope-user-top-read') })
        .locator('.tunewire-scope-granted')
        .isVisible()),
      'not granted: no mark',
    );

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
    // Grouped needs one under the other, words wrapping under their words (the scope list's names wrap).
    const layout = await layoutFaults();
    assert.deepEqual(layout.faults, [], 'the checklist and the scope list read as columns');
    assert.ok(layout.wrapped > 0, 'some line wrapped, and was checked');
    await page.locator('#node-config-tunewire-health').scrollIntoViewIfNeeded();
    await saveElementScreenshot(page.locator('#node-config-tunewire-health'), 'account-health.png');

    // One click ticks the missing scope and starts Authorize Access.
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#node-config-tunewire-add-missing')]);
    assert.ok(await page.isChecked('#node-config-tunewire-scope-user-top-read'), 'the missing scopes are ticked');
    assert.ok(await page.isChecked('#node-config-tunewire-scope-playlist-modify-private'), 'the missing scopes are ticked');
    await popup.locator('button.approve').click();
    await page.locator('.tunewire-need-granted[data-scopes="user-top-read"]').waitFor();
    await page.locator('#node-config-tunewire-missing').waitFor({ state: 'hidden' });
    await popup.close().catch(() => undefined);
    await closeTray(page, 'ok', true);
  });

  it('an untick is said as a removal, a new tick as an addition, as the ticks change', async function () {
    await openAccountDialog(page, 'acc1');
    await page.locator('#node-config-tunewire-checklist .tunewire-node-needs').first().waitFor();
    await page.uncheck('#node-config-tunewire-scope-user-top-read');
    await page.locator('#node-config-tunewire-removed').waitFor();
    assert.equal(
      await text('#node-config-tunewire-removed'),
      'Unticked, still granted: read top artists and tracks. Click Authorize Access to give it up.',
    );
    assert.ok(!(await page.locator('#node-config-tunewire-added').isVisible()), 'an untick is no addition');
    assert.ok(
      (await checklist()).includes('top tracks, top artists needs · read top artists and tracks [unticked]'),
      String(await checklist()),
    );
    assert.equal(await text('.tunewire-need-unticked .tunewire-need-state'), 'granted, but unticked: authorizing again drops it');

    await page.check('#node-config-tunewire-scope-user-library-read');
    await page.locator('#node-config-tunewire-added').waitFor();
    assert.equal(
      await text('#node-config-tunewire-added'),
      'Ticked, not granted yet: read the library. Click Authorize Access to ask for it.',
    );
    // Ticked back: the grant and the ticks agree again on it.
    await page.check('#node-config-tunewire-scope-user-top-read');
    await page.locator('#node-config-tunewire-removed').waitFor({ state: 'hidden' });
    await closeTray(page, 'cancel', true);
  });

  it("a node's dialog says in one line how its account stands", async function () {
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: { editor: { edit(n: unknown): void }; nodes: { node(id: string): unknown } } }).RED;
      RED.editor.edit(RED.nodes.node('top1'));
    });
    const line = page.locator('.tunewire-account-state');
    await line.filter({ hasText: /^authorized as Demo Listener/ }).waitFor();
    assert.doesNotMatch((await line.textContent()) ?? '', /not granted/, 'the new authorization has what this node needs');
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

describe("browser: the demo's account", function () {
  this.timeout(60_000);
  let env: EditorEnv;
  let page: Page;
  let accountId = '';

  before(async function () {
    this.timeout(90_000);
    // The demo's flows as scripts/demo.ts writes them, for this test's simulator app; Dashboard 2's own nodes
    // are left out (this Node-RED has no Dashboard 2: they would stop the flows from starting).
    const flows = demoFlows(path.join(PACKAGE_ROOT, 'examples'))
      .filter((n) => !n.type.startsWith('ui-'))
      .map((n) => (n.type === 'spotify-account' ? { ...n, clientId: CLIENT_ID } : n));
    const account = flows.find((n) => n.type === 'spotify-account');
    assert.ok(account);
    accountId = account.id;
    env = await startEditorEnv({ flows, credentials: { [accountId]: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } } });
    page = env.page;
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  it('after its first Authorize Access, every need of every node is granted', async function () {
    await openAccountDialog(page, accountId);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#node-config-tunewire-authorize')]);
    await popup.locator('button.approve').click();
    await page.locator('#node-config-tunewire-consent').waitFor();
    await popup.close().catch(() => undefined);
    const needs = page.locator('#node-config-tunewire-checklist .tunewire-need');
    assert.ok((await needs.count()) > 20, "the demo's nodes need scopes");
    const notGranted = await page.locator('#node-config-tunewire-checklist .tunewire-need:not(.tunewire-need-granted)').allTextContents();
    assert.deepEqual(notGranted, [], 'needs the demo account lacks');
    assert.ok(!(await page.locator('#node-config-tunewire-missing').isVisible()), 'no "Not granted" line');
    assert.ok(
      (await page.locator('.tunewire-node-needs[data-label="playlist cover"] .tunewire-need-granted').allTextContents()).some((t) =>
        t.includes('upload images'),
      ),
      'playlist cover needs upload images, and has it',
    );
    await closeTray(page, 'cancel', true);
  });
});
