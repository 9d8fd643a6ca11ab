// A person's hand in the editor: every click, drag, double-click, typed field and key press goes through act(),
// which counts it and lists it in the test's output. The moves are the mouse's and keyboard's only (no
// RED.nodes calls to build a flow), so a count is what a user would spend. Shared by the tests that build a
// flow from an empty tab (the first flow, the recipes).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { nodesOfType, type EditorRED } from './harness';

export interface Point {
  x: number;
  y: number;
}

/** Waits until the workspace holds exactly n nodes of the type. */
export async function waitForNodeCount(page: Page, type: string, n: number): Promise<void> {
  await page.waitForFunction(
    ({ t, want }) => {
      let count = 0;
      (window as unknown as { RED: EditorRED }).RED.nodes.eachNode((node) => {
        if (node.type === t) count++;
      });
      return count === want;
    },
    { t: type, want: n },
  );
}

export class ByHand {
  readonly actions: string[] = [];

  constructor(private readonly page: Page) {}

  /** One user action: counted, and listed in the test's output. */
  async act(what: string, fn: () => Promise<unknown>): Promise<void> {
    this.actions.push(what);
    process.stdout.write(`      action ${this.actions.length}: ${what}\n`);
    await fn();
  }

  /**
   * Where a person takes hold of an element: its centre, once that spot shows the element itself. Something may
   * lie over it for a while — under Node-RED 5 a Deploy's notification covers the top of the canvas for a few
   * seconds, and a press there closes the notification instead of starting a wire — and a person waits until it
   * has gone. Fails naming what stays on top.
   */
  async reach(selector: string): Promise<Point> {
    const element = await this.page.locator(selector).first().elementHandle();
    assert.ok(element, `${selector} is on the page`);
    const spot = await this.page
      .waitForFunction((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return false;
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        const top = document.elementFromPoint(x, y);
        return top !== null && el.contains(top) ? { x, y } : false;
      }, element)
      .then(
        (h) => h.jsonValue(),
        () => undefined,
      );
    if (spot) return spot;
    const box = await element.boundingBox();
    assert.ok(box, `${selector} is on screen`);
    return assert.fail(`${selector} stays covered by ${await this.onTop({ x: box.x + box.width / 2, y: box.y + box.height / 2 })}`);
  }

  /** A spot of empty canvas to drop onto: the point, once nothing (a node, a link, a notification) lies there. */
  async emptyCanvas(at: Point): Promise<Point> {
    const empty = await this.page
      .waitForFunction(({ x, y }) => {
        const top = document.elementFromPoint(x, y);
        const chart = document.getElementById('red-ui-workspace-chart');
        return !!top && !!chart?.contains(top) && !top.closest('g.red-ui-flow-node-group, g.red-ui-flow-link');
      }, at)
      .then(
        () => true,
        () => false,
      );
    if (!empty) assert.fail(`the canvas at ${at.x},${at.y} stays covered by ${await this.onTop(at)}`);
    return at;
  }

  /** What is on top at a point (for a failure's message): its tag and classes. */
  private onTop(at: Point): Promise<string> {
    return this.page.evaluate(({ x, y }) => {
      const top = document.elementFromPoint(x, y);
      return top ? `${top.tagName.toLowerCase()}.${Array.from(top.classList).join('.')}` : 'nothing (outside the page)';
    }, at);
  }

  /** Where the canvas is, to place nodes on it. */
  async chart(): Promise<Point> {
    const chart = await this.page.locator('#red-ui-workspace-chart').boundingBox();
    assert.ok(chart, 'the canvas is on screen');
    return { x: chart.x, y: chart.y };
  }

  /** A mouse drag in small steps, as a hand moves: press, travel, release (not counted: act() does). */
  async drag(from: Point, to: Point): Promise<void> {
    const mouse = this.page.mouse;
    await mouse.move(from.x, from.y, { steps: 5 });
    await mouse.down();
    await mouse.move(from.x + (to.x - from.x) / 4, from.y + (to.y - from.y) / 4, { steps: 5 });
    await mouse.move(to.x, to.y, { steps: 12 });
    await mouse.up();
  }

  /** Types into the palette filter (one action), replacing what was there. */
  async filterPalette(words: string): Promise<void> {
    const input = this.page.locator('#red-ui-palette-search input');
    await this.act(`type "${words}" in the palette filter`, async () => {
      await input.fill('');
      await input.pressSequentially(words);
    });
  }

  /** Drags a palette entry onto the canvas (one action) and returns the new node's id. */
  async dragFromPalette(type: string, label: string, to: Point): Promise<string> {
    const page = this.page;
    const entry = `.red-ui-palette-node[data-palette-type="${type}"]`;
    const before = await nodesOfType(page, type);
    // What a person sees without scrolling: the entry must be on screen inside the palette. The palette filter
    // applies what was typed after a pause, and opens its category with a slide: wait until the palette shows
    // only what the filter matches and the entry stands still (conditions, never a fixed time).
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
    await this.act(`drag "${label}" from the palette onto the canvas`, async () =>
      this.drag(await this.reach(entry), await this.emptyCanvas(to)),
    );
    await waitForNodeCount(page, type, before.length + 1);
    const [id] = (await nodesOfType(page, type)).filter((i) => !before.includes(i));
    return id;
  }

  /** Drags a wire from one node's output (the first, unless port is given) to another's input: one action. */
  async wire(fromId: string, toId: string, what: string, port = 0): Promise<void> {
    const page = this.page;
    const output = `g.red-ui-flow-node-group[id="${fromId}"] .red-ui-flow-port-output >> nth=${port}`;
    const input = `g.red-ui-flow-node-group[id="${toId}"] .red-ui-flow-port-input`;
    await this.act(what, async () => this.drag(await this.reach(output), await this.reach(input)));
    await page.waitForFunction(
      ({ from, to }) => {
        const RED = (window as unknown as { RED: EditorRED & { nodes: { filterLinks(f: object): { target: { id: string } }[] } } }).RED;
        const n = RED.nodes.node(from);
        return !!n && RED.nodes.filterLinks({ source: n }).some((l) => l.target.id === to);
      },
      { from: fromId, to: toId },
    );
  }

  /** Double-clicks a node on the canvas (one action): its dialog opens. */
  async open(id: string, label: string): Promise<void> {
    await this.act(`double-click "${label}"`, () => this.page.dblclick(`g.red-ui-flow-node-group[id="${id}"] rect.red-ui-flow-node`));
  }

  /** Prints the whole list, and fails when it is longer than max. */
  assertAtMost(max: number): void {
    const a = this.actions;
    process.stdout.write(`      ${a.length} actions:\n${a.map((x, i) => `        ${i + 1}. ${x}`).join('\n')}\n`);
    assert.ok(a.length <= max, `${a.length} actions, at most ${max}: ${a.join('; ')}`);
  }
}
