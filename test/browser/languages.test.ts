// The pack in each language it ships (every folder of nodes/locales but en-US): the editor opened by a browser
// in that language and a Node-RED whose runtime speaks it show a node's dialog, its help, the account dialog
// with its health box, a node's status, a runtime error and an answer of Spotify explained in Debug as that
// language's catalog has them — and not as en-US has them. Pictures of each go to test/screenshots/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { refreshTokenExpiry } from '../../nodes/spotify/consent';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { PACKAGE_ROOT } from '../support/node-red-process';
import { startCardEnv } from './card-flow';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  authorizeByApi,
  clickNodeButton,
  closeTray,
  DebugLog,
  openAccountDialog,
  screenshotOnFailure,
  showDebugSidebar,
  startEditorEnv,
  statusLabel,
  type EditorEnv,
  type EditorRED,
  debugOn,
  injectOn,
  listNodeOn,
  PICKER,
  editNode,
  openPicker,
} from './harness';

const LOCALES = path.join(PACKAGE_ROOT, 'nodes', 'locales');
const SCREENSHOTS = path.join(PACKAGE_ROOT, 'test', 'screenshots');
const LANGUAGES = fs
  .readdirSync(LOCALES)
  .filter((l) => l !== 'en-US' && fs.statSync(path.join(LOCALES, l)).isDirectory())
  .sort();
/** The simulator's user, as the account dialog names who authorized. */
const USER = 'Demo Listener';
/** An ID no playlist of the simulator has: asking for it is a runtime error the pack words itself. */
const MISSING_PLAYLIST = '0000000000000000000000';
/** A request Spotify (the simulator) answers 404: its explanation is the library's, in the runtime's language. */
const MISSING_ALBUM_PATH = '/albums/0000000000000000000000';
const SCOPES = ['user-read-private', 'user-library-read', 'playlist-read-private'];

/** One catalog file of one language, looked up as i18next does (nested keys, __vars__, _one/_other by count). */
class Catalog {
  constructor(
    private readonly lang: string,
    private readonly file: string,
  ) {}

  private data(): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(path.join(LOCALES, this.lang, `${this.file}.json`), 'utf8')) as Record<string, unknown>;
  }

  private raw(key: string): string | undefined {
    const found = key
      .split('.')
      .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), this.data());
    return typeof found === 'string' ? found : undefined;
  }

  text(key: string, vars: Record<string, string | number> = {}): string {
    const count = vars.count;
    const plural = typeof count === 'number' ? this.raw(`${key}_${new Intl.PluralRules(this.lang).select(count)}`) : undefined;
    const template = plural ?? this.raw(key) ?? this.raw(`${key}_other`);
    assert.ok(template !== undefined, `${this.lang}/${this.file}.json has ${key}`);
    return template.replace(/__(\w+)__/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }
}

/** The help's first paragraph as the sidebar shows it (tags dropped, spaces collapsed). */
function helpOpening(lang: string, file: string): string {
  const html = fs.readFileSync(path.join(LOCALES, lang, `${file}.html`), 'utf8');
  const first = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  return first
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

async function shown(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function picture(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), animations: 'disabled' });
}

