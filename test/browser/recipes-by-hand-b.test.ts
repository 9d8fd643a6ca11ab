// Three recipes built by hand from an empty tab, as a person does it with the mouse and keyboard only, in the demo's
// situation (one account, authorized): "Liked songs to Saved this week", "My top tracks every Monday" and "Like what
// is playing". Every click, drag, double-click, typed field and key press is counted (by-hand.ts): at most 15 each,
// and nothing typed is an ID — playlists are named ("Saved this week"), found or made at run time. Each flow is
// deployed and run (its button is a counted click), and checked where the user would look: the playlist in their
// Spotify (the simulator), once, holding the songs. The Dashboard 2 button of "Like what is playing" is an inject
// button here; the Dashboard path of the recipe is run by test/flow/recipes.test.ts and test/browser/examples.test.ts.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  authorizeByApi,
  clickNodeButton,
  deploy,
  saveRunScreenshot,
  screenshotOnFailure,
  startEditorEnv,
  statusLabel,
  type EditorEnv,
  type EditorRED,
} from './harness';
import { ByHand, type Point } from './by-hand';

const MAX_ACTIONS = 15;
const ACCOUNT = 'demo-account';

interface WorkspaceRED {
  actions: { invoke(name: string): void };
  workspaces: { active(): string; delete(ws: unknown): void };
  nodes: { workspace(id: string): unknown; eachNode(fn: (n: { z?: string }) => void): void };
}

