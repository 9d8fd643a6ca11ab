// A newcomer's first flow, from an empty tab to playlists in the Debug sidebar, done the way a person does it
// with the mouse and keyboard only: drag a debug node and, found through the palette filter, "get playlists"
// from the palette, wire them, create the account (its dialog opens straight from the node), authorize in the
// simulator's consent popup (which closes itself), deploy, run the node with its own button and read the Debug
// sidebar (the button shows it). Every click, drag, double-click and typed field is counted: at most 12.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  CLIENT_ID,
  deploy,
  nodesOfType,
  debugEntries,
  saveScreenshot,
  screenshotOnFailure,
  startEditorEnv,
  type EditorEnv,
  type EditorRED,
} from './harness';
import { ByHand } from './by-hand';

const MAX_ACTIONS = 12;

describe('browser: a first flow from an empty tab', function () {
  this.timeout(120_000);
  let env: EditorEnv;
  let page: Page;
  let hand: ByHand;

  before(async function () {
    this.timeout(90_000);
    env = await startEditorEnv();
    page = env.page;
    hand = new ByHand(page);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  it(`drag get playlists, create and authorize the account, deploy, run, read Debug: at most ${MAX_ACTIONS} actions`, async function () {
    const chart = await hand.chart();
    assert.deepEqual(await nodesOfType(page, 'spotify-get-playlists'), [], 'an empty tab');
    const accountsBefore = await page.evaluate(() => {
      let n = 0;
      (window as unknown as { RED: EditorRED }).RED.nodes.eachConfig((c) => {
        if (c.type === 'spotify-account') n++;
      });
      return n;
    });
    assert.equal(accountsBefore, 0, 'no account yet');

    // The debug node is on screen as the editor opens; the pack's nodes are found by typing in the palette filter.
    const debugId = await hand.dragFromPalette('debug', 'debug', { x: chart.x + 520, y: chart.y + 140 });
    await hand.filterPalette('get playlists');
    const getId = await hand.dragFromPalette('spotify-get-playlists', 'get playlists', { x: chart.x + 260, y: chart.y + 140 });

    await hand.wire(getId, debugId, 'drag a wire from its output to the debug node');

    // Its dialog, and the account dialog on top of it: there is no account to pick yet.
    await hand.open(getId, 'get playlists');
    await page.locator('#node-config-input-clientId').waitFor();
    await page.locator('#node-config-tunewire-status').filter({ hasText: /\S/ }).waitFor();
    await hand.act('type the Client ID', () => page.fill('#node-config-input-clientId', CLIENT_ID));

    const popupOpened = page.waitForEvent('popup');
    await hand.act('click Authorize Access', () => page.click('#node-config-tunewire-authorize'));
    const popup = await popupOpened;
    const approve = popup.locator('button.approve');
    await approve.waitFor();
    const popupClosed = popup.waitForEvent('close');
    await hand.act('click Approve on the consent page (the popup closes itself)', () => approve.click());
    await popupClosed;
    await page.locator('#node-config-tunewire-status').filter({ hasText: 'Authorized as Demo Listener' }).waitFor();

    await hand.act('click Add (the account dialog)', () => page.click('#node-config-dialog-ok'));
    await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
    // Picking: the new account is the node's account already, and its line says so.
    const accountId = await page.locator('#node-input-account').inputValue();
    assert.ok(accountId && accountId !== '_ADD_', 'the node uses the new account');
    await page
      .locator('.tunewire-account-state')
      .filter({ hasText: /^authorized as Demo Listener/ })
      .waitFor();
    await hand.act('click Done (the node dialog)', () => page.click('#node-dialog-ok'));
    await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });

    await hand.act('click Deploy', () => deploy(page)); // after checking the editor sees no invalid node

    const button = `g.red-ui-flow-node-group[id="${getId}"] .red-ui-flow-node-button`;
    await page.locator(`${button}:not(.red-ui-flow-node-button-disabled)`).waitFor();
    await hand.act('click the button on "get playlists" (runs it once)', () =>
      page.click(`g.red-ui-flow-node-group[id="${getId}"] .red-ui-flow-node-button-button`),
    );

    // The button shows the Debug sidebar (a debug node is wired to the node): no click on its tab.
    await page.locator('.red-ui-debug-content-list').waitFor();
    const entry = page.locator(`.red-ui-debug-msg-node-${debugId}`).first();
    await entry.waitFor();

    const playlists = env.sim.state.library.playlists.filter((p) => p !== null).length;
    const shown = await debugEntries(page);
    assert.deepEqual(
      shown.map((e) => e.node),
      [debugId],
      `one message, from the debug node: ${JSON.stringify(shown)}`,
    );
    assert.match(shown[0].text, new RegExp(`msg\\.payload : array\\[${playlists}\\]`), shown[0].text);
    await saveScreenshot(page, 'first-flow.png');

    hand.assertAtMost(MAX_ACTIONS);
  });
});
