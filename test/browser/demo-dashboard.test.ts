// The demo's dashboard page, as a person opens it: a real demo process (simulator + Node-RED, on a directory and
// ports of its own), Authorize Access, then the page the demo names shows the spotify player card playing what
// the simulator plays from the start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { authorizeProcess, consentThrough } from '../support/authorize-process';
import { trackChild } from '../support/child-registry';
import { BUILD_ROOT, PACKAGE_ROOT, freePort } from '../support/node-red-process';
import { STEP_TIMEOUT, VIEWPORT, sharedBrowser } from './harness';

describe('browser: the demo offers a dashboard page with the card playing', function () {
  this.timeout(180_000);
  let dir: string;
  let context: BrowserContext | undefined;
  let stop: (() => Promise<void>) | undefined;

  after(async function () {
    await context?.close().catch(() => undefined);
    await stop?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('after Authorize Access, the page the demo names shows the card playing the simulator’s track', async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-demo-dashboard-'));
    const redPort = await freePort();
    const simPort = await freePort();
    const child = trackChild(
      spawn(process.execPath, [path.join(BUILD_ROOT, 'scripts', 'demo.js')], {
        cwd: PACKAGE_ROOT,
        env: { ...process.env, DEMO_DIR: dir, DEMO_PORT: String(redPort), DEMO_SIM_PORT: String(simPort) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
      'demo',
    );
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
    const give = Date.now() + 120_000;
    while (!/Press Ctrl\+C to stop/.test(output)) {
      assert.ok(child.exitCode === null && Date.now() < give, `the demo did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const page = /Dashboard 2 page: +(http:\/\/\S+)/.exec(output)?.[1];
    assert.ok(page, `the demo names its dashboard page:\n${output}`);

    const red = `http://127.0.0.1:${redPort}`;
    const flows = (await (await fetch(`${red}/flows`)).json()) as { id: string; type: string; scopes?: string }[];
    const account = flows.find((n) => n.type === 'spotify-account');
    assert.ok(account);
    await authorizeProcess({ url: red, log: output }, consentThrough(`http://127.0.0.1:${simPort}`), {
      accountId: account.id,
      clientId: 'demo-client-id',
      scopes: String(account.scopes).split(' '),
    });

    const state = (await (await fetch(`http://127.0.0.1:${simPort}/__sim/state?items=0`)).json()) as {
      player: { is_playing: boolean; item_uri: string | null };
    };
    assert.ok(state.player.is_playing && state.player.item_uri, 'the simulator plays from the start');

    context = await (await sharedBrowser()).newContext({ viewport: VIEWPORT });
    const tab = await context.newPage();
    tab.setDefaultTimeout(STEP_TIMEOUT);
    await tab.goto(page, { timeout: 60_000 });
    await tab.locator('.spotify-card[data-mode=playing] [data-role=title]').waitFor({ timeout: 60_000 });
    assert.notEqual((await tab.locator('.spotify-card [data-role=title]').innerText()).trim(), '');
  });
});