describe('browser: recipes built by hand (Saved this week, top tracks every Monday, like what is playing)', function () {
  this.timeout(150_000);
  let env: EditorEnv;
  let page: Page;

  before(async function () {
    this.timeout(120_000);
    const storeKey = newStoreKey();
    // The demo's account: one, authorized with the scopes its nodes need.
    env = await startEditorEnv({
      flows: [
        { id: 'tab1', type: 'tab', label: 'Flow 1' },
        { id: ACCOUNT, type: 'spotify-account', name: 'Demo (simulator)', clientId: CLIENT_ID, scopes: DEFAULT_SCOPES.join(' ') },
      ],
      credentials: { [ACCOUNT]: { clientSecret: CLIENT_SECRET, storeKey } },
    });
    page = env.page;
    await authorizeByApi(env, ACCOUNT, storeKey, [...DEFAULT_SCOPES]);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  /** The user's playlists (as Spotify lists them) of that name. */
  const named = (name: string) =>
    env.sim.state.library.playlists.flatMap((id) => (id === null ? [] : [env.sim.state.playlist(id)])).filter((p) => p?.name === name);

  /** Spotify's Web API as the user's own apps use it (the Spotify app's heart, its top list), with their token. */
  async function spotify(method: string, path: string): Promise<unknown> {
    const tokens = env.sim.issuedSecrets().accessTokens;
    const token = tokens[tokens.length - 1];
    assert.ok(token, 'the account holds a token');
    const res = await fetch(`${env.sim.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.status === 204 ? undefined : res.json().catch(() => undefined);
  }

  /**
   * Setup, not counted: a new empty flow tab, shown, with the palette filter empty, as a fresh editor has it. The
   * tab of the recipe before goes (its flow stops at this recipe's Deploy).
   */
  async function emptyTab(): Promise<{ hand: ByHand; chart: Point }> {
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: WorkspaceRED }).RED;
      const old = RED.workspaces.active();
      RED.actions.invoke('core:add-flow');
      if (old !== 'tab1' && RED.workspaces.active() !== old) RED.workspaces.delete(RED.nodes.workspace(old));
    });
    await page.waitForFunction(() => {
      const RED = (window as unknown as { RED: WorkspaceRED }).RED;
      const tab = RED.workspaces.active();
      let nodes = 0;
      RED.nodes.eachNode((n) => {
        if (n.z === tab) nodes++;
      });
      return tab !== 'tab1' && nodes === 0;
    });
    const filter = page.locator('#red-ui-palette-search input');
    await filter.fill('');
    await page.locator('.red-ui-palette-node[data-palette-type="inject"]').waitFor({ state: 'visible' });
    const hand = new ByHand(page);
    return { hand, chart: await hand.chart() };
  }

  /** Picks an option of a select in the open dialog: one action. */
  async function choose(hand: ByHand, select: string, label: string): Promise<void> {
    await hand.act(`choose "${label}"`, () => page.selectOption(select, { label }));
  }

  /** The playlist field set to a name, created when missing: the type menu, "by name", the name, the tick. */
  async function playlistByName(hand: ByHand, name: string): Promise<void> {
    const container = page.locator('#node-input-playlist + .red-ui-typedInput-container');
    await hand.act('click the Playlist type menu', () => container.locator('button.red-ui-typedInput-type-select').click());
    const byName = page.locator('.red-ui-typedInput-options a[value="spotify-name"]:visible');
    await hand.act('choose "by name"', () => byName.click());
    const input = container.locator('input.red-ui-typedInput-input');
    await input.waitFor({ state: 'visible' });
    await hand.act(`type "${name}"`, () => input.pressSequentially(name));
    await hand.act('tick "create when missing"', () => page.locator('#node-input-createMissing').check());
  }

  async function done(hand: ByHand): Promise<void> {
    await hand.act('click Done', () => page.click('#node-dialog-ok'));
    await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  }

  async function open(hand: ByHand, id: string, label: string): Promise<void> {
    await hand.open(id, label);
    await page.locator('#node-dialog-ok').waitFor({ state: 'visible' });
    // The only account is the node's without a click (the demo's situation).
    assert.equal(await page.locator('#node-input-account').inputValue(), ACCOUNT, `${label} uses the only account`);
  }

  async function clickButton(hand: ByHand, id: string, label: string): Promise<void> {
    const enabled = `g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-button:not(.red-ui-flow-node-button-disabled)`;
    await page.locator(enabled).waitFor();
    await hand.act(`click the button on "${label}"`, () => clickNodeButton(page, id));
  }

  it(`Liked songs to Saved this week: new liked → add tracks to "Saved this week" (created when missing), at most ${MAX_ACTIONS} actions`, async function () {
    const name = 'Saved this week';
    assert.equal(named(name).length, 0, 'no such playlist yet');
    const { hand, chart } = await emptyTab();

    await hand.filterPalette('new liked');
    const watch = await hand.dragFromPalette('spotify-new-saved', 'new liked or saved', { x: chart.x + 200, y: chart.y + 120 });
    await hand.filterPalette('add tracks');
    const add = await hand.dragFromPalette('spotify-add-tracks', 'add tracks', { x: chart.x + 460, y: chart.y + 120 });
    await hand.wire(watch, add, 'drag a wire from "new liked or saved" to "add tracks"');

    await open(hand, add, 'add tracks');
    await playlistByName(hand, name);
    await done(hand);
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: `add tracks → ${name}` }).waitFor();
    await hand.act('click Deploy', () => deploy(page));

    // Its first look remembers what is liked already; then the user likes a song in the Spotify app.
    await statusLabel(page, watch)
      .filter({ hasText: /remembered/ })
      .waitFor();
    const [first, second] = [31, 32].map((i) => env.sim.state.catalog.track(i).uri);
    await spotify('PUT', `/me/library?uris=${encodeURIComponent(first)}`);
    await clickButton(hand, watch, 'new liked or saved');
    await statusLabel(page, add)
      .filter({ hasText: /added 1/ })
      .waitFor();
    assert.equal(named(name).length, 1, 'the playlist was made');
    assert.deepEqual(
      named(name)[0]?.items.map((e) => e.uri),
      [first],
    );

    // A second song liked: into the same playlist, found again by its name.
    await spotify('PUT', `/me/library?uris=${encodeURIComponent(second)}`);
    await clickButton(hand, watch, 'new liked or saved');
    await waitFor(() => named(name)[0]?.items.length === 2, 'the second song in the playlist');
    assert.equal(named(name).length, 1, 'one playlist, found again by its name');
    assert.deepEqual(
      named(name)[0]?.items.map((e) => e.uri),
      [first, second],
    );
    await saveRunScreenshot(page, 'recipe-liked-songs-to-saved-this-week.png');
    hand.assertAtMost(MAX_ACTIONS);
  });

  it(`My top tracks every Monday: top tracks (repeat every Monday) → replace tracks of "My top tracks", at most ${MAX_ACTIONS} actions`, async function () {
    const name = 'My top tracks';
    assert.equal(named(name).length, 0, 'no such playlist yet');
    const { hand, chart } = await emptyTab();

    // "tracks" shows both nodes of the recipe in the palette.
    await hand.filterPalette('tracks');
    const top = await hand.dragFromPalette('spotify-top-items', 'top tracks, top artists', { x: chart.x + 200, y: chart.y + 120 });
    const replace = await hand.dragFromPalette('spotify-replace-tracks', 'replace tracks', { x: chart.x + 460, y: chart.y + 120 });
    await hand.wire(top, replace, 'drag a wire from "top tracks" to "replace tracks"');

    await open(hand, top, 'top tracks, top artists');
    await choose(hand, '#node-input-repeat', 'every Monday');
    assert.equal(await page.locator('#node-input-at').inputValue(), '08:00', 'at 08:00 unless changed');
    await done(hand);

    await open(hand, replace, 'replace tracks');
    await playlistByName(hand, name);
    await done(hand);
    await hand.act('click Deploy', () => deploy(page));
    await clickButton(hand, top, 'top tracks, top artists');

    await statusLabel(page, replace)
      .filter({ hasText: /replaced/ })
      .waitFor();
    const expected = (await spotify('GET', '/me/top/tracks?limit=50')) as { items: { uri: string }[] };
    assert.ok(expected.items.length > 0);
    assert.equal(named(name).length, 1, 'the playlist was made, once');
    assert.deepEqual(
      named(name)[0]?.items.map((e) => e.uri),
      expected.items.map((t) => t.uri),
      'it holds the top tracks, top first',
    );
    const stored = await page.evaluate((id) => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node(id);
      return { repeat: n?.repeat, at: n?.at };
    }, top);
    assert.deepEqual(stored, { repeat: 'mon', at: '08:00' }, 'every Monday at 08:00');
    await saveRunScreenshot(page, 'recipe-my-top-tracks-every-monday.png');
    hand.assertAtMost(MAX_ACTIONS);
  });

  it(`Like what is playing: a button → playback state → save to library (like), at most ${MAX_ACTIONS} actions`, async function () {
    // The user plays a song in the Spotify app.
    const playing = env.sim.state.catalog.track(41).uri;
    env.sim.play(playing);
    assert.ok(!env.sim.state.library.tracks.some((t) => t.uri === playing), 'not liked yet');
    const { hand, chart } = await emptyTab();

    const button = await hand.dragFromPalette('inject', 'inject', { x: chart.x + 160, y: chart.y + 120 });
    await hand.filterPalette('playback');
    const state = await hand.dragFromPalette('spotify-playback-state', 'playback state, devices and queue', {
      x: chart.x + 380,
      y: chart.y + 120,
    });
    await hand.filterPalette('save to library');
    const like = await hand.dragFromPalette('spotify-save-to-library', 'save to library (like)', { x: chart.x + 620, y: chart.y + 120 });
    await hand.wire(button, state, 'drag a wire from the inject to "playback state"');
    await hand.wire(state, like, 'drag a wire from "playback state" to "save to library (like)"');
    await hand.act('click Deploy', () => deploy(page));
    await clickButton(hand, button, 'inject');

    await statusLabel(page, like)
      .filter({ hasText: /saved 1/ })
      .waitFor();
    assert.equal(env.sim.state.library.tracks[0]?.uri, playing, 'the song playing is the newest in Liked Songs');
    await saveRunScreenshot(page, 'recipe-like-what-is-playing.png');
    hand.assertAtMost(MAX_ACTIONS);
  });
});

/** Waits for something the simulator holds (the flow writes it after the status shows). */
async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50)); // the simulator lives in this process: let it answer
  }
}
