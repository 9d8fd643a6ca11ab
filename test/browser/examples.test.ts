// Every example flow the pack ships (examples/<group>/*.json, enumerated when the test runs), as a user meets it:
// Import → Examples in the editor, Deploy, click the inject button, read the Debug sidebar. The account the
// examples share is filled in for the simulator and authorized once beforehand (the dialog's own authorization
// is tested in account-dialog.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { localizedExamples } from '../../scripts/localize-examples';
import { exampleNames, offeredExamples } from '../support/examples';
import { BUILD_ROOT } from '../support/node-red-process';
import { saveElementScreenshot } from './pictures';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  DebugLog,
  authorizeByApi,
  clickNodeButton,
  deploy,
  examples,
  importFlow,
  manifest,
  placeImport,
  saveScreenshot,
  screenshotOnFailure,
  showDebugSidebar,
  startEditorEnv,
  type DebugEntry,
  type EditorEnv,
  type EditorRED,
  type Example,
  type FlowNode,
} from './harness';

const ACCOUNT_TYPE = 'spotify-account';
const EXAMPLES = examples();
/** Where Node-RED finds the examples: the build's examples/, with the copies in other languages. */
const EXAMPLES_DIR = path.join(BUILD_ROOT, 'examples');
/**
 * The German and Japanese copies of the Start here example, as the build has them: each is the English flow with other
 * texts (test/unit/localized-examples.test.ts), so one per language is run here, imported through the dialog from its
 * language's folder. `steps` are the tree's labels under the package.
 */
