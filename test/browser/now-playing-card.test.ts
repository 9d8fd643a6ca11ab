// The now-playing card on a real Dashboard 2 page: real Node-RED with @flowfuse/node-red-dashboard loaded, real
// Chromium, the simulator playing. The card shows what the simulator plays, its buttons change the simulator's
// player and every open screen follows, a change made behind the card's back shows after one poll, and three
// open pages cost the simulator exactly the player requests one page costs. The flow is the pack's example.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { SimPlaylist, Simulator } from '../simulator';
import { CARD, startCardEnv, type CardFlow } from './card-flow';
import {
  CLIENT_SECRET,
  STEP_TIMEOUT,
  authorizeByApi,
  debugEntries,
  saveScreenshot,
  showDebugSidebar,
  screenshotOnFailure,
  type EditorEnv,
  type FlowNode,
} from './harness';

const PLAYER_REQUESTS = /^\/v1\/me\/player/;
const POLL = { method: 'GET', path: '/v1/me/player' };

/** Track names by URI, from the simulator's catalogue (what the card must show). */
function trackNames(sim: Simulator): Map<string, string> {
  const names = new Map<string, string>();
  const catalog = sim.state.catalog;
  for (let i = 0; i < catalog.counts.tracks; i++) {
    const t = catalog.track(i);
    names.set(t.uri, t.name);
  }
  return names;
}

/** Waits until `check` holds, looking again every 50 ms (a state to reach, not a time to wait). */
async function until(what: string, check: () => boolean, timeoutMs = STEP_TIMEOUT): Promise<void> {
  const give = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > give) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function text(page: Page, role: string): Promise<string> {
  return page.locator(`.spotify-card [data-role=${role}]`).innerText();
}

async function showsTitle(page: Page, title: string): Promise<void> {
  await page.locator('.spotify-card [data-role=title]', { hasText: title }).waitFor();
}

async function showsMode(page: Page, mode: string): Promise<void> {
  await page.locator(`.spotify-card[data-mode=${mode}]`).waitFor();
}

