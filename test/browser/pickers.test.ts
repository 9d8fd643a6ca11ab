// The pickers in a real editor and a real browser: a node's playlist field gets a "from list" type whose list
// comes from the authorized account (the write nodes see only the playlists the user may change), filters as
// the user types, stores the picked playlist's ID and names it in the node's label; the device picker lists
// the Spotify Connect devices; an account that is not authorized says so. And the brand finds every node:
// "spotify" in the palette's filter and in quick-add (Ctrl+click on the canvas) lists every node of the pack.
// A field that no wire feeds opens in "from list" and shows the pick by its name (its ID in the tooltip); a
// pasted link is taken; play's item picker finds the user's own playlist "Road Trip" before the catalog; a
// playlist given "by name" is saved, deployed and found (created when missing) at run time.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { newStoreKey } from '../../nodes/spotify/token-store';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  authorizeByApi,
  clickNodeButton,
  closeTray,
  deploy,
  manifest,
  screenshotOnFailure,
  startEditorEnv,
  statusLabel,
  type EditorEnv,
  type EditorRED,
  PICKER,
  editNode as editNodeSettled,
  openPicker as openPickerList,
} from './harness';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import { saveRegionScreenshot } from './pictures';

/** A play node as the palette makes it: every field at its default. */
function playDefaults(id: string): Record<string, unknown> {
  return {
    id,
    type: 'spotify-play',
    z: 'tab1',
    name: '',
    account: 'acc',
    play: 'payload',
    playType: 'msg',
    playName: '',
    offset: '',
    offsetType: 'num',
    positionMs: '',
    positionMsType: 'num',
    device: '',
    deviceType: 'str',
    deviceName: '',
    wires: [[]],
  };
}

