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

const MAX_ACTIONS = 12;

interface Point {
  x: number;
  y: number;
}

describe('browser: a first flow from an empty tab', function () {
  this.timeout(120_000);
  let env: EditorEnv;
  let page: Page;
  const actions: string[] = [];

  before(async function () {
    this.timeout(90_000);
    env = await startEditorEnv();
    page = env.page;
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  /** One user action: counted, and listed in the test's output. */
  async function act(what: string, fn: () => Promise<unknown>): Promise<void> {
    actions.push(what);
    process.stdout.write(`      action ${actions.length}: ${what}\n`);
    await fn();
  }

  async function centre(selector: string): Promise<Point> {
    const box = await page.locator(selector).first().boundingBox();
    assert.ok(box, `${selector} is on screen`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** A mouse drag in small steps, as a hand moves: press, travel, release. */
  async function drag(from: Point, to: Point): Promise<void> {
    await page.mouse.move(from.x, from.y, { steps: 5 });
    await page.mouse.down();
    await page.mouse.move(from.x + (to.x - from.x) / 4, from.y + (to.y - from.y) / 4, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
  }

  /** Drags a palette entry onto the canvas and returns the new node's id. */
  async function dragFromPalette(type: string, label: string, to: Point): Promise<string> {
    const entry = `.red-ui-palette-node[data-palette-type="${type}"]`;
    // What a person sees without scrolling: the entry must be on screen inside the palette as the editor opens.
    // The palette filter applies what was typed after a pause, and opens its category with a slide: wait until
    // the palette shows only what the filter matches and the entry stands still (conditions, never a fixed time).
    const visible = await page
      .waitForFunction(
        (sel) => {
          const w = window as unknown as { tunewireLastSpot?: string };
          const box = document.querySelector(sel)?.getBoundingClientRect();
          const scroller = document.getElementById('red-ui-palette-container')?.getBoundingClientRect();
          const spot =
            !box || !scroller || box.height === 0 || box.top < scroller.top || box.bottom > scroller.bottom ? '' : `${box.left},${box.top}`;
          const filter = (document.querySelector<HTMLInputElement>('#red-ui-palette-search input')?.value ?? '').toLowerCase();
          const filtered = Array.from(document.querySelectorAll<HTMLElement>('#red-ui-palette-container .red-ui-palette-node'))
            .filter((el) => el.offsetParent !== null)
            .every(
              (el) =>
                !filter ||
                (el.dataset.paletteType ?? '').toLowerCase().includes(filter) ||
                (el.dataset.paletteLabel ?? '').toLowerCase().includes(filter),
            );
          // Standing still: where it was at the previous check (a tenth of a second ago).
          const still = spot !== '' && spot === w.tunewireLastSpot;
          w.tunewireLastSpot = spot;
          return filtered && still;
        },
        entry,
        { timeout: 10_000, polling: 100 },
      )
      .then(
        () => true,
        () => false,
      );
    assert.ok(visible, `"${label}" is visible in the palette without scrolling`);
    await act(`drag "${label}" from the palette onto the canvas`, async () => drag(await centre(entry), to));
    await page.waitForFunction((t) => {
      let n = 0;
      (window as unknown as { RED: EditorRED }).RED.nodes.eachNode((node) => {
        if (node.type === t) n++;
      });
      return n === 1;
    }, type);
    const [id] = await nodesOfType(page, type);
    return id;
  }

  it(`drag get playlists, create and authorize the account, deploy, run, read Debug: at most ${MAX_ACTIONS} actions`, async function () {
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    assert.ok(chart);
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
    const debugId = await dragFromPalette('debug', 'debug', { x: chart.x + 520, y: chart.y + 140 });
    await act('type "get playlists" in the palette filter', () =>
      page.locator('#red-ui-palette-search input').pressSequentially('get playlists'),
    );
    const getId = await dragFromPalette('spotify-get-playlists', 'get playlists', { x: chart.x + 260, y: chart.y + 140 });

    const output = `g.red-ui-flow-node-group[id="${getId}"] .red-ui-flow-port-output`;
    const input = `g.red-ui-flow-node-group[id="${debugId}"] .red-ui-flow-port-input`;
    await act('drag a wire from its output to the debug node', async () => drag(await centre(output), await centre(input)));
    await page.waitForFunction(
      ({ from, to }) => {
        const RED = (window as unknown as { RED: EditorRED & { nodes: { filterLinks(f: object): { target: { id: string } }[] } } }).RED;
        const n = RED.nodes.node(from);
        return !!n && RED.nodes.filterLinks({ source: n }).some((l) => l.target.id === to);
      },
      { from: getId, to: debugId },
    );

    // Its dialog, and the account dialog on top of it: there is no account to pick yet.
    await act('double-click "get playlists"', () => page.dblclick(`g.red-ui-flow-node-group[id="${getId}"] rect.red-ui-flow-node`));
    await page.locator('#node-config-input-clientId').waitFor();
    await page.locator('#node-config-tunewire-status').filter({ hasText: /\S/ }).waitFor();
    await act('type the Client ID', () => page.fill('#node-config-input-clientId', CLIENT_ID));

    const popupOpened = page.waitForEvent('popup');
    await act('click Authorize Access', () => page.click('#node-config-tunewire-authorize'));
    const popup = await popupOpened;
    const approve = popup.locator('button.approve');
    await approve.waitFor();
    const popupClosed = popup.waitForEvent('close');
    await act('click Approve on the consent page (the popup closes itself)', () => approve.click());
    await popupClosed;
    await page.locator('#node-config-tunewire-status').filter({ hasText: 'Authorized as Demo Listener' }).waitFor();

    await act('click Add (the account dialog)', () => page.click('#node-config-dialog-ok'));
    await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
    // Picking: the new account is the node's account already, and its line says so.
    const accountId = await page.locator('#node-input-account').inputValue();
    assert.ok(accountId && accountId !== '_ADD_', 'the node uses the new account');
    await page
      .locator('.tunewire-account-state')
      .filter({ hasText: /^authorized as Demo Listener/ })
      .waitFor();
    await act('click Done (the node dialog)', () => page.click('#node-dialog-ok'));
    await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });

    actions.push('click Deploy');
    process.stdout.write(`      action ${actions.length}: click Deploy\n`);
    await deploy(page); // one click on the Deploy button, after checking the editor sees no invalid node

    const button = `g.red-ui-flow-node-group[id="${getId}"] .red-ui-flow-node-button`;
    await page.locator(`${button}:not(.red-ui-flow-node-button-disabled)`).waitFor();
    await act('click the button on "get playlists" (runs it once)', () =>
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

    process.stdout.write(`      ${actions.length} actions:\n${actions.map((a, i) => `        ${i + 1}. ${a}`).join('\n')}\n`);
    assert.ok(actions.length <= MAX_ACTIONS, `${actions.length} actions, at most ${MAX_ACTIONS}: ${actions.join('; ')}`);
  });
});