describe('browser: the now-playing card on Dashboard 2', function () {
  this.timeout(120_000);
  let env: EditorEnv;
  let names: Map<string, string>;
  let flow: CardFlow;
  let playlist: SimPlaylist;
  const pages: Page[] = [];
  const received: string[] = [];

  before(async function () {
    this.timeout(150_000);
    // Poll every hour: in the first tests every poll the simulator sees is one a button or a page caused.
    let storeKey: string;
    ({ env, flow, storeKey } = await startCardEnv('3600'));
    names = trackNames(env.sim);
    const mine = env.sim.state.playlists.find((p) => p.owner.id === env.sim.state.me.id && p.items.filter((e) => !e.is_local).length >= 6);
    assert.ok(mine, 'the simulated user has a playlist of 6 tracks');
    playlist = mine;
    const first = mine.items.find((e) => !e.is_local && e.uri.startsWith('spotify:track:'));
    assert.ok(first);
    env.sim.play(first.uri, { contextUri: mine.uri, progressMs: 30_000 });
    await authorizeByApi(env, flow.accountId, storeKey, flow.scopes);
    // The card polls once the account is authorized.
    await until('the card polled after Authorize Access', () => env.sim.count(POLL) >= 1);
  });

  after(async function () {
    await env?.close();
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, pages[0]);
  });

  async function openPage(): Promise<Page> {
    const page = await env.context.newPage();
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    page.on('response', (res) => {
      if (res.url().includes('/socket.io/'))
        void res.text().then(
          (t) => received.push(t),
          () => undefined,
        );
    });
    await page.goto(`${env.red.url}${flow.pagePath}`, { timeout: 60_000 });
    await page.locator('.spotify-card').waitFor({ timeout: 60_000 });
    pages.push(page);
    return page;
  }

  function playing(): string {
    const uri = env.sim.state.player.item_uri;
    assert.ok(uri, 'the simulator plays something');
    const name = names.get(uri);
    assert.ok(name, `a catalogue track: ${uri}`);
    return name;
  }

  it('shows the cover, title, artists, album, progress and device of what the simulator plays', async function () {
    const page = await openPage();
    await showsTitle(page, playing());
    await showsMode(page, 'playing');
    const cover = page.locator('.spotify-card img[data-role=cover]');
    await cover.waitFor();
    assert.match(String(await cover.getAttribute('src')), /^https:\/\/i\.scdn\.co\/image\//);
    await page.waitForFunction(
      () => (document.querySelector<HTMLImageElement>('.spotify-card img[data-role=cover]')?.naturalWidth ?? 0) > 0,
    );
    assert.notEqual((await text(page, 'artists')).trim(), '');
    assert.notEqual((await text(page, 'album')).trim(), '');
    assert.match(await text(page, 'device'), /Living Room Speaker/);
    // The bar moves between polls: the position shown grows with no request made.
    const polls = env.sim.count({ path: PLAYER_REQUESTS });
    const before = await text(page, 'position');
    await page.waitForFunction((shown) => document.querySelector('.spotify-card [data-role=position]')?.textContent !== shown, before);
    assert.equal(env.sim.count({ path: PLAYER_REQUESTS }), polls, 'the progress moved without a request');
  });

  it('pause and next change the simulator and the card follows; each press is one command and one poll', async function () {
    const page = pages[0];
    env.sim.clearRequests();
    await page.click('.spotify-card button[data-command=pause]');
    await until('the simulator paused', () => !env.sim.state.player.is_playing);
    await showsMode(page, 'paused');
    await page.locator('.spotify-card button[data-command=play]').waitFor();
    assert.deepEqual(
      env.sim.requests.filter((r) => r.kind === 'api').map((r) => `${r.method} ${r.path}`),
      ['PUT /v1/me/player/pause', 'GET /v1/me/player'],
    );

    const was = env.sim.state.player.item_uri;
    env.sim.clearRequests();
    await page.click('.spotify-card button[data-command=next]');
    await until('the simulator moved to the next track', () => env.sim.state.player.item_uri !== was);
    await showsTitle(page, playing());
    assert.deepEqual(
      env.sim.requests.filter((r) => r.kind === 'api').map((r) => `${r.method} ${r.path}`),
      ['POST /v1/me/player/next', 'GET /v1/me/player'],
    );
  });

  it('three open pages cost the player requests of one: opening costs none, a press updates all three', async function () {
    env.sim.clearRequests();
    await openPage();
    await openPage();
    for (const page of pages) await showsTitle(page, playing());
    assert.equal(env.sim.count({ path: PLAYER_REQUESTS }), 0, 'opening two more pages asked Spotify nothing');

    const was = env.sim.state.player.item_uri;
    await pages[1].click('.spotify-card button[data-command=next]');
    await until('the simulator moved to the next track', () => env.sim.state.player.item_uri !== was);
    for (const page of pages) await showsTitle(page, playing());
    // The same two requests as the press on one page in the test before.
    assert.deepEqual(
      env.sim.requests.filter((r) => r.kind === 'api').map((r) => `${r.method} ${r.path}`),
      ['POST /v1/me/player/next', 'GET /v1/me/player'],
    );

    // Pause and play from the third page: all three follow each (and the picture is taken).
    await pages[2].click('.spotify-card button[data-command=pause]');
    for (const page of pages) await showsMode(page, 'paused');
    await pages[2].click('.spotify-card button[data-command=play]');
    for (const page of pages) await showsMode(page, 'playing');
    await pages[0].locator('.spotify-card img[data-role=cover]').waitFor();
    await pages[0].mouse.move(1, 1); // no button left highlighted by the pointer
    await saveScreenshot(pages[0], 'now-playing-card.png');
  });

  it('the volume, shuffle, repeat and device buttons reach the simulator; every press comes out of the card', async function () {
    const page = pages[0];
    await showDebugSidebar(env.page);
    await page.click('.spotify-card button[data-command=shuffle]');
    await until('shuffle on', () => env.sim.state.player.shuffle_state);
    await page.click('.spotify-card button[data-command=repeat]');
    await until('repeat context', () => env.sim.state.player.repeat_state === 'context');
    await page.locator('.spotify-card input[data-command=volume]').fill('25');
    await until('volume 25', () => env.sim.state.player.devices.find((d) => d.is_active)?.volume_percent === 25);
    await page.click('.spotify-card button[data-command=devices]');
    await page.click('.spotify-card [data-role=devices] button[data-device=Phone]');
    const phone = env.sim.state.player.devices.find((d) => d.name === 'Phone');
    await until('playing on the phone', () => env.sim.state.player.device_id === phone?.id);
    for (const p of pages) await p.locator('.spotify-card [data-role=device]', { hasText: 'Phone' }).waitFor();
    // The example wires the card's output to a debug node: each press is there, as the flow got it.
    const presses = flow.nodes.find((n) => n.type === 'debug' && n.name === 'button presses');
    assert.ok(presses);
    await env.page.waitForFunction(
      (id) =>
        ['shuffle', 'repeat', 'volume', 'transfer'].every((command) =>
          Array.from(document.querySelectorAll(`.red-ui-debug-msg-node-${id}`)).some((el) => el.textContent?.includes(`"${command}"`)),
        ),
      presses.id,
    );
    const shown = (await debugEntries(env.page)).filter((e) => e.node === presses.id).map((e) => e.text);
    assert.ok(
      shown.some((t) => /"volume"/.test(t) && /\b25\b/.test(t)),
      `the volume press with its value: ${shown.join(' | ')}`,
    );
  });

  it('the browser never receives a token or the client secret', function () {
    const secrets = env.sim.issuedSecrets();
    const all = [...secrets.accessTokens, ...secrets.refreshTokens, ...secrets.codes, CLIENT_SECRET];
    assert.ok(received.length > 0, 'the pages received data');
    const joined = received.join('\n');
    assert.deepEqual(
      all.filter((s) => joined.includes(s)),
      [],
    );
  });

  it('a change made behind its back shows on every page after one poll', async function () {
    // Poll every second from now on (the operator's minimum in these tests): a redeploy of the card alone.
    const headers = { 'content-type': 'application/json', 'Node-RED-API-Version': 'v2' };
    const current = (await (await fetch(`${env.red.url}/flows`, { headers })).json()) as { flows: FlowNode[]; rev: string };
    const flows = current.flows.map((n) => (n.type === CARD ? { ...n, pollEvery: '1' } : n));
    const res = await fetch(`${env.red.url}/flows`, {
      method: 'POST',
      headers: { ...headers, 'Node-RED-Deployment-Type': 'nodes' },
      body: JSON.stringify({ flows, rev: current.rev }),
    });
    assert.equal(res.status, 200, await res.text());

    env.sim.pause();
    const polls = env.sim.count(POLL);
    await until('one poll after the pause', () => env.sim.count(POLL) > polls);
    for (const page of pages) await showsMode(page, 'paused');

    const other = playlist.items.filter((e) => e.uri.startsWith('spotify:track:') && e.uri !== env.sim.state.player.item_uri).pop();
    assert.ok(other);
    env.sim.play(other.uri);
    const polled = env.sim.count(POLL);
    await until('one poll after the new track', () => env.sim.count(POLL) > polled);
    for (const page of pages) {
      await showsTitle(page, playing());
      await showsMode(page, 'playing');
    }
  });
});
