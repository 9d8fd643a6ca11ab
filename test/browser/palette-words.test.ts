// Users' words find the nodes: each word of Spotify's own app, of a remote control and plain ones, typed into the
// palette's filter and into quick-add (Ctrl+click on the canvas), shows the node that does that job; quick-add
// lists each node once (not also as its hidden old tunewire-* name).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { editorForSuite, manifest } from './harness';

/** What a user types, and the node that must be among what the editor then shows. */
const WORDS: readonly (readonly [string, string])[] = [
  ['Liked Songs', 'spotify-saved-items'],
  ['liked', 'spotify-saved-items'],
  ['like', 'spotify-save-to-library'],
  ['unlike', 'spotify-remove-from-library'],
  ['podcast', 'spotify-item-contents'],
  ['album', 'spotify-item-contents'],
  ['queue', 'spotify-add-to-queue'],
  ['pause', 'spotify-player-control'],
  ['next', 'spotify-player-control'],
  ['skip', 'spotify-player-control'],
  ['volume', 'spotify-player-control'],
  ['shuffle', 'spotify-player-control'],
  ['device', 'spotify-player-control'],
  ['devices', 'spotify-playback-state'],
  ['history', 'spotify-recently-played'],
  ['rename', 'spotify-update-playlist'],
  ['top artists', 'spotify-top-items'],
  ['now playing', 'spotify-now-playing'],
  ['cover', 'spotify-playlist-cover'],
];

/** Node types in the manifest (what Node-RED loads), config nodes aside: what quick-add may list. */
const NODE_TYPES = Object.keys(manifest()['node-red'].nodes).filter((t) => t !== 'spotify-account');

describe('browser: users’ words find the nodes', function () {
  this.timeout(60_000);
  const editor = editorForSuite();
  let page: Page;

  before(() => (page = editor.page));

  /**
   * Types a word into the palette filter and returns the types of the entries it then shows. The editor applies
   * a filter after a pause: this waits until the entries shown are exactly those whose type or label holds the word.
   */
  async function paletteShows(word: string): Promise<string[]> {
    const input = page.locator('#red-ui-palette-search input');
    await input.fill('');
    await input.pressSequentially(word);
    const shown = await page.waitForFunction(
      (w) => {
        const filter = w.toLowerCase();
        const all = Array.from(document.querySelectorAll<HTMLElement>('#red-ui-palette-container .red-ui-palette-node'));
        const matching = all.filter(
          (el) =>
            (el.dataset.paletteType ?? '').toLowerCase().includes(filter) || (el.dataset.paletteLabel ?? '').toLowerCase().includes(filter),
        );
        const visible = all.filter((el) => el.offsetParent !== null);
        const same = visible.length === matching.length && visible.every((el) => matching.includes(el));
        return same && visible.map((el) => el.dataset.paletteType ?? '');
      },
      word,
      { polling: 100 },
    );
    return (await shown.jsonValue()) as string[];
  }

  it('each word typed into the palette filter shows its node', async function () {
    const missing: string[] = [];
    for (const [word, type] of WORDS) {
      const types = await paletteShows(word);
      if (!types.includes(type)) missing.push(`"${word}" → ${type} (shown: ${types.join(', ') || 'nothing'})`);
    }
    await page.locator('#red-ui-palette-search input').fill('');
    assert.deepEqual(missing, [], 'words the palette filter does not find');
  });

  /** Opens quick-add as a user does: Ctrl+click on an empty spot of the canvas. */
  async function openQuickAdd(): Promise<void> {
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    assert.ok(chart);
    await page.keyboard.down('Control');
    await page.mouse.click(chart.x + 300, chart.y + 200);
    await page.keyboard.up('Control');
    await page.locator('#red-ui-type-search-input').waitFor({ state: 'visible' });
  }

  /**
   * Types a word into quick-add and returns the types it then lists, in order. Quick-add filters after a pause,
   * on each entry's "type|label" (the common and recent entries step aside while a word is typed): this waits
   * until the entries shown are exactly those.
   */
  async function quickAddShows(word: string): Promise<string[]> {
    const input = page.locator('#red-ui-type-search-input');
    await input.fill('');
    await input.pressSequentially(word);
    const listed = await page.waitForFunction(
      (w) => {
        const filter = w.toLowerCase();
        // Each row's entry, as quick-add keeps it in jQuery's data.
        type Entry = { type?: string; index?: string; common?: boolean; recent?: boolean };
        const $ = (window as unknown as { $: (el: Element) => { data(key: 'data'): Entry | undefined } }).$;
        const rows = Array.from(document.querySelectorAll<HTMLElement>('#red-ui-type-search .red-ui-editableList-item-content')).map(
          (el) => ({
            el,
            item: $(el).data('data') ?? {},
          }),
        );
        const matching = rows.filter((r) => !r.item.common && !r.item.recent && (r.item.index ?? '').includes(filter));
        const visible = rows.filter((r) => r.el.offsetParent !== null);
        const same = visible.length === matching.length && visible.every((r) => matching.includes(r));
        return same && visible.map((r) => r.item.type ?? '');
      },
      word,
      { polling: 100 },
    );
    return (await listed.jsonValue()) as string[];
  }

  it('each word typed into quick-add lists its node, and no node twice', async function () {
    await openQuickAdd();
    const missing: string[] = [];
    const twice: string[] = [];
    for (const [word, type] of WORDS) {
      const types = await quickAddShows(word);
      if (!types.includes(type)) missing.push(`"${word}" → ${type} (listed: ${types.join(', ') || 'nothing'})`);
      const repeated = types.filter((t, i) => types.indexOf(t) !== i);
      if (repeated.length) twice.push(`"${word}": ${repeated.join(', ')}`);
    }
    // "spotify" lists every node of the pack, each once, by today's type.
    const all = await quickAddShows('spotify');
    await page.keyboard.press('Escape');
    assert.deepEqual(missing, [], 'words quick-add does not find');
    assert.deepEqual(twice, [], 'types quick-add lists twice');
    assert.deepEqual([...all].sort(), [...NODE_TYPES].sort(), 'quick-add lists each Spotify node once, by its type (no tunewire-* alias)');
  });
});
