// The package as users get it, installed the way a user without a shell does: the tarball `npm pack` makes
// (its prepack builds a fresh copy of the tree) uploaded through the editor's Manage palette → Install → upload
// button, into a Node-RED that did not have the pack. Then every node type is in the palette, a node's help and
// icon show, and the examples are offered under Import → Examples.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { packTarball, type PackedTarball } from '../support/pack-tarball';
import { exampleFolders, exampleNames, offeredExamples } from '../support/examples';
import { PACKAGE_ROOT } from '../support/node-red-process';
import { closeTray, screenshotOnFailure, startEditorEnv, type EditorEnv, type EditorRED } from './harness';

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  'node-red': { nodes: Record<string, string> };
};
const TYPES = Object.keys(pkg['node-red'].nodes);
const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');
/** npm install of the upload, with its dependencies from the registry, on a busy machine. */
const INSTALL_TIMEOUT = 8 * 60_000;

describe('browser: the packed tarball installed through Manage palette → Install → upload', function () {
  this.timeout(60_000);
  let tarball: PackedTarball | undefined;
  let env: EditorEnv | undefined;
  let page: Page;

  before(async function () {
    this.timeout(INSTALL_TIMEOUT + 10 * 60_000);
    tarball = await packTarball();
    env = await startEditorEnv({
      withPack: false,
      // Upload is on by default; said here because the test depends on it (Node-RED ≥ 4: externalModules).
      settings: { externalModules: { palette: { allowUpload: true } } },
    });
    page = env.page;
    // As a user: the main menu's Manage palette, its Install tab, the upload button.
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-edit-palette');
    await page.locator('#red-ui-palette-editor .red-ui-tab', { hasText: /install/i }).click();
    const upload = page.locator('.red-ui-palette-editor-upload-button');
    await upload.waitFor();
    await upload.locator('input[type="file"]').setInputFiles(tarball.file);
    await page.locator('.red-ui-palette-editor-upload-buttons .primary').click();
    // Node-RED runs npm, loads the nodes and the editor plugin, and tells the editor, which adds the nodes to the
    // palette and loads the plugin's editor code (in either order: both arrive at once).
    await page.waitForFunction(
      (types) => {
        const w = window as unknown as { RED: EditorRED; tunewire?: object };
        return !!w.tunewire && types.every((t) => !!w.RED.nodes.getType(t));
      },
      TYPES,
      { timeout: INSTALL_TIMEOUT, polling: 500 },
    );
    await closeTray(page, 'ok'); // the palette manager's Close
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  after(async function () {
    this.timeout(60_000);
    await env?.close();
  });

  it('shows every node type in the palette, and none of the old type names', async function () {
    const shown = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.red-ui-palette-node[data-palette-type]')).map(
        (el) => el.getAttribute('data-palette-type') ?? '',
      ),
    );
    const configTypes = await page.evaluate(
      (types) => types.filter((t) => (window as unknown as { RED: EditorRED }).RED.nodes.getType(t)?.category === 'config'),
      TYPES,
    );
    assert.deepEqual(
      TYPES.filter((t) => !configTypes.includes(t) && !shown.includes(t)),
      [],
      'node types missing from the palette',
    );
    assert.deepEqual(
      shown.filter((t) => t.startsWith('tunewire-')),
      [],
      'the old type names are hidden',
    );
    // …but known to the editor, which converts them (the migrations came with the upload, no reload needed).
    const unknownOld = await page.evaluate(
      (types) =>
        types
          .map((t) => t.replace(/^spotify-/, 'tunewire-'))
          .filter((t) => !(window as unknown as { RED: EditorRED }).RED.nodes.getType(t)),
      TYPES,
    );
    assert.deepEqual(unknownOld, [], 'old type names the editor does not know');
    const installed = (await (await fetch(`${env?.red.url}/nodes/${pkg.name}`, { headers: { accept: 'application/json' } })).json()) as {
      name: string;
    };
    assert.equal(installed.name, pkg.name, 'Node-RED lists the uploaded module');
  });

  it("shows a node's help and its own icon", async function () {
    const type = 'spotify-search';
    const node = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
    await node.scrollIntoViewIfNeeded();
    // The icon: the pack's picture, served and drawn (not Node-RED's default arrow).
    const icon = await node.locator('.red-ui-palette-icon').evaluate(async (el) => {
      const url = /url\("?([^")]+)"?\)/.exec(getComputedStyle(el).backgroundImage)?.[1] ?? '';
      const img = new Image();
      const loaded = new Promise<boolean>((resolve) => {
        img.onload = () => resolve(img.naturalWidth > 0);
        img.onerror = () => resolve(false);
      });
      img.src = url;
      return { url, loaded: await loaded };
    });
    assert.match(icon.url, new RegExp(`icons/${pkg.name}/tunewire-search\\.svg$`));
    assert.ok(icon.loaded, `${icon.url} loads`);
    // The help: a click on the palette node shows it in the Help sidebar.
    await node.click();
    await page.evaluate((t) => (window as unknown as { RED: EditorRED }).RED.sidebar.help.show(t), type);
    await page
      .locator('.red-ui-help', { hasText: /catalogue for albums, artists/ })
      .first()
      .waitFor();
  });

  it('offers the examples under Import → Examples, under the package name', async function () {
    // Every flow by its title, as the dialog's tree asks the library for them (the copies in German and Japanese too).
    assert.deepEqual(await offeredExamples(env?.red.url ?? '', pkg.name), exampleNames(EXAMPLES_DIR));
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-import');
    await page.locator('#red-ui-clipboard-dialog-import-tabs li', { hasText: /^\s*Examples\s*$/ }).click();
    const dialog = page.locator('#red-ui-clipboard-dialog');
    const module = dialog.locator('.red-ui-treeList-label', { hasText: pkg.name }).first();
    await module.waitFor();
    await module.click();
    // The package's folder, opened, lists its groups and a folder per language. The flows in each group are checked through the library
    // above and opened through this dialog in test/browser/examples.test.ts: here, right after an install through
    // the palette, a group opened by a click was once found closed again on a loaded machine (Node-RED 5); why is
    // not known yet, so this test does not depend on it.
    for (const group of exampleFolders(EXAMPLES_DIR)) {
      await dialog
        .locator('.red-ui-treeList-label', { hasText: new RegExp(`^\\s*${group}\\s*$`) })
        .first()
        .waitFor();
    }
    await page.click('#red-ui-clipboard-dialog-cancel');
  });
});