const COPIES = localizedExamples()
  .filter((c) => c.source.group === 'Start here')
  .map((c) => ({
    ...c.source,
    name: c.name,
    title: c.steps[2],
    steps: c.steps,
    nodes: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${c.name}.json`), 'utf8')) as FlowNode[],
  }));
/** Every example this test imports and runs: the English ones, then the copies. */
const RUN: (Example & { steps?: readonly string[] })[] = [...EXAMPLES, ...COPIES];
/** The one playlist the write examples create (when missing) and change. */
const EXAMPLE_PLAYLIST = 'Node-RED example';
/** The example pictured in docs/images/example-flow.png (the first one if it is gone). */
const PICTURED = EXAMPLES.some((e) => e.name === 'Nodes/Get playlists') ? 'Nodes/Get playlists' : EXAMPLES[0]?.name;
const OUTPUT_WAIT_MS = 15_000;
const QUIET_MS = 700;

/** The examples' account nodes, one per id, with every scope any example asks for. */
function exampleAccounts(): FlowNode[] {
  const byId = new Map<string, FlowNode>();
  for (const ex of EXAMPLES) {
    for (const n of ex.nodes.filter((x) => x.type === ACCOUNT_TYPE)) {
      const prev = byId.get(n.id);
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- `scopes` of the examples' account nodes is a string (harness's FlowNode leaves it unknown)
      const scopes = new Set([...String(prev?.scopes ?? '').split(/\s+/), ...String(n.scopes ?? '').split(/\s+/)].filter(Boolean));
      byId.set(n.id, { ...n, name: 'Simulator', clientId: CLIENT_ID, scopes: [...scopes].join(' ') });
    }
  }
  return [...byId.values()];
}

/** Debug nodes a catch node feeds show errors; the others show the example's output. */
function debugRoles(ex: Example): { output: Set<string>; error: Set<string> } {
  const byId = new Map(ex.nodes.map((n) => [n.id, n]));
  const error = new Set<string>();
  const walk = (id: string, seen: Set<string>): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const n = byId.get(id);
    if (!n) return;
    if (n.type === 'debug') error.add(id);
    for (const port of n.wires ?? []) for (const next of port) walk(next, seen);
  };
  for (const n of ex.nodes.filter((x) => x.type === 'catch')) walk(n.id, new Set());
  const output = new Set(ex.nodes.filter((n) => n.type === 'debug' && !error.has(n.id)).map((n) => n.id));
  return { output, error };
}

describe('browser: the example flows, imported, deployed and run', function () {
  this.timeout(30_000);
  let env: EditorEnv;
  let page: Page;
  let log: DebugLog;
  const accounts = exampleAccounts();
  const imported = new Set<string>();
  /** The user's playlists from before the examples ran, but the examples' own, with their snapshots (which any
   *  change moves). Playlists the recipes make ("My top tracks" …) are new, not changed. */
  let existing = new Set<string>();
  const otherPlaylists = (): string =>
    JSON.stringify(
      env.sim.state.playlists.filter((p) => existing.has(p.id) && p.name !== EXAMPLE_PLAYLIST).map((p) => [p.id, p.name, p.snapshot_id]),
    );
  let othersAtStart = '';

  before(async function () {
    this.timeout(90_000);
    const storeKey = newStoreKey();
    env = await startEditorEnv({
      flows: [{ id: 'home', type: 'tab', label: 'Home' }, ...accounts],
      credentials: Object.fromEntries(accounts.map((a) => [a.id, { clientSecret: CLIENT_SECRET, storeKey }])),
    });
    page = env.page;
    existing = new Set(env.sim.state.playlists.map((p) => p.id));
    othersAtStart = otherPlaylists();
    for (const a of accounts) await authorizeByApi(env, a.id, storeKey, String(a.scopes).split(' '));
    log = new DebugLog(page);
    await showDebugSidebar(page);
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  it('the pack ships examples, and Node-RED offers each one under Import → Examples', async function () {
    assert.ok(EXAMPLES.length > 0, 'examples/ holds no flow');
    assert.deepEqual(await offeredExamples(env.red.url, manifest().name), exampleNames(EXAMPLES_DIR));
    assert.ok(EXAMPLES.every((e) => exampleNames(EXAMPLES_DIR).includes(e.name)));
    assert.deepEqual(COPIES.map((c) => c.steps[0]).sort(), ['Deutsch', '日本語'], 'the Start here example in German and in Japanese');
  });

  it("lists the recipes by their titles under Import → Examples, one picked (the README's picture)", async function () {
    const recipes = EXAMPLES.filter((e) => e.group === 'Recipes');
    assert.ok(recipes.length > 0, 'examples/Recipes holds no flow');
    const shown = recipes.find((e) => e.title === 'Morning alarm') ?? recipes[0];
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-import');
    await page.click('#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples a');
    const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
    await tab.locator('.red-ui-treeList-label-text', { hasText: manifest().name }).click();
    await tab.locator('.red-ui-treeList-label-text').getByText('Recipes', { exact: true }).click();
    await tab.locator('.red-ui-treeList-label-text').getByText(shown.title, { exact: true }).click();
    // Each recipe by its readable title, not a file name.
    for (const r of recipes) await tab.locator('.red-ui-treeList-label-text').getByText(r.title, { exact: true }).waitFor();
    await saveElementScreenshot(page.locator('.ui-dialog', { has: page.locator('#red-ui-clipboard-dialog') }), 'import-examples.png');
    await page.click('#red-ui-clipboard-dialog-cancel');
  });

  it('no two examples share a node id but identical configuration nodes, so a user can import several without conflicts', function () {
    // A shared configuration node (the account, one Dashboard 2 base) is the same node in each: the import
    // dialog offers to keep the one already there.
    const owner = new Map<string, { ex: string; json: string }>();
    const clashes: string[] = [];
    for (const ex of RUN) {
      for (const n of ex.nodes) {
        const json = JSON.stringify({ ...n, x: undefined, y: undefined });
        const other = owner.get(n.id);
        const sharedConfig = !('wires' in n) && other?.json === json;
        if (other && other.ex !== ex.name && !sharedConfig) clashes.push(`${n.id} (${ex.name} and ${other.ex})`);
        owner.set(n.id, { ex: ex.name, json });
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('imports every example (the first and the copies in German and Japanese through the Import dialog), each on a tab of its own, and deploys', async function () {
    this.timeout(60_000);
    const [first, ...rest] = EXAMPLES;
    await importThroughDialog(first);
    imported.add(first.name);
    for (const ex of rest) {
      // The same as the dialog does, without its clicks to choose the file.
      await importFlow(page, ex.nodes);
      imported.add(ex.name);
    }
    for (const copy of COPIES) {
      // From the language's folder (a name in its own script), which the tree lists beside the English groups.
      await importThroughDialog(copy);
      imported.add(copy.name);
      // The canvas shows the comment in the language.
      const comment = copy.nodes.find((n) => n.type === 'comment');
      assert.ok(comment, `${copy.name} has a comment`);
      await page
        .locator('#red-ui-workspace-chart text', { hasText: String(comment.name) })
        .first()
        .waitFor();
    }
    for (const ex of RUN) {
      const found = await page.evaluate((nodes) => {
        const RED = (window as unknown as { RED: EditorRED }).RED;
        return nodes.map((n) => ({ id: n.id, type: RED.nodes.node(n.id)?.type ?? 'missing', z: RED.nodes.node(n.id)?.z ?? '' }));
      }, ex.nodes);
      assert.deepEqual(
        found.map((f) => f.type),
        ex.nodes.map((n) => n.type),
        `${ex.name}: every node is in the editor`,
      );
      // Config nodes (the account, a Dashboard 2 base, page and groups: no wires) stay global, as imports leave them.
      const tabs = new Set(found.filter((_f, i) => ex.nodes[i].type !== ACCOUNT_TYPE && 'wires' in ex.nodes[i]).map((f) => f.z));
      assert.equal(tabs.size, 1, `${ex.name}: on one tab`);
      // "Flow 7" says little in a failure's screenshot: name the tab after the example.
      await page.evaluate(
        ({ z, label }) => {
          const RED = (window as unknown as { RED: EditorRED }).RED;
          const ws = RED.nodes.workspace(z);
          if (ws) ws.label = label;
          RED.workspaces.refresh();
        },
        { z: [...tabs][0], label: ex.title },
      );
    }
    await deploy(page);
  });

  for (const ex of RUN) {
    it(`${ex.name}: its inject button gives output in the Debug sidebar, and no error`, async function () {
      assert.ok(imported.has(ex.name), 'not imported: see the import test above');
      const ids = new Set(ex.nodes.map((n) => n.id));
      const roles = debugRoles(ex);
      assert.ok(roles.output.size > 0, 'the example has a debug node for its output');
      const firstNode = ex.nodes.find((n) => n.type !== ACCOUNT_TYPE && n.type !== 'tab');
      await page.evaluate((id) => {
        const RED = (window as unknown as { RED: EditorRED }).RED;
        const z = RED.nodes.node(id)?.z;
        if (z) RED.workspaces.show(z);
      }, firstNode?.id ?? '');
      if (ex.name === PICTURED) {
        await log.poll();
        await page.click('#red-ui-sidebar-debug-clear'); // only this flow's messages in the picture
      }

      const injects = ex.nodes.filter((n) => n.type === 'inject').sort((a, b) => Number(a.y) - Number(b.y) || Number(a.x) - Number(b.x));
      if (injects.length === 0) await waitForOutput(ex, roles, 0, 'after Deploy (no inject node)');
      for (const inject of injects) {
        // An inject that fires once at deploy starts the flow by itself: what counts is output since then (a
        // click may rightly add nothing, e.g. "only what is new since the last check").
        const since = inject.once === true ? 0 : log.entries.length;
        await clickNodeButton(page, inject.id);
        await waitForOutput(
          ex,
          roles,
          since,
          `after clicking "${String((inject.name as string | undefined) || inject.id)}"${inject.once === true ? ' (or since Deploy)' : ''}`,
        );
      }
      // An error that comes later still fails: the test after the last example waits for every example's nodes
      // to fall quiet at once, rather than each example waiting on its own.
      assert.deepEqual(errorsOf(ex), [], `${ex.name} reported errors`);

      if (ex.name === PICTURED) {
        await waitQuiet(ids);
        // Open the last message's payload so the picture shows what came out.
        const handles = page.locator('.red-ui-debug-content-list .red-ui-debug-msg').last().locator('.red-ui-debug-msg-object-handle');
        await handles
          .first()
          .click()
          .catch(() => undefined); // the array
        await handles
          .nth(1)
          .click()
          .catch(() => undefined); // its first item
        await page.mouse.move(560, 600); // onto empty canvas: over the message it would highlight its node
        await page
          .locator('.red-ui-notification')
          .first()
          .waitFor({ state: 'detached' })
          .catch(() => undefined);
        await saveScreenshot(page, 'example-flow.png');
      }
    });
  }

  it('no example reports an error after its output, once all of them have fallen quiet', async function () {
    assert.equal(imported.size, RUN.length, 'every example was imported');
    await waitQuiet(new Set(RUN.flatMap((ex) => ex.nodes.map((n) => n.id))));
    for (const ex of RUN) assert.deepEqual(errorsOf(ex), [], `${ex.name} reported errors`);
  });

  it('write examples work on one playlist named "Node-RED example": clicking twice leaves one, and no other playlist changes', async function () {
    const named = (): string[] =>
      env.sim.state.library.playlists.filter((id): id is string => id !== null && env.sim.state.playlist(id)?.name === EXAMPLE_PLAYLIST);
    // The node examples; the recipes make playlists of their own ("My top tracks" …).
    const writers = EXAMPLES.filter((ex) => ex.group === 'Nodes' && ex.nodes.some((n) => n.type === 'spotify-create-playlist'));
    assert.ok(writers.length > 0, 'some example writes to a playlist');
    // Every write example has run once above; each one again, twice in a row for the first.
    for (const ex of [writers[0], ...writers]) {
      assert.ok(imported.has(ex.name), `${ex.name}: not imported`);
      const roles = debugRoles(ex);
      const inject = ex.nodes.find((n) => n.type === 'inject');
      assert.ok(inject, `${ex.name} has an inject node`);
      assert.equal(inject.repeat ?? '', '', `${ex.name}: the inject does not repeat`);
      assert.notEqual(inject.once, true, `${ex.name}: the inject does not fire at deploy`);
      await page.evaluate((id) => {
        const RED = (window as unknown as { RED: EditorRED }).RED;
        const z = RED.nodes.node(id)?.z;
        if (z) RED.workspaces.show(z);
      }, inject.id);
      const since = log.entries.length;
      await clickNodeButton(page, inject.id);
      await waitForOutput(ex, roles, since, 'after clicking it again');
      await waitQuiet(new Set(ex.nodes.map((n) => n.id)));
      assert.equal(named().length, 1, `${ex.name}: one "${EXAMPLE_PLAYLIST}" playlist after clicking again`);
    }
    assert.equal(otherPlaylists(), othersAtStart, 'no other playlist changed, since before the first example ran');
  });

  /**
   * Imports an example as a person does: Import → Examples → the package → its group (a copy: its language's folder,
   * then its group) → the flow → new flow → Import.
   */
  async function importThroughDialog(ex: Example & { steps?: readonly string[] }): Promise<void> {
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-import');
    await page.click('#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples a');
    const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
    await tab.locator('.red-ui-treeList-label-text', { hasText: manifest().name }).click();
    for (const step of ex.steps ?? [ex.group, ex.title])
      await tab.locator('.red-ui-treeList-label-text').getByText(step, { exact: true }).click();
    await page.click('#red-ui-clipboard-dialog-import-opt-new');
    await page.click('#red-ui-clipboard-dialog-ok');
    if (ex.nodes.some((n) => accounts.some((a) => a.id === n.id))) {
      // The account is already there: Node-RED asks, and leaves an existing configuration node alone by default.
      await page.locator('.red-ui-notification button', { hasText: /View nodes/ }).click();
      for (const a of accounts.filter((acc) => ex.nodes.some((n) => n.id === acc.id))) {
        const box = page.locator(
          `#red-ui-clipboard-dialog-import-conflicts-list .red-ui-clipboard-dialog-import-conflicts-gutter input[data-node-id="${a.id}"]`,
        );
        assert.equal(await box.isChecked(), false, 'the existing account is not imported over');
      }
      await page.click('#red-ui-clipboard-dialog-import-conflict');
    }
    // Imported nodes follow the mouse until a click puts them down.
    await placeImport(page);
  }

  /** Polls the Debug sidebar until one of the example's output debug nodes shows something after `since`. */
  async function waitForOutput(
    ex: Example,
    roles: { output: Set<string>; error: Set<string> },
    since: number,
    when: string,
  ): Promise<void> {
    const ids = new Set(ex.nodes.map((n) => n.id));
    const deadline = Date.now() + OUTPUT_WAIT_MS;
    for (;;) {
      await log.poll();
      const fresh = log.entries.slice(since).filter((e) => ids.has(e.node));
      const error = fresh.find((e) => roles.error.has(e.node) || e.level === '20');
      if (error) assert.fail(`${ex.name}: an error ${when}: ${error.text}`);
      if (fresh.some((e) => roles.output.has(e.node))) return;
      if (Date.now() > deadline) {
        assert.fail(
          `${ex.name}: no output in the Debug sidebar within ${OUTPUT_WAIT_MS / 1000} s ${when}; it showed ${summarize(fresh)}; Node-RED said: ${env.red.log.slice(-1500)}`,
        );
      }
      await page.waitForTimeout(200);
    }
  }

  /** What the Debug sidebar showed from the example's error debug nodes, or at error level from any of its nodes. */
  function errorsOf(ex: Example): DebugEntry[] {
    const ids = new Set(ex.nodes.map((n) => n.id));
    const roles = debugRoles(ex);
    return log.entries.filter((e) => ids.has(e.node) && (roles.error.has(e.node) || e.level === '20'));
  }

  /** Waits until the given nodes have shown nothing new for a moment (a late error must be seen). */
  async function waitQuiet(ids: Set<string>): Promise<void> {
    const deadline = Date.now() + 8_000;
    let last = Date.now();
    while (Date.now() < deadline && Date.now() - last < QUIET_MS) {
      await page.waitForTimeout(150);
      if ((await log.poll()).some((e) => ids.has(e.node))) last = Date.now();
    }
  }
});

function summarize(entries: DebugEntry[]): string {
  return entries.length ? entries.map((e) => `[${e.node} ${e.level}] ${e.text}`).join(' | ') : 'nothing';
}