describe('browser: pickers fed by the authorized account', function () {
  this.timeout(60_000);
  let env: EditorEnv;
  let page: Page;

  before(async function () {
    this.timeout(120_000);
    const storeKey = newStoreKey();
    const account = (id: string, name: string): Record<string, unknown> => ({
      id,
      type: 'spotify-account',
      name,
      clientId: CLIENT_ID,
      scopes: DEFAULT_SCOPES.join(' '),
    });
    const addTracks = (id: string, acc: string, y: number): Record<string, unknown> => ({
      id,
      type: 'spotify-add-tracks',
      z: 'tab1',
      name: '',
      account: acc,
      playlist: 'playlist',
      playlistType: 'msg',
      tracks: 'payload',
      tracksType: 'msg',
      position: '',
      positionType: 'num',
      x: 300,
      y,
      wires: [[]],
    });
    env = await startEditorEnv({
      flows: [
        { id: 'tab1', type: 'tab', label: 'Flow 1' },
        account('acc', 'authorized'),
        account('acc-none', 'never authorized'),
        addTracks('add1', 'acc', 80),
        addTracks('add2', 'acc-none', 160),
        { ...playDefaults('play1'), x: 300, y: 240 },
        // A new play node: its defaults untouched, no wire in.
        { ...playDefaults('play-new'), x: 300, y: 320 },
        // Fed by a list node: its playlist field stays msg.playlist.
        {
          id: 'gp1',
          type: 'spotify-get-playlists',
          z: 'tab1',
          account: 'acc',
          limit: '',
          limitType: 'num',
          x: 100,
          y: 400,
          wires: [['add-fed']],
        },
        addTracks('add-fed', 'acc', 400),
        // Started by an inject that brings the track: the playlist is given by name in the test.
        {
          id: 'inj',
          type: 'inject',
          z: 'tab1',
          props: [{ p: 'payload' }],
          payload: '',
          payloadType: 'str',
          repeat: '',
          once: false,
          x: 100,
          y: 480,
          wires: [['add-byname']],
        },
        addTracks('add-byname', 'acc', 480),
      ],
      credentials: {
        acc: { clientSecret: CLIENT_SECRET, storeKey },
        'acc-none': { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() },
      },
    });
    page = env.page;
    await authorizeByApi(env, 'acc', storeKey, [...DEFAULT_SCOPES]);
    // The inject sends a real track of the simulator's catalog.
    await page.evaluate(
      (uri) => {
        const RED = (window as unknown as { RED: EditorRED }).RED;
        RED.nodes.node('inj')!.payload = uri;
      },
      `spotify:track:${env.sim.state.catalog.track(5).id}`,
    );
  });
  after(async function () {
    await env?.close();
  });
  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
    // A test that failed inside a dialog must not leave it over the canvas for the next one.
    if (this.currentTest?.state === 'failed' && (await page.locator('#node-dialog-cancel').isVisible())) {
      await page.keyboard.press('Escape');
      await closeTray(page, 'cancel');
    }
  });

  const editNode = (id: string): Promise<void> => editNodeSettled(page, id);
  const openPicker = (field: string): Promise<void> => openPickerList(page, field);

  /** What the field shows in place of its text box for a "from list" value. */
  const pickedLabel = (field: string) => page.locator(`#node-input-${field} + .red-ui-typedInput-container .tunewire-picked`);

  /** Opens the list by clicking what the field shows, as a user of a field already in "from list" does. */
  async function openShownPicker(field: string): Promise<void> {
    await pickedLabel(field).click();
    await page.locator(PICKER).waitFor({ state: 'visible' });
  }

  const typeOf = (field: string): Promise<string> =>
    page.evaluate((f) => {
      const $ = (window as unknown as { $: (s: string) => { typedInput(m: 'type'): string } }).$;
      return $(`#node-input-${f}`).typedInput('type');
    }, field);

  const pickerNames = (): Promise<string[]> => page.locator(`${PICKER} .tunewire-picker-name`).allTextContents();

  it('lists the writable playlists, filters as the user types, stores the picked ID and shows it in the label', async function () {
    const me = env.sim.state.me.id;
    const library = env.sim.state.library.playlists.filter((id): id is string => id !== null).map((id) => env.sim.state.playlist(id)!);
    const writable = library.filter((p) => p.owner.id === me || p.collaborative);
    const readOnly = library.filter((p) => p.owner.id !== me && !p.collaborative);
    assert.ok(readOnly.length > 0, 'the simulator follows a playlist the user may not change');

    await editNode('add1');
    await openPicker('playlist');
    await page.locator(`${PICKER} .tunewire-picker-item`).first().waitFor();
    assert.deepEqual(
      await pickerNames(),
      writable.map((p) => p.name),
    );
    for (const p of readOnly) assert.ok(!(await pickerNames()).includes(p.name), `${p.name} is not offered`);
    // Owner and size are shown with each name.
    const shared = writable.find((p) => p.owner.id !== me)!;
    await page
      .locator(`${PICKER} .tunewire-picker-item`, { hasText: shared.name })
      .locator('.tunewire-picker-detail', { hasText: shared.owner.display_name })
      .waitFor();
    // The README's picture: the dialog's top rows down to the list of names.
    const row = (field: string) => page.locator(`#node-input-${field}`).locator('xpath=ancestor::div[contains(@class, "form-row")][1]');
    await saveRegionScreenshot(page, [row('account'), row('playlist'), page.locator(PICKER)], 'playlist-picker.png');

    const target = writable[writable.length - 1];
    await page.locator(`${PICKER} .tunewire-picker-filter`).fill(target.name.slice(0, 6));
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 0, `${PICKER} .tunewire-picker-item`);
    const filtered = await pickerNames();
    assert.ok(filtered.includes(target.name), `${target.name} still listed`);
    assert.ok(filtered.length < writable.length, `the filter narrowed the list (${filtered.length} of ${writable.length})`);
    assert.ok(filtered.every((n) => n.toLowerCase().includes(target.name.slice(0, 6).toLowerCase())));

    await page.locator(`${PICKER} .tunewire-picker-item`, { hasText: target.name }).first().click();
    await page.locator(PICKER).waitFor({ state: 'hidden' });
    // The field shows the pick by its name; the ID is in its tooltip.
    const shown = pickedLabel('playlist');
    assert.equal((await shown.textContent())?.trim(), target.name);
    assert.equal(await shown.getAttribute('title'), target.id);
    await saveRegionScreenshot(page, [row('playlist')], 'playlist-picked.png');
    await closeTray(page, 'ok');
    const stored = await page.evaluate(() => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node('add1')!;
      return { playlist: n.playlist, playlistType: n.playlistType, playlistName: n.playlistName };
    });
    assert.deepEqual(stored, { playlist: target.id, playlistType: 'spotify-id', playlistName: target.name });
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: `add tracks → ${target.name}` }).waitFor();
  });

  it('lists the devices Spotify sees in the device picker', async function () {
    await editNode('play1');
    await openPicker('device');
    await page.locator(`${PICKER} .tunewire-picker-item`).first().waitFor();
    assert.deepEqual(
      await pickerNames(),
      env.sim.state.player.devices.map((d) => d.name),
    );
    const first = env.sim.state.player.devices[0];
    await page.locator(`${PICKER} .tunewire-picker-item`, { hasText: first.name }).click();
    await closeTray(page, 'ok');
    const device = await page.evaluate(() => (window as unknown as { RED: EditorRED }).RED.nodes.node('play1')!.device);
    assert.equal(device, first.id);
  });

  it('searches the catalog as the user types, and keeps the picked URI for play', async function () {
    const word = env.sim.state.catalog.track(3).name.split(/\s+/)[0];
    await editNode('play1');
    await openPicker('play');
    await page.locator(`${PICKER} .tunewire-picker-filter`).fill(word);
    const first = page.locator(`${PICKER} .tunewire-picker-item`).first();
    await first.waitFor();
    const name = (await first.locator('.tunewire-picker-name').textContent()) ?? '';
    assert.match(
      (await first.locator('.tunewire-picker-detail').textContent()) ?? '',
      /(track|album|artist)$/,
      'each result says its type',
    );
    await first.click();
    await closeTray(page, 'ok');
    const stored = await page.evaluate(() => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node('play1')!;
      return { play: String(n.play), playType: n.playType, playName: n.playName };
    });
    assert.match(stored.play, /^spotify:(track|album|artist):[0-9A-Za-z]{22}$/);
    assert.deepEqual({ playType: stored.playType, playName: stored.playName }, { playType: 'spotify-id', playName: name });
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: `play → ${name}` }).waitFor();
  });

  it('a field no wire feeds opens in "from list"; one a list node feeds stays msg.playlist', async function () {
    await editNode('play-new');
    assert.equal(await typeOf('play'), 'spotify-id');
    assert.equal(await typeOf('device'), 'spotify-id');
    assert.equal((await pickedLabel('play').textContent())?.trim(), 'Choose from the list…');
    assert.equal((await pickedLabel('device').textContent())?.trim(), 'The active device');
    await closeTray(page, 'cancel');
    await editNode('add-fed');
    assert.equal(await typeOf('playlist'), 'msg');
    await closeTray(page, 'cancel');
  });

  it('play\'s item picker finds the user\'s own playlist "Road Trip" before the catalog', async function () {
    const roadTrip = env.sim.state.playlists.find((p) => p.name === 'Road Trip' && p.owner.id === env.sim.state.me.id);
    assert.ok(roadTrip, 'the simulator seeds the playlist "Road Trip"');
    await editNode('play-new');
    await openShownPicker('play');
    await page.locator(`${PICKER} .tunewire-picker-filter`).fill('road');
    const first = page.locator(`${PICKER} .tunewire-picker-item`).first();
    await first.locator('.tunewire-picker-name', { hasText: 'Road Trip' }).waitFor();
    assert.match((await first.locator('.tunewire-picker-detail').textContent()) ?? '', /playlist$/);
    await first.click();
    assert.equal((await pickedLabel('play').textContent())?.trim(), 'Road Trip');
    await closeTray(page, 'ok');
    const stored = await page.evaluate(() => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node('play-new')!;
      return { play: n.play, playType: n.playType, playName: n.playName };
    });
    assert.deepEqual(stored, { play: roadTrip.uri, playType: 'spotify-id', playName: 'Road Trip' });
  });

  it('takes a pasted link in the search box, and names it when the list knows it', async function () {
    const me = env.sim.state.me.id;
    const mine = env.sim.state.playlists.find((p) => p.owner.id === me)!;
    await editNode('add1');
    await openShownPicker('playlist');
    await page.locator(`${PICKER} .tunewire-picker-item`).first().waitFor();
    await page.locator(`${PICKER} .tunewire-picker-filter`).fill(`https://open.spotify.com/playlist/${mine.id}?si=abc`);
    const first = page.locator(`${PICKER} .tunewire-picker-item`).first();
    assert.equal((await first.locator('.tunewire-picker-name').textContent())?.trim(), mine.name);
    await first.click();
    assert.equal(await pickedLabel('playlist').getAttribute('title'), mine.id);
    await closeTray(page, 'ok');
    const stored = await page.evaluate(() => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node('add1')!;
      return { playlist: n.playlist, playlistName: n.playlistName };
    });
    assert.deepEqual(stored, { playlist: mine.id, playlistName: mine.name });
  });

  it('a playlist given "by name" is saved, deployed, and created when missing at run time', async function () {
    const name = 'Saved this week';
    assert.ok(!env.sim.state.playlists.some((p) => p.name === name), 'no such playlist yet');
    await editNode('add-byname');
    const container = page.locator('#node-input-playlist + .red-ui-typedInput-container');
    await container.locator('button.red-ui-typedInput-type-select').click();
    await page.locator('.red-ui-typedInput-options a[value="spotify-name"]:visible').click();
    // Typed key by key, as a person does: the empty name's "expected a playlist name" beside the field goes
    // with the keys (a fill() sends no key, so the message would only go on the checkbox's click, moving it).
    await container.locator('input.red-ui-typedInput-input').pressSequentially(name);
    await page.locator('#node-input-createMissing').check();
    await closeTray(page, 'ok');
    const stored = await page.evaluate(() => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node('add-byname')!;
      return { playlist: n.playlist, playlistType: n.playlistType, createMissing: n.createMissing };
    });
    assert.deepEqual(stored, { playlist: name, playlistType: 'spotify-name', createMissing: true });
    await page.locator('#red-ui-workspace-chart .red-ui-flow-node-label', { hasText: `add tracks → ${name}` }).waitFor();
    await deploy(page);
    await clickNodeButton(page, 'inj');
    const track = `spotify:track:${env.sim.state.catalog.track(5).id}`;
    await statusLabel(page, 'add-byname')
      .filter({ hasText: /added 1/ })
      .waitFor();
    const made = env.sim.state.playlists.filter((p) => p.name === name);
    assert.equal(made.length, 1, 'one playlist created');
    assert.deepEqual(
      made[0].items.map((e) => e.uri),
      [track],
    );
  });

  it('says "not authorized" for an account that never was', async function () {
    await editNode('add2');
    await openPicker('playlist');
    await page.locator(`${PICKER} .tunewire-picker-status`, { hasText: /Not authorized/ }).waitFor();
    assert.equal(await page.locator(`${PICKER} .tunewire-picker-item`).count(), 0);
    await page.keyboard.press('Escape');
    await closeTray(page, 'cancel');
  });

  const packTypes = (): string[] =>
    Object.keys(manifest()['node-red'].nodes)
      .filter((t) => t !== 'spotify-account')
      .sort();

  it('"spotify" in the palette filter shows every node of the pack', async function () {
    await page.locator('#red-ui-palette-search input').fill('spotify');
    await page.waitForFunction(
      (n) => document.querySelectorAll('.red-ui-palette-node[data-palette-type^="spotify-"]:not([style*="display: none"])').length === n,
      packTypes().length,
    );
    const shown = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.red-ui-palette-node[data-palette-type^="spotify-"]'))
        .filter((el) => el.offsetParent !== null)
        .map((el) => el.dataset.paletteType ?? '')
        .sort(),
    );
    assert.deepEqual(shown, packTypes());
    await page.locator('#red-ui-palette-search input').fill('');
  });

  it('"spotify" in quick-add (Ctrl+click on the canvas) lists every node type of the pack', async function () {
    const chart = page.locator('#red-ui-workspace-chart');
    await chart.click({ position: { x: 700, y: 500 }, modifiers: ['Control'] });
    await page.locator('#red-ui-type-search-input').waitFor({ state: 'visible' });
    await page.locator('#red-ui-type-search-input').fill('spotify');
    const expected = packTypes();
    await page.waitForFunction((n) => {
      const $ = (window as unknown as { $: (s: string) => { filter(s: string): { length: number } } }).$;
      return $('#red-ui-type-search li').filter(':visible').length >= n;
    }, expected.length);
    const listed = await page.evaluate(() => {
      const $ = (window as unknown as { $: (s: string | Element) => JQueryLike }).$;
      const out: string[] = [];
      // Each result's node type is kept on its list entry, as jQuery data.
      $('#red-ui-type-search .red-ui-editableList-item-content')
        .filter(':visible')
        .each((_i, el) => {
          const data = $(el).data('data') as { type?: string } | undefined;
          if (data?.type) out.push(data.type);
        });
      return out.filter((t) => t.startsWith('spotify-')).sort();
    });
    assert.deepEqual(listed, expected);
    await page.keyboard.press('Escape');
  });
});

interface JQueryLike {
  filter(s: string): JQueryLike;
  each(fn: (i: number, el: Element) => void): JQueryLike;
  data(key: string): unknown;
}
