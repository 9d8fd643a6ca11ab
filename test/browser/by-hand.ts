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

  async centre(selector: string): Promise<Point> {
    const box = await this.page.locator(selector).first().boundingBox();
    assert.ok(box, `${selector} is on screen`);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
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
    await this.act(`drag "${label}" from the palette onto the canvas`, async () => this.drag(await this.centre(entry), to));
    await waitForNodeCount(page, type, before.length + 1);
    const [id] = (await nodesOfType(page, type)).filter((i) => !before.includes(i));
    return id;
  }

  /** Drags a wire from one node's output (the first, unless port is given) to another's input: one action. */
  async wire(fromId: string, toId: string, what: string, port = 0): Promise<void> {
    const page = this.page;
    const output = `g.red-ui-flow-node-group[id="${fromId}"] .red-ui-flow-port-output >> nth=${port}`;
    const input = `g.red-ui-flow-node-group[id="${toId}"] .red-ui-flow-port-input`;
    await this.act(what, async () => this.drag(await this.centre(output), await this.centre(input)));
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
