// The now-playing card fits every screen and every viewer: on a real Dashboard 2 page (the pack's example, the
// simulator playing, the device list open), at phone to desktop widths, every part of the card lies inside the
// card and the card inside its Dashboard 2 group; axe finds no serious or critical violation in it. A
// screenshot of the narrowest and the widest goes to docs/images/.
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { startCardEnv, type CardFlow } from './card-flow';
import { authorizeByApi, saveScreenshot, screenshotOnFailure, type EditorEnv } from './harness';

/** Phone (narrowest in use), large phone, tablet, small desktop, wide desktop. */
const WIDTHS = [320, 375, 768, 1024, 1400];
/** The widths pictured in docs/images/ (shipped with the package: few). */
const PICTURED = [320, 1400];

interface Spill {
  what: string;
  box: string;
  inside: string;
}

/** Every element of the card (and the card itself) whose box leaves the box of what should hold it. */
function spills(page: Page): Promise<Spill[]> {
  return page.evaluate(() => {
    const card = document.querySelector<HTMLElement>('.spotify-card');
    if (!card) return [{ what: 'the card', box: 'missing', inside: '' }];
    const group = card.closest<HTMLElement>('.nrdb-ui-group');
    const show = (r: DOMRect): string => `${Math.round(r.left)},${Math.round(r.top)} → ${Math.round(r.right)},${Math.round(r.bottom)}`;
    const name = (el: Element): string =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : ''}` +
      `${el.getAttribute('data-role') ? `[data-role=${el.getAttribute('data-role')}]` : ''}` +
      `${el.getAttribute('data-command') ? `[data-command=${el.getAttribute('data-command')}]` : ''}` +
      `${el.getAttribute('data-device') ? `[data-device="${el.getAttribute('data-device')}"]` : ''}`;
    // Half a pixel of slack: boxes are fractional, and rounding is not spilling.
    const outside = (r: DOMRect, o: DOMRect): boolean =>
      r.left < o.left - 0.5 || r.top < o.top - 0.5 || r.right > o.right + 0.5 || r.bottom > o.bottom + 0.5;
    const out: { what: string; box: string; inside: string }[] = [];
    const viewport = new DOMRect(0, 0, document.documentElement.clientWidth, Number.POSITIVE_INFINITY);
    const holders: [Element, DOMRect][] = [[card, card.getBoundingClientRect()]];
    if (group) holders.push([group, group.getBoundingClientRect()]);
    else out.push({ what: 'the Dashboard 2 group around the card', box: 'missing', inside: '' });
    const cardBox = card.getBoundingClientRect();
    if (outside(cardBox, viewport)) out.push({ what: 'the card', box: show(cardBox), inside: `the page ${show(viewport)}` });
    for (const [holder, box] of holders) {
      for (const el of [card, ...Array.from(card.querySelectorAll('*'))]) {
        if (el === holder) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // not laid out (nothing to see)
        if (outside(r, box)) out.push({ what: name(el), box: show(r), inside: `${name(holder)} ${show(box)}` });
      }
    }
    return out;
  });
}

describe('browser: the now-playing card at every width, for every viewer', function () {
  this.timeout(120_000);
  let env: EditorEnv;
  let flow: CardFlow;
  let page: Page | undefined;

  before(async function () {
    this.timeout(150_000);
    let storeKey: string;
    ({ env, flow, storeKey } = await startCardEnv('3600'));
    const mine = env.sim.state.playlists.find(
      (p) => p.owner.id === env.sim.state.me.id && p.items.some((e) => e.uri.startsWith('spotify:track:')),
    );
    const first = mine?.items.find((e) => !e.is_local && e.uri.startsWith('spotify:track:'));
    assert.ok(mine && first, 'the simulated user has a playlist with a track');
    env.sim.play(first.uri, { contextUri: mine.uri, progressMs: 30_000 });
    await authorizeByApi(env, flow.accountId, storeKey, flow.scopes);
    page = await env.context.newPage();
  });

  after(async function () {
    await env?.close();
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  /** The page at `width`, the card playing with its cover. */
  async function showAt(p: Page, width: number): Promise<void> {
    await p.setViewportSize({ width, height: 900 });
    await p.goto(`${env.red.url}${flow.pagePath}`, { timeout: 60_000 });
    await p.locator('.spotify-card[data-mode=playing] [data-role=title]').waitFor({ timeout: 60_000 });
    await p.waitForFunction(() => (document.querySelector<HTMLImageElement>('.spotify-card img[data-role=cover]')?.naturalWidth ?? 0) > 0);
    await p.evaluate(() => document.fonts.ready.then(() => undefined));
    await p.mouse.move(0, 0); // no button left highlighted by the pointer
  }

  /** Opens the device list with the card's button and waits for the devices in it. */
  async function openDevices(p: Page): Promise<void> {
    await p.click('.spotify-card button[data-command=devices]');
    await p.locator('.spotify-card [data-role=devices] button[data-device]').first().waitFor();
    await p.mouse.move(0, 0);
  }

  function report(found: Spill[]): string {
    return found.map((s) => `${s.what} ${s.box} outside ${s.inside}`).join('\n');
  }

  for (const width of WIDTHS) {
    it(`at ${width} px every part of the card, its device list closed and open, lies inside the card and its group`, async function () {
      assert.ok(page);
      await showAt(page, width);
      const closed = await spills(page);
      if (PICTURED.includes(width)) await saveScreenshot(page, `now-playing-card-${width}.png`);
      assert.deepEqual(closed, [], `parts outside the card at ${width} px:\n${report(closed)}`);
      await openDevices(page);
      const open = await spills(page);
      if (width === WIDTHS[0]) await saveScreenshot(page, `now-playing-card-${width}-devices.png`);
      assert.deepEqual(open, [], `parts outside the card at ${width} px, the device list open:\n${report(open)}`);
    });
  }

  it('axe finds no serious or critical violation in the card, its device list closed or open; the keyboard follows the list', async function () {
    assert.ok(page);
    await showAt(page, 375);
    for (const state of ['closed', 'open']) {
      if (state === 'open') await openDevices(page);
      const results = await new AxeBuilder({ page }).include('.spotify-card').analyze();
      assert.ok(results.passes.length > 0, 'axe checked the card');
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
        `the device list ${state}`,
      );
    }
    // The keyboard follows the list: into it when it opens, back to its button when it closes.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-command')), 'close-devices');
    await page.keyboard.press('Enter');
    await page.locator('.spotify-card [data-role=devices]').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-command')), 'devices');
  });
});
