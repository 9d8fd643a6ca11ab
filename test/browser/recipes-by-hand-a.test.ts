// Three recipes built by hand in the demo's editor, each on an empty tab, the way a person does it with the mouse
// and keyboard only: the morning alarm (at 07:00 Morning Coffee on the Living Room Speaker at volume 30), the party
// queue (a Dashboard 2 text input: search, queue the first result) and the play log (every new play, one line of a
// CSV file). Every click, drag, double-click, typed field and key press is counted (test/browser/by-hand.ts), no
// ID is typed or pasted (playlists and devices are picked by name), and each recipe takes at most 15 actions. The
// editor starts as the demo leaves it: the demo's account, authorized, and its Dashboard 2 base, pages and groups.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { demoFlows } from '../../scripts/demo';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { PACKAGE_ROOT } from '../support/node-red-process';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  authorizeByApi,
  clickNodeButton,
  deploy,
  nodesOfType,
  saveRunScreenshot,
  screenshotOnFailure,
  startEditorEnv,
  statusLabel,
  type EditorEnv,
  type EditorRED,
  type FlowNode,
} from './harness';
import { ByHand, type Point } from './by-hand';

const MAX_ACTIONS = 15;
const ACCOUNT_TYPE = 'spotify-account';
/** One empty tab per recipe, as a user adds one. */
const TABS = { alarm: 'recipe-tab-alarm', party: 'recipe-tab-party', log: 'recipe-tab-log' } as const;
/** How long the runtime may take to show a recipe's effect in the simulator (a poll, a deploy's restart). */
const EFFECT_TIMEOUT = 20_000;

/**
 * The demo's global nodes (the account and the Dashboard 2 base, theme, pages and groups), without its tabs. The
 * groups' widgets live on those tabs, so here the groups no recipe uses have no users: Node-RED's Deploy notes
 * them as unused configuration nodes (the demo itself has none, and the recipes add no configuration node).
 */
function demoGlobals(): FlowNode[] {
  return demoFlows(path.join(PACKAGE_ROOT, 'examples'))
    .filter((n) => n.type !== 'tab' && n.z === undefined)
    .map((n) => (n.type === ACCOUNT_TYPE ? { ...n, clientId: CLIENT_ID } : n));
}

/** Resolves once `check` holds, polling (the runtime acts in another process): fails with `what` after `ms`. */
async function until(what: string, check: () => boolean, seen: () => unknown = () => '', ms = EFFECT_TIMEOUT): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${ms / 1000} s; saw ${JSON.stringify(seen())}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The text box of a typed input, found by its dialog row (Node-RED 4 and 5 build it beside the hidden field). */
function typedBox(page: Page, name: string) {
  return page.locator(`.form-row:has(#node-input-${name}) input.red-ui-typedInput-input`).first();
}

