// The now-playing card speaks the language of the Node-RED it runs on: with the runtime in Japanese
// (settings.js `lang: 'ja'`), the card's message and its buttons' labels are the Japanese catalog's words, not
// the English the card's client code falls back on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { PACKAGE_ROOT } from '../support/node-red-process';
import { exampleFlow } from './card-flow';
import { authorizeByApi, CLIENT_ID, CLIENT_SECRET, screenshotOnFailure, startEditorEnv, type EditorEnv } from './harness';

type Words = Record<string, string>;
const cardWords = (lang: string): Words =>
  (
    JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'nodes', 'locales', lang, 'ui-player.json'), 'utf8')) as Record<
      string,
      { card: Words }
    >
  )['spotify-ui-player'].card;

describe('browser: the now-playing card in the runtime’s language', function () {
  this.timeout(120_000);
  const ja = cardWords('ja');
  const en = cardWords('en-US');
  let env: EditorEnv | undefined;
  let page: Page | undefined;

  before(async function () {
    this.timeout(150_000);
    const flow = exampleFlow('3600', CLIENT_ID);
    const storeKey = newStoreKey();
    env = await startEditorEnv({
      flows: flow.nodes,
      credentials: { [flow.accountId]: { clientSecret: CLIENT_SECRET, storeKey } },
      settings: { lang: 'ja' },
    });
    await authorizeByApi(env, flow.accountId, storeKey, flow.scopes);
    page = await env.context.newPage();
    await page.goto(`${env.red.url}${flow.pagePath}`, { timeout: 60_000 });
  });

  after(async function () {
    await env?.close();
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  it('shows its message and labels its buttons in Japanese', async function () {
    assert.ok(page);
    const message = page.locator('.spotify-card [data-role=message]');
    await message.filter({ hasNotText: ja.connecting }).waitFor({ timeout: 60_000 });
    assert.ok([ja.noDevice, ja.nothingPlaying].includes((await message.innerText()).trim()), `message: ${await message.innerText()}`);
    for (const key of ['shuffle', 'previous', 'next', 'devices'] as const) {
      const label = await page.locator(`.spotify-card button[data-command=${key}]`).getAttribute('aria-label');
      assert.equal(label, ja[key], `the ${key} button's label (English: ${en[key]})`);
    }
  });
});
