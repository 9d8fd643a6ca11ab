// Versioned node configs in the editor: a flow an older release saved (tunewire-* type names, no version, a
// search whose types were stored as "track,album") opens as today's nodes, marked changed so that Deploy saves
// them converted; their dialogs show the migrated values; a pasted old node is converted on import; the old
// names never show in the palette.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { currentVersion } from '../../nodes/node-red/migrations';
import {
  CLIENT_ID,
  deploy,
  importFlow,
  screenshotOnFailure,
  startEditorEnv,
  closeTray,
  type EditorEnv,
  type EditorNode,
  type EditorRED,
} from './harness';

const OLD_FLOW = [
  { id: 'tab1', type: 'tab', label: 'Saved by an older release' },
  { id: 'acc1', type: 'tunewire-account', name: 'Simulator', clientId: CLIENT_ID, scopes: 'user-read-private playlist-read-private' },
  {
    id: 'old-lists',
    type: 'tunewire-get-playlists',
    z: 'tab1',
    x: 200,
    y: 80,
    account: 'acc1',
    limit: '',
    limitType: 'num',
    output: 'array',
    wires: [[]],
  },
  {
    id: 'old-search',
    type: 'tunewire-search',
    z: 'tab1',
    x: 200,
    y: 160,
    account: 'acc1',
    query: 'payload',
    queryType: 'msg',
    types: 'track,album',
    market: '',
    marketType: 'str',
    limit: '50',
    limitType: 'num',
    output: 'array',
    wires: [[]],
  },
  // Today's type, saved before versions existed: nothing a user would notice changes.
  {
    id: 'cur-lists',
    type: 'spotify-get-playlists',
    z: 'tab1',
    x: 200,
    y: 240,
    account: 'acc1',
    limit: '',
    limitType: 'num',
    output: 'array',
    wires: [[]],
  },
];

function editorNode(page: Page, id: string): Promise<EditorNode | undefined> {
  return page.evaluate((nodeId) => {
    const RED = (window as unknown as { RED: EditorRED }).RED;
    const n = RED.nodes.node(nodeId);
    if (!n) return undefined;
    // Plain data only (the editor's node holds references to its definition and the canvas).
    const { id, type, version, types, changed } = n as EditorNode & { version?: number; types?: unknown; changed?: boolean };
    const plain: EditorNode = { id, type, version, types, changed };
    return plain;
  }, id);
}

describe('browser: an older flow opens as today’s nodes (versioned node configs)', function () {
  this.timeout(60_000);
  let env: EditorEnv;
  let page: Page;

  before(async function () {
    this.timeout(120_000);
    env = await startEditorEnv({ flows: OLD_FLOW });
    page = env.page;
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(60_000);
    await env?.close();
  });

  it('converts old type names and old field shapes on load, and marks them for Deploy', async function () {
    assert.deepEqual(await editorNode(page, 'old-lists'), {
      id: 'old-lists',
      type: 'spotify-get-playlists',
      version: currentVersion('spotify-get-playlists'),
      types: undefined,
      changed: true,
    });
    assert.deepEqual(await editorNode(page, 'old-search'), {
      id: 'old-search',
      type: 'spotify-search',
      version: currentVersion('spotify-search'),
      types: ['track', 'album'],
      changed: true,
    });
    const account = await page.evaluate(() => (window as unknown as { RED: EditorRED }).RED.nodes.node('acc1')?.type);
    assert.equal(account, 'spotify-account');
    const current = await editorNode(page, 'cur-lists');
    assert.equal(current?.version, currentVersion('spotify-get-playlists'));
    assert.ok(!current?.changed, 'a current type only gains its version, silently');
    await page.locator('#red-ui-header-button-deploy:not(.disabled)').waitFor();
  });

  it('keeps the old type names out of the palette', async function () {
    const shown = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.red-ui-palette-node[data-palette-type]')).map(
        (el) => el.getAttribute('data-palette-type') ?? '',
      ),
    );
    assert.ok(shown.includes('spotify-search'));
    assert.deepEqual(
      shown.filter((t) => t.startsWith('tunewire-')),
      [],
    );
  });

  it('opens a migrated node with its dialog showing the migrated values', async function () {
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const node = RED.nodes.node('old-search');
      if (node) RED.editor.edit(node);
    });
    await page.locator('#node-input-query').waitFor({ state: 'attached' });
    const ticked = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement>('.tunewire-search-type:checked')).map((el) => el.value),
    );
    assert.deepEqual(ticked.sort(), ['album', 'track']);
    await closeTray(page, 'cancel');
  });

  it('converts a pasted old node on import', async function () {
    await importFlow(page, [
      { id: 'pasted', type: 'tunewire-my-profile', x: 120, y: 60, account: 'acc1', wires: [[]] },
      { id: 'pasted-2', type: 'tunewire-search', x: 120, y: 120, account: 'acc1', types: 'artist', wires: [[]] },
    ]);
    const types = await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const out: { type: string; types?: unknown }[] = [];
      RED.nodes.eachNode((n) => {
        if (n.z === RED.workspaces.active()) out.push({ type: n.type, types: (n as { types?: unknown }).types });
      });
      return out;
    });
    assert.deepEqual(types.map((t) => t.type).sort(), ['spotify-my-profile', 'spotify-search']);
    assert.deepEqual(types.find((t) => t.type === 'spotify-search')?.types, ['artist']);
  });

  it('deploys the converted flow: the runtime then stores today’s types with their version', async function () {
    await deploy(page);
    const flows = (await (await fetch(`${env.red.url}/flows`)).json()) as { id: string; type: string; version?: number; types?: unknown }[];
    const byId = (id: string) => flows.find((n) => n.id === id);
    assert.equal(byId('acc1')?.type, 'spotify-account');
    assert.deepEqual(
      { type: byId('old-search')?.type, version: byId('old-search')?.version, types: byId('old-search')?.types },
      { type: 'spotify-search', version: currentVersion('spotify-search'), types: ['track', 'album'] },
    );
    assert.deepEqual(
      flows.filter((n) => n.type.startsWith('tunewire-')),
      [],
      'no old type name is saved',
    );
    assert.doesNotMatch(env.red.log, /\[error\]/, 'Node-RED logged no error');
  });
});
