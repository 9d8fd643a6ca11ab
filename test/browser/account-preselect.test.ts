// The only account is used without a click: a Spotify node added while exactly one account exists has it
// (valid at once, no red "none" in its dialog); a dialog opened on a node with no account picks the only one; the
// account dialog opens by itself only when there is no account at all; with two the user chooses.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CLIENT_ID, closeTray, editorForSuite, nodesOfType, type EditorRED } from './harness';
import { waitForNodeCount } from './by-hand';

const TYPE = 'spotify-my-profile';

describe('browser: the only account is preselected', function () {
  this.timeout(60_000);
  const editor = editorForSuite();
  let page: Page;
  let accountId = '';

  before(() => (page = editor.page));

  function nodeState(id: string): Promise<{ account: unknown; valid: unknown }> {
    return page.evaluate((nodeId) => {
      const n = (window as unknown as { RED: EditorRED }).RED.nodes.node(nodeId);
      return { account: n?.account, valid: n?.valid };
    }, id);
  }

  /** Adds a "my profile" node as a user does: Ctrl+click on the canvas, type, Enter. Returns its id. */
  async function quickAdd(at: { x: number; y: number }): Promise<string> {
    const before = await nodesOfType(page, TYPE);
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    assert.ok(chart);
    await page.keyboard.down('Control');
    await page.mouse.click(chart.x + at.x, chart.y + at.y);
    await page.keyboard.up('Control');
    const input = page.locator('#red-ui-type-search-input');
    await input.waitFor({ state: 'visible' });
    await input.pressSequentially('my profile');
    // Enter adds the entry selected: wait until quick-add has filtered down to the node, and selected it.
    await page.waitForFunction((type) => {
      const rows = Array.from(document.querySelectorAll<HTMLElement>('#red-ui-type-search li')).filter((el) => el.offsetParent !== null);
      return rows.length === 1 && rows[0]?.classList.contains('selected') && (rows[0].textContent ?? '').includes(`(${type})`);
    }, TYPE);
    await page.keyboard.press('Enter');
    await waitForNodeCount(page, TYPE, before.length + 1);
    const id = (await nodesOfType(page, TYPE)).find((n) => !before.includes(n));
    assert.ok(id, 'quick-add added the node');
    return id;
  }

  /** Opens a node's dialog and waits until it has slid in and its account line says how the account stands. */
  async function openNode(id: string): Promise<void> {
    await page.evaluate((nodeId) => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const node = RED.nodes.node(nodeId);
      if (node) RED.editor.edit(node);
    }, id);
    await page.locator('.tunewire-account-state').filter({ hasText: /\S/ }).waitFor();
  }

  /** The trays open: the node's dialog, and the account dialog when it is stacked on it. */
  function trays(): Promise<number> {
    return page.locator('#red-ui-editor-stack > .red-ui-tray').count();
  }

  it('no account: a new node has none, and its dialog opens the account dialog by itself', async function () {
    const id = await quickAdd({ x: 200, y: 100 });
    assert.equal((await nodeState(id)).account, '', 'nothing to preselect');
    await openNode(id);
    await page.locator('#node-config-input-clientId').waitFor({ state: 'visible' });
    // Creating it there (Add) makes it the node's account, as core does.
    await page.fill('#node-config-input-clientId', CLIENT_ID);
    await closeTray(page, 'ok', true);
    accountId = await page.locator('#node-input-account').inputValue();
    assert.ok(accountId && accountId !== '_ADD_', 'the node uses the new account');
    await closeTray(page, 'ok');
    assert.equal((await nodeState(id)).account, accountId);
  });

  it('one account: a new node has it at once, valid, and its dialog shows it without a click', async function () {
    const id = await quickAdd({ x: 200, y: 200 });
    assert.deepEqual(await nodeState(id), { account: accountId, valid: true }, 'the only account, preselected');
    await openNode(id);
    assert.equal(await page.locator('#node-input-account').inputValue(), accountId, 'the dialog shows the account');
    assert.equal(await trays(), 1, 'no account dialog on top');
    await closeTray(page, 'cancel');
  });

  it('one account: a node that has none (added before the account) gets it in its dialog', async function () {
    const id = await page.evaluate((type) => {
      const RED = (window as unknown as { RED: EditorRED & { nodes: { import(n: object[]): unknown } } }).RED;
      RED.nodes.import([{ id: 'bare1', type, z: RED.workspaces.active(), name: '', account: '', x: 200, y: 300, wires: [] }]);
      return 'bare1';
    }, TYPE);
    assert.equal((await nodeState(id)).account, '', 'imported with no account');
    await openNode(id);
    assert.equal(await page.locator('#node-input-account').inputValue(), accountId, 'the dialog picks the only account');
    assert.equal(await trays(), 1, 'no account dialog on top');
    await closeTray(page, 'ok');
    assert.equal((await nodeState(id)).account, accountId, 'Done keeps it');
  });

  it('two accounts: a new node waits for the user to choose, and no dialog opens by itself', async function () {
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED & { nodes: { import(n: object[]): unknown } } }).RED;
      RED.nodes.import([{ id: 'second1', type: 'spotify-account', name: 'second', clientId: 'other-client', scopes: '' }]);
    });
    const id = await quickAdd({ x: 200, y: 400 });
    assert.equal((await nodeState(id)).account, '', 'no guess between two accounts');
    await openNode(id);
    assert.equal(await page.locator('#node-input-account').inputValue(), '_ADD_', 'the select shows "none"');
    assert.equal(await trays(), 1, 'no account dialog on top');
    await closeTray(page, 'cancel');
  });
});
