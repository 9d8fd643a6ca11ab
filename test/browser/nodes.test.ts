// Every node type the package declares (package.json → node-red.nodes, read when the test runs) as the editor
// shows it: its palette entry and icon, its edit dialog (every visible field labelled, no untranslated
// message key) and its help in the sidebar; and the pack's editor code, loaded once for all of them.
import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import { closeTray, manifest, openEditor, screenshotOnFailure, startEditorEnv, type EditorEnv, type EditorRED } from './harness';

const TYPES = Object.keys(manifest()['node-red'].nodes);
const DEFAULT_ICON = /arrow-in\.svg$/;
/** What Node-RED shows for a catalog key it cannot find: the key itself ("spotify-search.label.query"). */
const RAW_KEY = new RegExp(`(?<![\\w-])(?:${TYPES.map((t) => t.replace(/[-]/g, '\\-')).join('|')})\\.[A-Za-z]\\w*(?:\\.\\w+)*`);

interface FieldProblem {
  field: string;
  problem: string;
}

describe('browser: every node in the editor (palette, edit dialog, help)', function () {
  this.timeout(30_000);
  let env: EditorEnv;
  let page: Page;

  before(async function () {
    this.timeout(90_000);
    env = await startEditorEnv({
      flows: [
        { id: 'tab1', type: 'tab', label: 'Nodes' },
        { id: 'acc1', type: 'spotify-account', name: 'Simulator', clientId: 'browser-client-id', scopes: 'user-read-private' },
      ],
    });
    page = env.page;
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
    // Leave no dialog open for the next node.
    await page.evaluate(() => {
      const $ = (window as unknown as { $: (s: string) => { trigger(e: string): void } }).$;
      $('#node-dialog-cancel, #node-config-dialog-cancel').trigger('click');
    });
    await page
      .locator('.red-ui-tray')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => undefined);
  });

  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });

  it('the package declares node types, and the editor registered every one of them', async function () {
    assert.ok(TYPES.length > 0);
    const missing = await page.evaluate(
      (types) => types.filter((t) => !(window as unknown as { RED: EditorRED }).RED.nodes.getType(t)),
      TYPES,
    );
    assert.deepEqual(missing, [], 'types without an editor definition (HTML missing, or its script failed)');
  });

  TYPES.forEach((type, index) => {
    it(`${type}: pack icon in the palette and on the canvas, labelled fields, help`, async function () {
      const isConfig = await page.evaluate(
        (t) => (window as unknown as { RED: EditorRED }).RED.nodes.getType(t)?.category === 'config',
        type,
      );
      const id = `browser-node-${index}`;
      if (isConfig) {
        await page.evaluate(({ t, nodeId }) => (window as unknown as { RED: EditorRED }).RED.editor.editConfig('', t, nodeId), {
          t: type,
          nodeId: id,
        });
        await page.locator('#node-config-dialog-ok').waitFor();
      } else {
        await checkPalette(type);
        // On the canvas with its defaults, as when dragged from the palette, then opened.
        await page.evaluate(
          ({ t, nodeId }) => {
            const RED = (window as unknown as { RED: EditorRED }).RED;
            RED.view.importNodes(
              [{ id: nodeId, type: t, x: 200, y: 60 + (Number(nodeId.split('-').pop()) % 10) * 50, z: RED.workspaces.active() }],
              {
                touchImport: true,
                applyNodeDefaults: true,
                notify: false, // Node-RED 5 would show "Imported: 1 node" over the dialog's buttons
              },
            );
            const node = RED.nodes.node(nodeId);
            if (node) RED.editor.edit(node);
          },
          { t: type, nodeId: id },
        );
        const href = await page
          .locator(`g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-icon-group image`)
          .first()
          .evaluate((el) => el.getAttributeNS('http://www.w3.org/1999/xlink', 'href') ?? el.getAttribute('href'));
        assert.ok(href && !DEFAULT_ICON.test(href), `the canvas shows the pack's icon, not Node-RED's default: ${href}`);
        await page.locator('#node-dialog-ok').waitFor();
      }
      // oneditprepare may finish asynchronously (typed inputs, config lists).
      await page.waitForTimeout(150);

      const title = ((await page.locator('.red-ui-tray-titlebar').last().textContent()) ?? '').trim();
      assert.ok(!title.includes(type), `the dialog's title uses the catalog's name, not the type: "${title}"`);

      const problems = await fieldProblems(isConfig);
      assert.deepEqual(problems, [], `${type}: fields without a label or with untranslated text`);

      // The book button in the dialog's footer opens the help in the sidebar.
      await page.locator('.red-ui-tray').last().locator('.red-ui-tray-footer-left button').first().click();
      const title1 = page.locator('.red-ui-sidebar-help-stack h1.red-ui-help-title');
      await title1.waitFor();
      const help = page.locator('.red-ui-sidebar-help-stack h1.red-ui-help-title + .red-ui-help');
      const helpTitle = ((await title1.textContent()) ?? '').trim();
      const helpText = ((await help.textContent()) ?? '').replace(/\s+/g, ' ').trim();
      assert.ok(helpTitle && !helpTitle.includes(type), `the help's title is the node's name: "${helpTitle}"`);
      assert.equal(await help.locator('.red-ui-help-info-none').count(), 0, 'the node has help text');
      assert.ok(helpText.length >= 60, `the help says something: "${helpText}"`);
      assert.equal(RAW_KEY.exec(helpText)?.[0], undefined, 'no untranslated key in the help');

      await closeTray(page, 'cancel', isConfig);
    });
  });

  it('loads the shared editor code once, in one request, before any node definition', async function () {
    this.timeout(120_000);
    const bundle = `/resources/${manifest().name}/editor.js`;
    // A fresh load as a first visit makes it: nothing from the browser's cache, and room to time every resource.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript(() => performance.setResourceTimingBufferSize(10_000));
    const asked: string[] = [];
    const onRequest = (req: Request): void => {
      if (new URL(req.url()).pathname.endsWith(bundle)) asked.push(req.url());
    };
    page.on('request', onRequest);
    try {
      await openEditor(page, `${env.red.url}/`);
    } finally {
      page.off('request', onRequest);
      await cdp.detach();
    }
    assert.equal(asked.length, 1, `requests for ${bundle}: ${asked.join(', ')}`);
    // The editor asks for the node definitions (GET nodes) only once the bundle has arrived and run.
    const timing = await page.evaluate((name) => {
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const loaded = entries.filter((e) => new URL(e.name).pathname.endsWith(name)).map((e) => e.responseEnd);
      const nodes = entries.filter((e) => /\/nodes$/.test(new URL(e.name).pathname)).map((e) => e.startTime);
      return { loaded, nodes };
    }, bundle);
    assert.equal(timing.loaded.length, 1, 'the bundle was fetched once');
    assert.ok(timing.nodes.length > 0, 'the editor asked for the node definitions');
    assert.ok(
      timing.nodes.every((start) => start >= (timing.loaded[0] ?? Infinity)),
      `node definitions asked for at ${timing.nodes.join(', ')} ms, the bundle loaded at ${timing.loaded[0]} ms`,
    );
    // And nothing else carries the editor code: no node's HTML loads a script or repeats the shared code.
    const html = await (await page.request.get(`${env.red.url}/nodes`, { headers: { accept: 'text/html' } })).text();
    assert.doesNotMatch(html, /<script[^>]+src=["'][^"']*@tunewire/, 'a node file loads a script');
    assert.ok(await page.evaluate(() => typeof (window as unknown as { tunewire?: object }).tunewire === 'object'), 'window.tunewire');
  });

  async function checkPalette(type: string): Promise<void> {
    const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
    assert.equal(await entry.count(), 1, `${type} is in the palette`);
    const label = ((await entry.locator('.red-ui-palette-label').textContent()) ?? '').trim();
    assert.ok(label && !RAW_KEY.test(label) && label !== type, `the palette label comes from the catalog: "${label}"`);
    const icon = await entry.locator('.red-ui-palette-icon').evaluate((el) => getComputedStyle(el).backgroundImage);
    const url = /url\("?(.*?)"?\)/.exec(icon)?.[1] ?? '';
    assert.ok(url && !DEFAULT_ICON.test(url), `the palette shows the pack's icon, not Node-RED's default: ${icon}`);
    const res = await page.request.get(url);
    assert.equal(res.status(), 200, `the icon ${url} is served`);
    assert.match(res.headers()['content-type'] ?? '', /image\//);
  }

  /** Visible inputs, selects and textareas of the open dialog without a label, and any untranslated key shown. */
  function fieldProblems(config: boolean): Promise<FieldProblem[]> {
    return page.evaluate(
      ({ formSelector, rawKey }) => {
        const form = document.querySelector(formSelector);
        if (!form) return [{ field: formSelector, problem: 'no dialog form' }];
        const raw = new RegExp(rawKey);
        const out: { field: string; problem: string }[] = [];
        const name = (el: Element): string =>
          `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.getAttribute('type') ? '[type=' + el.getAttribute('type') + ']' : ''}` +
          (el.id ? '' : ` in .${Array.from(el.parentElement?.classList ?? []).join('.')}`);
        const visible = (el: HTMLElement): boolean => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        for (const el of Array.from(form.querySelectorAll<HTMLElement>('input, select, textarea'))) {
          // Node-RED's own decoys for browsers' password managers sit off-screen in every dialog.
          if (el.getAttribute('type') === 'hidden' || el.id.startsWith('red-ui-trap-') || !visible(el)) continue;
          // A typed input shows a new <input> of its own and hides the original (the one a label points at),
          // which stays just before the typed input's container.
          const container = el.closest('.red-ui-typedInput-container');
          const target = container && !el.id ? ((container.previousElementSibling as HTMLElement | null) ?? el) : el;
          const byFor = target.id ? form.querySelector(`label[for="${CSS.escape(target.id)}"]`) : null;
          const label = byFor ?? el.closest('label');
          const text = (label?.textContent ?? el.getAttribute('aria-label') ?? '').trim();
          if (!text) out.push({ field: name(el), problem: label ? 'its label has no text' : 'no <label for=…>' });
          else if (raw.test(text)) out.push({ field: name(el), problem: `label shows the key "${text}"` });
          for (const attr of ['placeholder', 'title']) {
            const v = el.getAttribute(attr);
            if (v && raw.test(v)) out.push({ field: name(el), problem: `${attr} shows the key "${v}"` });
          }
        }
        const walker = document.createTreeWalker(form, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const text = (n.textContent ?? '').trim();
          const parent = n.parentElement;
          if (text && raw.test(text) && parent && visible(parent) && parent.tagName !== 'STYLE' && parent.tagName !== 'SCRIPT') {
            out.push({ field: name(parent), problem: `shows the key "${text.slice(0, 80)}"` });
          }
        }
        return out;
      },
      { formSelector: config ? '#node-config-dialog-edit-form' : '#dialog-form', rawKey: RAW_KEY.source },
    );
  }
});
