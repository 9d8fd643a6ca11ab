// The Spotify account dialog in a real editor and a real browser: the redirect URI and its warnings, Authorize
// Access through the popup and the simulator's consent page, a refusal, the paste-the-address fallback, and
// Clear Token as a flow then sees it.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { freePort } from '../support/node-red-process';
import {
  APP_NAME,
  CLIENT_ID,
  CLIENT_SECRET,
  clickNodeButton,
  closeTray,
  debugEntries,
  deploy,
  openAccountDialog,
  openEditor,
  saveScreenshot,
  screenshotOnFailure,
  showDebugSidebar,
  startEditorEnv,
  statusLabel,
  type EditorEnv,
  type EditorRED,
  debugOn,
  injectOn,
  listNodeOn,
} from './harness';

const STATUS = '#node-config-tunewire-status';

describe('browser: the Spotify account dialog', function () {
  this.timeout(30_000);
  let env: EditorEnv;
  let page: Page;
  let closedPort: number;
  let accountId = '';

  before(async function () {
    this.timeout(90_000);
    // A port nothing listens on: a redirect URI the browser cannot reach (Docker, another machine).
    closedPort = await freePort();
    env = await startEditorEnv({
      extraRedirectUris: [`http://127.0.0.1:${closedPort}/tunewire/callback`],
      flows: [
        { id: 'tab1', type: 'tab', label: 'Flow 1' },
        injectOn('in1', 'go', 'get1', 80),
        listNodeOn('get1', 'spotify-get-playlists', '', 'out1'),
        debugOn('out1', 'playlists', 520, 80),
        { id: 'catch1', type: 'catch', z: 'tab1', name: '', scope: ['get1'], uncaught: false, x: 120, y: 160, wires: [['err1']] },
        debugOn('err1', 'error', 320, 160, 'error.message'),
      ],
    });
    page = env.page;
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  async function statusText(p: Page = page): Promise<string> {
    return (await p.locator(STATUS).textContent())?.trim() ?? '';
  }

  /** Clicks Authorize Access and returns the popup, which the click opened before the POST answered. */
  async function authorizePopup(): Promise<Page> {
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#node-config-tunewire-authorize')]);
    await popup.locator('button.approve').waitFor();
    return popup;
  }

  it('warns about a localhost editor address, which Spotify refuses as a redirect URI', async function () {
    const port = new URL(env.red.url).port;
    const local = await env.context.newPage();
    try {
      await openEditor(local, `http://localhost:${port}/`);
      await openAccountDialog(local, 'localhost-check');
      assert.equal(await local.locator('#node-config-tunewire-redirect').textContent(), `http://localhost:${port}/tunewire/callback`);
      const warning = local.locator('#node-config-tunewire-redirect-warning');
      assert.ok(await warning.isVisible(), 'the warning is shown');
      const text = (await warning.textContent()) ?? '';
      assert.match(text, /localhost/);
      assert.ok(text.includes(`http://127.0.0.1:${port}/`), `it points to the loopback address instead: ${text}`);
      // An HTTPS override is acceptable: the warning goes away as it is typed.
      await local.fill('#node-config-input-redirectUri', 'https://nodered.example.com/tunewire/callback');
      assert.ok(!(await warning.isVisible()), 'no warning for an https:// override');
      await local.fill('#node-config-input-redirectUri', 'http://192.168.1.20:1880/tunewire/callback');
      assert.match((await warning.textContent()) ?? '', /127\.0\.0\.1 or \[::1\]/, 'plain http to a LAN address is flagged too');
    } finally {
      await local.close();
    }
  });

  it("adds an account from a node's dialog and authorizes it in the popup, which closes itself: the dialog shows who, with no reload", async function () {
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const node = RED.nodes.node('get1');
      if (node) RED.editor.edit(node);
      (window as unknown as { tunewireNoReload: boolean }).tunewireNoReload = true;
    });
    // No account exists yet, so there is nothing to pick: the account dialog opens by itself, as the + would.
    await page.locator(STATUS).filter({ hasText: /\S/ }).waitFor();
    assert.match(await statusText(), /Not authorized yet/);

    assert.equal(await page.locator('#node-config-tunewire-redirect').textContent(), env.redirectUri, 'the redirect URI to register');
    assert.ok(!(await page.locator('#node-config-tunewire-redirect-warning').isVisible()), 'no warning for http://127.0.0.1');
    await page.click('#node-config-tunewire-copy');
    await page.locator('.red-ui-notification').filter({ hasText: 'Redirect URI copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), env.redirectUri, 'Copy put the URI on the clipboard');

    await page.fill('#node-config-input-name', 'Browser test');
    await page.fill('#node-config-input-clientId', CLIENT_ID);
    await page.fill('#node-config-input-clientSecret', CLIENT_SECRET);
    const popup = await authorizePopup();
    assert.match(await statusText(), /Waiting for approval/);
    assert.equal(await popup.locator('#app-name').textContent(), APP_NAME, "the simulator's consent page for this app");
    const closed = popup.waitForEvent('close');
    await popup.click('button.approve');
    await page.locator(STATUS).filter({ hasText: 'Authorized as Demo Listener' }).waitFor();
    assert.match((await page.locator(STATUS).getAttribute('class')) ?? '', /tunewire-ok/);
    await closed; // the popup closes itself once the authorization is done
    assert.equal(
      await page.evaluate(() => (window as unknown as { tunewireNoReload?: boolean }).tunewireNoReload),
      true,
      'the editor was not reloaded',
    );

    // The picture for the README: the top of the form with the status under the buttons.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      document.querySelector('#node-config-input-clientId')?.scrollIntoView({ block: 'start' });
    });
    await page.locator('.red-ui-notification').waitFor({ state: 'detached' }); // "Redirect URI copied" fades out
    await saveScreenshot(page, 'config-dialog.png');

    await closeTray(page, 'ok', true); // Add
    accountId = await page.locator('#node-input-account').inputValue();
    assert.ok(accountId && accountId !== '_ADD_', 'the node now uses the new account');
    await closeTray(page, 'ok'); // Done
    await deploy(page);

    await showDebugSidebar(page);
    await clickNodeButton(page, 'in1');
    await page.locator('.red-ui-debug-msg-node-out1').first().waitFor();
    const entries = await debugEntries(page);
    assert.deepEqual(
      entries.filter((e) => e.node !== 'out1'),
      [],
      'nothing but the playlists',
    );
    assert.match(entries[0].text, /array\[3\]/, `three playlists: ${entries[0].text}`);
  });

  it('a refusal on the consent page shows a readable error in the dialog', async function () {
    assert.ok(accountId, 'needs the account of the previous test');
    await openAccountDialog(page, accountId);
    assert.equal(await statusText(), 'Authorized as Demo Listener', 'the deployed account is authorized');
    const popup = await authorizePopup();
    await popup.click('button.deny');
    await page
      .locator(STATUS)
      .filter({ hasText: /declined/ })
      .waitFor();
    assert.match(await statusText(), /Access was declined on Spotify's page: click Authorize Access/);
    assert.match((await page.locator(STATUS).getAttribute('class')) ?? '', /tunewire-error/);
    assert.match((await popup.locator('h1').textContent()) ?? '', /did not complete/);
    await popup.close();
    await closeTray(page, 'cancel', true);
  });

  it('completes authorization from a pasted address when the redirect cannot reach the editor', async function () {
    await openAccountDialog(page, accountId);
    const unreachable = `http://127.0.0.1:${closedPort}/tunewire/callback`;
    await page.fill('#node-config-input-redirectUri', unreachable);
    assert.equal(await page.locator('#node-config-tunewire-redirect').textContent(), unreachable, 'the override is the URI used');
    const before = env.sim.count({ path: '/api/token' });
    const popup = await authorizePopup();
    // The browser ends on an address it cannot load; a person copies it from the address bar.
    const [failed] = await Promise.all([
      popup.waitForEvent('requestfailed', (r) => r.url().startsWith(unreachable)),
      popup.click('button.approve'),
    ]);
    const address = failed.url();
    assert.match(address, /[?&]code=/);
    await popup.close();
    assert.match(await statusText(), /Waiting for approval/, 'nothing reached Node-RED by itself');
    assert.equal(env.sim.count({ path: '/api/token' }), before, 'no code exchange yet');

    await page.fill('#node-config-tunewire-pasted', address);
    await page.click('#node-config-tunewire-complete');
    await page.locator(STATUS).filter({ hasText: 'Authorized as Demo Listener' }).waitFor();
    assert.equal(await page.inputValue('#node-config-tunewire-pasted'), '', 'the pasted address is cleared');
    assert.equal(env.sim.count({ path: '/api/token' }), before + 1, 'the pasted code was exchanged once');

    // The same address again is refused: the state is single-use.
    await page.fill('#node-config-tunewire-pasted', address);
    await page.click('#node-config-tunewire-complete');
    await page
      .locator(STATUS)
      .filter({ hasText: /already used/ })
      .waitFor();
    await closeTray(page, 'cancel', true);
  });

  it('shows a display name with markup in it as text: no element made from it, no script run', async function () {
    const name = '<img src=x onerror="window.tunewirePwned=1"><b>Eve</b>';
    env.sim.setDisplayName(name);
    try {
      await openAccountDialog(page, accountId);
      const popup = await authorizePopup();
      await popup.click('button.approve');
      await page
        .locator(STATUS)
        .filter({ hasText: `Authorized as ${name}` })
        .waitFor();
      await popup.close().catch(() => undefined); // it closes itself after the approval
      assert.equal(await page.locator(`${STATUS} img, ${STATUS} b`).count(), 0, 'the name made no element');
      assert.equal(await page.evaluate(() => (window as unknown as { tunewirePwned?: number }).tunewirePwned), undefined, 'no script ran');
      await closeTray(page, 'cancel', true);
    } finally {
      env.sim.setDisplayName('Demo Listener');
    }
  });

  it('Clear Token: the running node then says it is not authorized, on the canvas and in the Debug sidebar', async function () {
    await openAccountDialog(page, accountId);
    await page.click('#node-config-tunewire-clear');
    // Asked first, in a Node-RED confirm: nothing is cleared until it is answered.
    const confirm = page.locator('.red-ui-notification').filter({ hasText: 'Clear the saved token?' });
    await confirm.waitFor();
    await confirm.locator('button.primary').click();
    await page
      .locator(STATUS)
      .filter({ hasText: /Not authorized yet/ })
      .waitFor();
    await closeTray(page, 'cancel', true);

    await statusLabel(page, 'get1').filter({ hasText: 'not authorized' }).waitFor();
    await clickNodeButton(page, 'in1');
    await page.locator('.red-ui-debug-msg-node-err1').first().waitFor();
    const errors = (await debugEntries(page)).filter((e) => e.node === 'err1');
    assert.equal(errors.length, 1);
    // The sidebar shows the start of the string: enough to read what happened and where to go.
    assert.match(errors[0].text, /Not authorized: open the Spotify account node/, `the catch node got a readable error: ${errors[0].text}`);
  });

  it("stops listening for the account's events however the dialog closes: Add, Cancel or Delete", async function () {
    // Count the dialog's live comms subscriptions by wrapping the editor's own subscribe/unsubscribe.
    await page.evaluate(() => {
      const w = window as unknown as { RED: { comms: Record<string, (topic: string, fn: unknown) => void> }; tunewireSubs: number };
      w.tunewireSubs = 0;
      for (const [name, delta] of [
        ['subscribe', 1],
        ['unsubscribe', -1],
      ] as const) {
        const original = w.RED.comms[name];
        w.RED.comms[name] = function (this: unknown, topic: string, fn: unknown) {
          if (topic.startsWith('tunewire/auth/')) w.tunewireSubs += delta;
          return original.call(this, topic, fn);
        };
      }
    });
    const subs = (): Promise<number> => page.evaluate(() => (window as unknown as { tunewireSubs: number }).tunewireSubs);
    const accounts = (): Promise<string[]> =>
      page.evaluate(() => {
        const ids: string[] = [];
        (window as unknown as { RED: EditorRED }).RED.nodes.eachConfig((n) => {
          if (n.type === 'spotify-account') ids.push(n.id);
        });
        return ids;
      });
    const before = await accounts();

    // A second account, added from the node's dialog as before, which is then cancelled (the account stays).
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const node = RED.nodes.node('get1');
      if (node) RED.editor.edit(node);
    });
    await page.click('#node-input-btn-account-add');
    await page.locator(STATUS).filter({ hasText: /\S/ }).waitFor();
    assert.equal(await subs(), 1, 'the open dialog listens');
    await page.fill('#node-config-input-clientId', CLIENT_ID);
    await closeTray(page, 'ok', true);
    assert.equal(await subs(), 0, 'after Add');
    await closeTray(page, 'cancel');
    const added = (await accounts()).find((id) => !before.includes(id));
    assert.ok(added, 'the new account exists');

    await openAccountDialog(page, added);
    await closeTray(page, 'cancel', true);
    assert.equal(await subs(), 0, 'after Cancel');

    await openAccountDialog(page, added);
    const tray = await page.locator('.red-ui-tray', { has: page.locator('#node-config-dialog-ok') }).elementHandle();
    await page.locator('.red-ui-tray-toolbar button.leftButton').click(); // Delete
    await page.waitForFunction((el) => !el?.isConnected, tray);
    assert.deepEqual(await accounts(), before, 'deleted');
    assert.equal(await subs(), 0, 'after Delete');
  });
});