for (const lang of LANGUAGES) {
  describe(`browser: the pack in ${lang}`, function () {
    this.timeout(60_000);
    let env: EditorEnv;
    let page: Page;
    let log: DebugLog;
    const storeKey = newStoreKey();
    const here = (file: string): Catalog => new Catalog(lang, file);
    const english = (file: string): Catalog => new Catalog('en-US', file);

    before(async function () {
      this.timeout(120_000);
      env = await startEditorEnv({
        locale: lang,
        settings: { lang },
        flows: [
          { id: 'tab1', type: 'tab', label: 'Flow 1' },
          { id: 'acc1', type: 'spotify-account', name: 'Simulator', clientId: CLIENT_ID, scopes: SCOPES.join(' '), redirectUri: '' },
          injectOn('in1', 'liked', 'saved1', 80),
          listNodeOn('saved1', 'spotify-saved-items', 'acc1', 'out1', { itemType: 'tracks' }),
          debugOn('out1', 'liked', 520, 80),
          injectOn('in2', 'missing', 'get1', 180, [{ p: 'playlist', v: MISSING_PLAYLIST, vt: 'str' }]),
          {
            id: 'get1',
            type: 'spotify-get-playlist',
            z: 'tab1',
            name: '',
            account: 'acc1',
            playlist: 'playlist',
            playlistType: 'msg',
            x: 320,
            y: 180,
            wires: [[]],
          },
          injectOn('in3', 'album', 'req1', 280),
          {
            id: 'req1',
            type: 'spotify-request',
            z: 'tab1',
            name: '',
            account: 'acc1',
            method: 'GET',
            path: MISSING_ALBUM_PATH,
            pathType: 'str',
            query: '',
            queryType: 'json',
            x: 420,
            y: 280,
            wires: [[]],
          },
          // At most from the message: -5 is bad input, named by the field's label.
          injectOn('in4', 'bad limit', 'saved2', 340, [{ p: 'limit', v: '-5', vt: 'num' }]),
          {
            ...listNodeOn('saved2', 'spotify-saved-items', 'acc1', 'out1', { itemType: 'tracks' }),
            limit: 'limit',
            limitType: 'msg',
            y: 340,
          },
        ],
        credentials: { acc1: { clientSecret: CLIENT_SECRET, storeKey } },
      });
      page = env.page;
      await authorizeByApi(env, 'acc1', storeKey, SCOPES);
      log = new DebugLog(page);
    });

    afterEach(async function () {
      await screenshotOnFailure(this.currentTest, page);
    });

    after(async function () {
      this.timeout(30_000);
      await env?.close();
    });

    it("a node's dialog and its help", async function () {
      await page.evaluate(() => {
        const RED = (window as unknown as { RED: EditorRED }).RED;
        const node = RED.nodes.node('saved1');
        if (node) RED.editor.edit(node);
      });
      await page.locator('#node-dialog-ok').waitFor();
      const label = here('saved-items').text('spotify-saved-items.label.limit');
      assert.notEqual(label, english('saved-items').text('spotify-saved-items.label.limit'), 'the catalog is translated');
      await page.locator('label[for="node-input-limit"]').filter({ hasText: label }).waitFor();
      assert.equal(await shown(page, 'label[for="node-input-limit"]'), label);
      const option = here('saved-items').text('spotify-saved-items.itemType.tracks');
      assert.equal(await shown(page, '#node-input-itemType option[value="tracks"]'), option);

      await page.locator('.red-ui-tray').last().locator('.red-ui-tray-footer-left button').first().click();
      const help = page.locator('.red-ui-sidebar-help-stack h1.red-ui-help-title + .red-ui-help');
      await help.waitFor();
      const helpText = ((await help.textContent()) ?? '').replace(/\s+/g, ' ').trim();
      const opening = helpOpening(lang, 'saved-items');
      assert.notEqual(opening, helpOpening('en-US', 'saved-items'), 'the help is translated');
      assert.ok(helpText.includes(opening), `the help reads "${opening}": ${helpText.slice(0, 200)}`);
      assert.ok(!helpText.includes(helpOpening('en-US', 'saved-items')), 'and not the English help');
      await picture(page, `${lang}-node-dialog-help.png`);
      // A wrong value: the reason under the field, in this language (the catalog's frame and expectation).
      const account = here('account');
      const expected = account.text('spotify-account.library.expect.int', { min: 1, max: 100000 });
      assert.notEqual(expected, english('account').text('spotify-account.library.expect.int', { min: 1, max: 100000 }));
      await page.evaluate(() => {
        const $ = (window as unknown as { $: (s: string) => { typedInput(m: string, v: string): void } }).$;
        $('#node-input-limit').typedInput('value', '-5');
      });
      const reason = account.text('spotify-account.library.input.expected', { field: label, expected });
      await page.locator('.form-row:has(#node-input-limit) .tunewire-field-error', { hasText: reason }).waitFor({ state: 'visible' });
      await closeTray(page, 'cancel');
    });

    it('the account dialog and its health box', async function () {
      await openAccountDialog(page, 'acc1');
      await page.locator('#node-config-tunewire-health').waitFor();
      const account = here('account');
      const authorized = account.text('spotify-account.status.authorizedAs', { name: USER });
      await page.locator('#node-config-tunewire-status').filter({ hasText: authorized }).waitFor();
      assert.equal(await shown(page, '#node-config-tunewire-status'), authorized);
      assert.notEqual(authorized, english('account').text('spotify-account.status.authorizedAs', { name: USER }));
      assert.equal(await shown(page, '#node-config-tunewire-needed'), account.text('spotify-account.health.needed'));
      assert.equal(await shown(page, 'label[for="node-config-input-clientId"]'), account.text('spotify-account.label.clientId'));
      // What the nodes need, in that language's words for the scopes (the scope list says them too).
      const library = account.text('spotify-account.scopes.user-library-read');
      assert.notEqual(library, english('account').text('spotify-account.scopes.user-library-read'));
      await page.locator('#node-config-tunewire-checklist .tunewire-need-words', { hasText: library }).first().waitFor();
      const scopeRow = page.locator('.tunewire-scope', { has: page.locator('#node-config-tunewire-scope-user-library-read') });
      assert.ok(((await scopeRow.locator('label').textContent()) ?? '').includes(library), 'the scope list names it so too');
      // The consent's dates in the browser's language, inside that language's sentence.
      const status = (await (
        await fetch(`${env.red.url}/tunewire/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ accountId: 'acc1' }),
        })
      ).json()) as { authorizedAt: string };
      const consent = Date.parse(status.authorizedAt);
      const [given, until] = await page.evaluate(
        ([l, a, b]) => [a, b].map((t) => new Date(t).toLocaleDateString(l, { day: 'numeric', month: 'long', year: 'numeric' })),
        [lang, consent, refreshTokenExpiry(consent)] as const,
      );
      assert.notEqual(given, new Date(consent).toLocaleDateString('en-US', { day: 'numeric', month: 'long', year: 'numeric' }));
      assert.equal(await shown(page, '#node-config-tunewire-consent'), account.text('spotify-account.health.consent', { given, until }));
      await page.locator('#node-config-tunewire-health').scrollIntoViewIfNeeded();
      await picture(page, `${lang}-account-health.png`);
      await closeTray(page, 'cancel', true);
    });

    it('a status under a node', async function () {
      const status = here('saved-items').text('spotify-saved-items.status.savedTracks', { count: 3 });
      assert.notEqual(status, english('saved-items').text('spotify-saved-items.status.savedTracks', { count: 3 }));
      await clickNodeButton(page, 'in1');
      await statusLabel(page, 'saved1')
        .filter({ hasText: new RegExp(`^${status.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
        .waitFor();
    });

    it('a runtime error in the Debug sidebar', async function () {
      await showDebugSidebar(page);
      await log.poll(); // what came before is not this test's
      const account = here('account');
      const error = account.text('spotify-account.runtime.errors.playlistNotFound', { id: MISSING_PLAYLIST });
      assert.notEqual(error, english('account').text('spotify-account.runtime.errors.playlistNotFound', { id: MISSING_PLAYLIST }));
      await clickNodeButton(page, 'in2');
      await page.locator('.red-ui-debug-msg-node-get1').first().waitFor();
      const entries = (await log.poll()).filter((e) => e.node === 'get1');
      assert.equal(entries.length, 1, JSON.stringify(entries));
      assert.ok(entries[0].text.includes(error), `Debug shows "${error}": ${entries[0].text}`);
      const status = account.text('spotify-account.runtime.status.playlistNotFound');
      await statusLabel(page, 'get1').filter({ hasText: status }).waitFor();
      // Bad input: the field by its label and what it expects, in this language.
      const badInput = account.text('spotify-account.library.input.expectedGot', {
        field: here('saved-items').text('spotify-saved-items.label.limit'),
        expected: account.text('spotify-account.library.expect.int', { min: 1, max: 100000 }),
        got: account.text('spotify-account.library.input.got.value', { kind: 'number', value: -5 }),
      });
      await clickNodeButton(page, 'in4');
      await page.locator('.red-ui-debug-msg-node-saved2').first().waitFor();
      const bad = (await log.poll()).filter((e) => e.node === 'saved2');
      assert.equal(bad.length, 1, JSON.stringify(bad));
      assert.ok(bad[0].text.includes(badInput), `Debug shows "${badInput}": ${bad[0].text}`);
    });

    it("Spotify's answer explained in the Debug sidebar", async function () {
      await log.poll();
      const account = here('account');
      // Spotify's own words ("Resource not found"), the status and the request stay as they came.
      const cause = account.text('spotify-account.library.spotify.cause.notFound', { said: 'Resource not found' });
      const answered = account.text('spotify-account.library.spotify.answeredTo', {
        status: '404 Not Found',
        method: 'GET',
        path: MISSING_ALBUM_PATH,
      });
      assert.notEqual(cause, english('account').text('spotify-account.library.spotify.cause.notFound', { said: 'Resource not found' }));
      await clickNodeButton(page, 'in3');
      await page.locator('.red-ui-debug-msg-node-req1').first().waitFor();
      const entries = (await log.poll()).filter((e) => e.node === 'req1');
      assert.equal(entries.length, 1, JSON.stringify(entries));
      assert.ok(entries[0].text.includes(`${cause}${answered}`), `Debug shows "${cause}${answered}": ${entries[0].text}`);
      await picture(page, `${lang}-status-and-debug.png`);
    });
  });
}

for (const lang of LANGUAGES) {
  // The editor's language need not be the runtime's: a browser in German on a Node-RED whose process has no LANG
  // (most containers) runs its runtime in English. What the pickers' routes say shows in the dialog, so the editor
  // words it from the route's key, in its own language.
  describe(`browser: the editor in ${lang} on a runtime in English`, function () {
    this.timeout(60_000);
    let env: EditorEnv;
    let page: Page;
    const storeKey = newStoreKey();
    const account = new Catalog(lang, 'account');

    before(async function () {
      this.timeout(120_000);
      env = await startEditorEnv({
        locale: lang,
        settings: { lang: 'en-US' },
        flows: [
          { id: 'tab1', type: 'tab', label: 'Flow 1' },
          { id: 'acc1', type: 'spotify-account', name: 'Reads only', clientId: CLIENT_ID, scopes: SCOPES.join(' '), redirectUri: '' },
          { id: 'acc2', type: 'spotify-account', name: 'Never authorized', clientId: CLIENT_ID, scopes: SCOPES.join(' '), redirectUri: '' },
          {
            id: 'play1',
            type: 'spotify-play',
            z: 'tab1',
            name: '',
            account: 'acc1',
            play: 'payload',
            playType: 'msg',
            device: '',
            deviceType: 'str',
            x: 320,
            y: 80,
            wires: [[]],
          },
          {
            id: 'get2',
            type: 'spotify-get-playlist',
            z: 'tab1',
            name: '',
            account: 'acc2',
            playlist: 'playlist',
            playlistType: 'msg',
            x: 320,
            y: 160,
            wires: [[]],
          },
        ],
        credentials: { acc1: { clientSecret: CLIENT_SECRET, storeKey } },
      });
      page = env.page;
      await authorizeByApi(env, 'acc1', storeKey, SCOPES); // no scope to read the devices
    });

    afterEach(async function () {
      await screenshotOnFailure(this.currentTest, page);
      if (await page.locator('#node-dialog-cancel').isVisible()) {
        await page.keyboard.press('Escape');
        await closeTray(page, 'cancel');
      }
    });

    after(async function () {
      this.timeout(30_000);
      await env?.close();
    });

    it("a picker's message: not authorized, and a missing scope in the editor's scope words", async function () {
      const pickerSays = async (text: string): Promise<void> => {
        await page.locator(`${PICKER} .tunewire-picker-status`).filter({ hasText: text }).waitFor();
      };
      const notAuthorized = account.text('spotify-account.runtime.pickers.notAuthorized');
      assert.notEqual(notAuthorized, new Catalog('en-US', 'account').text('spotify-account.runtime.pickers.notAuthorized'));
      await editNode(page, 'get2');
      await openPicker(page, 'playlist');
      await pickerSays(notAuthorized);
      await page.keyboard.press('Escape');
      await closeTray(page, 'cancel');

      const needs = account.text('spotify-account.scopes.user-read-playback-state');
      await editNode(page, 'play1');
      await openPicker(page, 'device');
      await pickerSays(account.text('spotify-account.runtime.pickers.missingScope', { needs }));
    });
  });
}

for (const lang of LANGUAGES) {
  describe(`browser: the now-playing card in ${lang}`, function () {
    this.timeout(120_000);

    it("the card's buttons and messages are in the runtime's language", async function () {
      this.timeout(150_000);
      const { env, flow, storeKey } = await startCardEnv('3600', { locale: lang, settings: { lang } });
      try {
        await authorizeByApi(env, flow.accountId, storeKey, flow.scopes);
        const card = new Catalog(lang, 'ui-player');
        const next = card.text('spotify-ui-player.card.next');
        assert.notEqual(next, new Catalog('en-US', 'ui-player').text('spotify-ui-player.card.next'));
        const page = await env.context.newPage();
        await page.goto(`${env.red.url}${flow.pagePath}`, { timeout: 60_000 });
        await page.locator('.spotify-card').waitFor({ timeout: 60_000 });
        await page.locator(`.spotify-card button[data-command="next"][aria-label="${next}"]`).waitFor();
        const volume = card.text('spotify-ui-player.card.volume');
        assert.equal(await page.locator('.spotify-card input[data-command="volume"]').getAttribute('aria-label'), volume);
        await page.locator('.spotify-card').screenshot({ path: path.join(SCREENSHOTS, `${lang}-card.png`), animations: 'disabled' });
      } finally {
        await env.close();
      }
    });
  });
}
