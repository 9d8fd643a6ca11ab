// The pack's dialogs for every user: axe (through @axe-core/playwright) finds no serious or critical violation in
// a Spotify node's dialog or the account dialog beyond what Node-RED's own dialogs have. Core's dialogs are
// measured the same way in the same editor (an http request node, an http proxy config node), and what core's
// chrome brings (the tab links, the help button, the hidden login fields, the config scope) is compared by rule
// and target, so a core change neither hides nor fakes a finding of the pack's.
import assert from 'node:assert/strict';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { CLIENT_ID, closeTray, editorForSuite, openAccountDialog, type EditorNode, type EditorRED } from './harness';

const ACCOUNT = 'acc1';

/** Dialogs with every kind of field the pack has: typed inputs with and without a placeholder, pickers, selects. */
const NODES: { id: string; type: string }[] = [
  { id: 'get1', type: 'spotify-get-playlists' },
  { id: 'add1', type: 'spotify-add-tracks' },
  { id: 'play1', type: 'spotify-play' },
  { id: 'search1', type: 'spotify-search' },
  { id: 'now1', type: 'spotify-now-playing' },
  { id: 'req1', type: 'spotify-request' },
];

/** Opens a node's dialog and, for the pack's, waits until every typed input of its form is built (oneditprepare ran). */
async function openNodeDialog(page: Page, id: string, pack = true): Promise<void> {
  await page.evaluate((nodeId) => {
    const RED = (window as unknown as { RED: EditorRED }).RED;
    RED.editor.edit(RED.nodes.node(nodeId) as EditorNode);
  }, id);
  await page.locator('#node-dialog-ok').waitFor();
  if (!pack) return;
  // The pack's typed fields are #node-input-<name> with their type in a hidden #node-input-<name>Type.
  await page.waitForFunction(() => {
    const form = document.querySelector('#dialog-form');
    if (!form) return false;
    const typeFields = form.querySelectorAll('input[type=hidden][id^="node-input-"][id$="Type"]').length;
    return form.querySelectorAll('.red-ui-typedInput-container').length >= typeFields;
  });
}

/** "rule target" of every serious or critical violation axe finds in the open tray. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include('.red-ui-tray').analyze();
  assert.ok(results.passes.length > 0, 'axe checked the dialog');
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}`))
    .sort();
}

/** What `ours` has beyond `core` (each finding of core's excuses one of ours, no more). */
function beyond(ours: string[], core: string[]): string[] {
  const left = [...core];
  return ours.filter((v) => {
    const i = left.indexOf(v);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

describe('browser: the dialogs for every user (axe, compared with core’s own)', function () {
  this.timeout(60_000);
  const editor = editorForSuite({
    flows: [
      { id: 'tab1', type: 'tab', label: 'Flow 1' },
      { id: ACCOUNT, type: 'spotify-account', name: 'Simulator', clientId: CLIENT_ID, scopes: 'user-read-private' },
      { id: 'proxy1', type: 'http proxy', name: 'Proxy', url: 'http://127.0.0.1:3128', noproxy: [] },
      {
        id: 'core-http',
        type: 'http request',
        z: 'tab1',
        name: '',
        method: 'GET',
        ret: 'txt',
        paytoqs: 'ignore',
        url: '',
        x: 200,
        y: 40,
        wires: [[]],
      },
      ...NODES.map((n, i) => ({ id: n.id, type: n.type, z: 'tab1', account: ACCOUNT, x: 200, y: 100 + 60 * i, wires: [[]] })),
    ],
  });
  let page: Page;
  let coreNode: string[] = [];
  let coreConfig: string[] = [];

  before(async function () {
    page = editor.page;
    // Core's own, measured the same way in the same editor.
    await openNodeDialog(page, 'core-http', false);
    coreNode = await violations(page);
    await closeTray(page, 'cancel');
    await page.evaluate(() => (window as unknown as { RED: EditorRED }).RED.editor.editConfig('', 'http proxy', 'proxy1'));
    await page.locator('#node-config-dialog-ok').waitFor();
    coreConfig = await violations(page);
    await closeTray(page, 'cancel', true);
  });

  for (const { id, type } of NODES) {
    it(`${type}: nothing serious beyond core's http request dialog`, async function () {
      await openNodeDialog(page, id);
      const found = beyond(await violations(page), coreNode);
      await closeTray(page, 'cancel');
      assert.deepEqual(found, [], `core's own: ${coreNode.join(', ')}`);
    });
  }

  it("the account dialog: nothing serious beyond core's http proxy dialog", async function () {
    await openAccountDialog(page, ACCOUNT);
    const found = beyond(await violations(page), coreConfig);
    await closeTray(page, 'cancel', true);
    assert.deepEqual(found, [], `core's own: ${coreConfig.join(', ')}`);
  });
});