describe('browser: recipes built by hand in the demo (alarm, party queue, play log)', function () {
  this.timeout(120_000);
  let env: EditorEnv;
  let page: Page;
  let dir: string;
  const globals = demoGlobals();
  const account = globals.find((n) => n.type === ACCOUNT_TYPE);

  before(async function () {
    this.timeout(150_000);
    assert.ok(account, 'the demo has a Spotify account');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-recipes-a-'));
    const storeKey = newStoreKey();
    env = await startEditorEnv({
      flows: [
        { id: TABS.alarm, type: 'tab', label: 'Morning alarm' },
        { id: TABS.party, type: 'tab', label: 'Party queue' },
        { id: TABS.log, type: 'tab', label: 'Play log' },
        ...globals,
      ],
      credentials: { [account.id]: { clientSecret: CLIENT_SECRET, storeKey } },
    });
    page = env.page;
    // The demo's account as after its first Authorize Access (every scope its nodes need).
    await authorizeByApi(env, account.id, storeKey, String(account.scopes).split(' '));
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Setup, not counted: the recipe's empty tab in front, the palette filter empty, the mouse out of the way. */
  async function emptyTab(tab: string): Promise<ByHand> {
    await page.evaluate((id) => (window as unknown as { RED: EditorRED }).RED.workspaces.show(id), tab);
    await page.waitForFunction((id) => (window as unknown as { RED: EditorRED }).RED.workspaces.active() === id, tab);
    const empty = await page.evaluate((id) => {
      let n = 0;
      (window as unknown as { RED: EditorRED }).RED.nodes.eachNode((node) => {
        if (node.z === id) n++;
      });
      return n === 0;
    }, tab);
    assert.ok(empty, 'an empty tab');
    await page.locator('#red-ui-palette-search input').fill('');
    await page.mouse.move(1, 1);
    return new ByHand(page);
  }

  /** The Done button of the node dialog on top (counted), and the tray gone. */
  async function done(hand: ByHand): Promise<void> {
    await hand.act('click Done', () => page.click('#node-dialog-ok'));
    await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  }

  /**
   * Node-RED's quick add from a wire (three actions): a wire dragged from the node's output onto empty canvas opens
   * it, the words typed filter it, a click on the node adds it, already wired. Returns the new node's id.
   */
  async function quickAdd(
    hand: ByHand,
    fromId: string,
    fromLabel: string,
    to: Point,
    words: string,
    type: string,
    label: string,
  ): Promise<string> {
    const before = await nodesOfType(page, type);
    const output = `g.red-ui-flow-node-group[id="${fromId}"] .red-ui-flow-port-output`;
    // A node just dropped may still be drawn again at its final width (Node-RED 5 does it late): start from its
    // port once it stands still (a tenth of a second at the same place), as an eye waits for it.
    await page.waitForFunction(
      (sel) => {
        const w = window as unknown as { tunewirePortSpot?: string };
        const box = document.querySelector(sel)?.getBoundingClientRect();
        const spot = box && box.width > 0 ? `${box.left},${box.top}` : '';
        const still = spot !== '' && spot === w.tunewirePortSpot;
        w.tunewirePortSpot = spot;
        return still;
      },
      output,
      { polling: 100 },
    );
    await hand.act(`drag a wire from the ${fromLabel}'s output onto empty canvas (quick add opens)`, async () =>
      hand.drag(await hand.reach(output), await hand.emptyCanvas(to)),
    );
    const input = page.locator('#red-ui-type-search-input');
    await input.waitFor();
    await hand.act(`type "${words}" in quick add`, () => input.pressSequentially(words));
    // The list filters a moment after the typing; the node is picked by its name (its row says its label).
    const row = page.locator('#red-ui-type-search li:visible', {
      has: page.locator('.red-ui-search-result-node-label').getByText(new RegExp(`^${label} \\(${type}\\)$`)),
    });
    await row.waitFor();
    await hand.act(`click "${label}" in the list`, () => row.click());
    await page.waitForFunction(
      ({ t, n, from }) => {
        const RED = (window as unknown as { RED: EditorRED & { nodes: { filterLinks(f: object): { target: { type: string } }[] } } }).RED;
        let count = 0;
        RED.nodes.eachNode((node) => {
          if (node.type === t) count++;
        });
        const source = RED.nodes.node(from);
        return count === n && !!source && RED.nodes.filterLinks({ source }).some((l) => l.target.type === t);
      },
      { t: type, n: before.length + 1, from: fromId },
    );
    const [id] = (await nodesOfType(page, type)).filter((i) => !before.includes(i));
    return id;
  }

  /** Clicks a row of the picker list that is open (counted): the list is searched by the picked thing's name. */
  async function pick(hand: ByHand, name: string): Promise<void> {
    const row = page.locator('.red-ui-popover-panel:visible .tunewire-picker-item', { hasText: name }).first();
    await row.waitFor();
    await hand.act(`click "${name}" in the list`, () => row.click());
  }

  it(`Play log: every new play appended to a CSV file, in at most ${MAX_ACTIONS} actions`, async function () {
    const file = path.join(dir, 'spotify-plays.csv');
    const hand = await emptyTab(TABS.log);
    const chart = await hand.chart();
    await hand.filterPalette('play history');
    const playsId = await hand.dragFromPalette('spotify-new-plays', 'new in play history', { x: chart.x + 180, y: chart.y + 120 });
    await hand.filterPalette('csv');
    const csvId = await hand.dragFromPalette('csv', 'csv', { x: chart.x + 400, y: chart.y + 120 });
    await hand.filterPalette('file');
    const fileId = await hand.dragFromPalette('file', 'write file', { x: chart.x + 580, y: chart.y + 120 });
    await hand.wire(playsId, csvId, 'drag a wire from new in play history to csv');
    await hand.wire(csvId, fileId, 'drag a wire from csv to write file');

    await hand.open(fileId, 'write file');
    await hand.act('type the file name', () => typedBox(page, 'filename').fill(file));
    // The csv node ends each line itself.
    await hand.act('untick "Add newline"', () => page.uncheck('#node-input-appendNewline'));
    await done(hand);
    await hand.act('click Deploy', () => deploy(page));

    // The first poll remembers what was played before; then a song is played (on the user's phone).
    await statusLabel(page, playsId)
      .filter({ hasText: /remembered/ })
      .waitFor({ timeout: EFFECT_TIMEOUT });
    const sim = env.sim.state;
    const track = sim.catalog.track(77);
    env.sim.play(track.uri);

    await hand.act('click the button on new in play history (looks now)', () => clickNodeButton(page, playsId));
    const lines = (): string[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean) : []);
    await until('the play in the CSV file', () => lines().some((l) => l.includes(track.name)));
    assert.equal(lines().length, 1, `one line, for the one new play: ${lines().join(' | ')}`);
    assert.equal(fs.readFileSync(file, 'utf8').includes('\n\n'), false, 'no empty lines');
    const cells = lines()[0].split(',');
    assert.match(cells[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, `first the local time it was played: ${lines()[0]}`);
    assert.equal(cells[1], track.name);
    await page.mouse.move(1, 1);
    await saveRunScreenshot(page, 'recipe-play-log.png');
    hand.assertAtMost(MAX_ACTIONS);
  });

  it(`Morning alarm: at 07:00 Morning Coffee on the Living Room Speaker at volume 30, in at most ${MAX_ACTIONS} actions`, async function () {
    const hand = await emptyTab(TABS.alarm);
    const chart = await hand.chart();
    const injectId = await hand.dragFromPalette('inject', 'inject', { x: chart.x + 160, y: chart.y + 120 });
    await hand.open(injectId, 'inject');
    await page.locator('#inject-time-type-select').waitFor();
    await hand.act('choose "at a specific time" in Repeat', () => page.selectOption('#inject-time-type-select', 'time'));
    await hand.act('type 07:00 in at', () => page.fill('#inject-time-time', '07:00'));
    await done(hand);

    // Many Spotify nodes have "play" in their names: quick add lists them all without scrolling (the palette, shorter
    // under Node-RED 5's explorer, would need it), and wires the one clicked to the inject.
    const playId = await quickAdd(hand, injectId, 'inject', { x: chart.x + 440, y: chart.y + 120 }, 'play', 'spotify-play', 'play');

    // A new play node asks what to play as its dialog opens (the user's playlists first), then on which device.
    await hand.open(playId, 'play');
    await pick(hand, 'Morning Coffee');
    await pick(hand, 'Living Room Speaker');
    await hand.act('type 30 in Volume', () => typedBox(page, 'volume').fill('30'));
    await done(hand);
    const shown = await page.evaluate((id) => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node(id);
      return { play: String(n?.play), playName: n?.playName, deviceName: n?.deviceName, volume: n?.volume };
    }, playId);
    assert.deepEqual(
      { playName: shown.playName, deviceName: shown.deviceName, volume: shown.volume },
      { playName: 'Morning Coffee', deviceName: 'Living Room Speaker', volume: '30' },
    );

    await hand.act('click Deploy', () => deploy(page));
    const crontab = await page.evaluate((id) => (window as unknown as { RED: EditorRED }).RED.nodes.node(id)?.crontab, injectId);
    assert.equal(crontab, '00 07 * * *', 'every day at 07:00');

    // The simulator's state is read afresh each time (its player is a snapshot).
    const sim = env.sim.state;
    const speakerNow = () => sim.player.devices.find((d) => d.name === 'Living Room Speaker');
    const speakerId = speakerNow()?.id;
    const coffee = sim.playlists.find((p) => p.name === 'Morning Coffee' && p.owner.id === sim.me.id);
    assert.ok(speakerId && coffee, 'the simulator has the speaker and the playlist');
    assert.equal(shown.play, coffee.uri, 'the node keeps the picked playlist');
    // Something else first, elsewhere, at another volume: the alarm must change all three.
    env.sim.play(sim.catalog.track(5).uri);
    assert.notEqual(speakerNow()?.volume_percent, 30);

    await hand.act('click the inject button (rings the alarm now)', () => clickNodeButton(page, injectId));
    await until(
      'Morning Coffee plays on the Living Room Speaker at volume 30',
      () => {
        const player = sim.player;
        return (
          player.device_id === speakerId && player.context_uri === coffee.uri && player.is_playing && speakerNow()?.volume_percent === 30
        );
      },
      () => ({ player: { ...sim.player, queue: undefined }, coffee: coffee.uri, log: env.red.log.slice(-1500) }),
    );
    await page.mouse.move(1, 1);
    await saveRunScreenshot(page, 'recipe-morning-alarm.png');
    hand.assertAtMost(MAX_ACTIONS);
  });

  it(`Party queue: a dashboard text box, search, queue the best match, in at most ${MAX_ACTIONS} actions`, async function () {
    const hand = await emptyTab(TABS.party);
    const chart = await hand.chart();
    await hand.filterPalette('text input');
    const inputId = await hand.dragFromPalette('ui-text-input', 'text input', { x: chart.x + 160, y: chart.y + 120 });
    // Dashboard 2 asks each widget for its group (a new one has none): the demo's party page has one.
    await hand.open(inputId, 'text input');
    const group = page.locator('select#node-input-group');
    const party = group.locator('option', { hasText: 'Party queue' }).first();
    await party.waitFor({ state: 'attached' });
    const partyGroup = (await party.getAttribute('value')) ?? '';
    await hand.act('choose "Party queue" in Group', () => group.selectOption(partyGroup));
    await done(hand);
    // Quick add from each wire: a wire dropped onto a node's input under its button (Node-RED 5 draws the button
    // over the port) would miss it.
    const searchId = await quickAdd(
      hand,
      inputId,
      'text input',
      { x: chart.x + 380, y: chart.y + 120 },
      'search',
      'spotify-search',
      'search',
    );
    const queueId = await quickAdd(
      hand,
      searchId,
      'search',
      { x: chart.x + 600, y: chart.y + 120 },
      'queue',
      'spotify-add-to-queue',
      'add to queue',
    );

    await hand.act('click Deploy', () => deploy(page));
    await page.mouse.move(1, 1);
    await saveRunScreenshot(page, 'recipe-party-queue.png');

    // The page the text input is on: the group the editor gave it, and that group's page.
    const pagePath = await page.evaluate((id) => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const group = RED.nodes.node(String(RED.nodes.node(id)?.group));
      const uiPage = RED.nodes.node(String(group?.page));
      const base = RED.nodes.node(String(uiPage?.ui));
      const text = (v: unknown): string => (typeof v === 'string' ? v : '');
      return `${text(base?.path) || '/dashboard'}${text(uiPage?.path)}`;
    }, inputId);

    // Music plays at the party; the queue is empty.
    const sim = env.sim.state;
    env.sim.play(sim.catalog.track(3).uri);
    const queued = sim.player.queue.length;

    // Checked while the guest is still on the page: Dashboard 2's text input also sends when it loses focus (its
    // "send on blur", on by default), so leaving the page would queue the song again (the example turns it off).
    const guest = await env.context.newPage();
    try {
      await hand.act(`open the dashboard page ${pagePath} (typed in the address bar)`, () =>
        guest.goto(`${env.red.url}${pagePath}`, { timeout: 60_000 }),
      );
      const box = guest.locator(`#nrdb-ui-widget-${inputId} input`).first();
      await box.waitFor({ timeout: 60_000 });
      await hand.act('type "heart" in the text box', () => box.fill('heart'));
      await hand.act('press Enter', () => box.press('Enter'));
      // The node's status once it is done: how many it queued.
      await statusLabel(page, queueId)
        .filter({ hasText: /queued/ })
        .waitFor({ timeout: EFFECT_TIMEOUT });
      assert.equal(await statusLabel(page, queueId).textContent(), 'queued 1', 'one song, not every result of the search');
      assert.equal(sim.player.queue.length, queued + 1);
      const song = sim.player.queue.at(-1) ?? '';
      const track = Array.from({ length: sim.catalog.counts.tracks }, (_v, i) => sim.catalog.track(i)).find((t) => t.uri === song);
      assert.ok(track, `a track of the catalog was queued: ${song}`);
      assert.match(track.name, /heart/i, 'the best match for "heart"');
    } finally {
      await guest.close();
    }
    hand.assertAtMost(MAX_ACTIONS);
  });
});
