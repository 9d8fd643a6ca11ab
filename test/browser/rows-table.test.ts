// Rows on a real Dashboard 2 table: recently played with "Items as: rows for a table" wired straight into a
// ui-table (automatic columns, no function node) shows each play's title and artists as text, and the time it
// was played in Node-RED's time zone — real Node-RED with @flowfuse/node-red-dashboard, real Chromium.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { newStoreKey } from '../../nodes/spotify/token-store';
import type { Simulator } from '../simulator';
import { minuteIn } from '../support/zone-time';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  authorizeByApi,
  saveScreenshot,
  screenshotOnFailure,
  startEditorEnv,
  type EditorEnv,
  type FlowNode,
} from './harness';

const ACCOUNT = 'rows-acc';
const SCOPES = ['user-read-private', 'user-read-recently-played'];
const ZONE = 'Asia/Kolkata';

const FLOW: FlowNode[] = [
  { id: 'tab1', type: 'tab', label: 'Plays on a table' },
  { id: ACCOUNT, type: 'spotify-account', name: 'Simulator', clientId: CLIENT_ID, scopes: SCOPES.join(' ') },
  { id: 'rows-base', type: 'ui-base', name: 'Spotify', path: '/dashboard', includeClientData: true, showPathInSidebar: false },
  {
    id: 'rows-theme',
    type: 'ui-theme',
    name: 'Default',
    colors: { surface: '#191414', primary: '#1db954', bgPage: '#f4f4f5', groupBg: '#ffffff', groupOutline: '#d9d9e0' },
  },
  { id: 'rows-page', type: 'ui-page', name: 'Plays', ui: 'rows-base', path: '/plays', layout: 'grid', theme: 'rows-theme', order: 1 },
  { id: 'rows-group', type: 'ui-group', name: 'Latest plays', page: 'rows-page', width: '12', height: '1', order: 1, showTitle: true },
  { id: 'go', type: 'inject', z: 'tab1', x: 120, y: 80, props: [], repeat: '', once: false, wires: [['plays']] },
  {
    id: 'plays',
    type: 'spotify-recently-played',
    z: 'tab1',
    x: 320,
    y: 80,
    account: ACCOUNT,
    limit: '5',
    limitType: 'num',
    output: 'array',
    format: 'rows',
    wires: [['table']],
  },
  {
    id: 'table',
    type: 'ui-table',
    z: 'tab1',
    x: 520,
    y: 80,
    group: 'rows-group',
    order: 1,
    width: 0,
    height: 0,
    maxrows: 0,
    autocols: true,
    showSearch: false,
    selectionType: 'none',
    columns: null,
    action: 'replace',
    wires: [],
  },
];

/** The newest play's title and artists as the simulator's catalogue names them. */
function newestPlay(sim: Simulator): { title: string; artists: string; playedAt: string } {
  const play = sim.state.plays[sim.state.plays.length - 1];
  const catalog = sim.state.catalog;
  const artists = new Map<string, string>();
  for (let i = 0; i < catalog.counts.artists; i++) artists.set(catalog.artist(i).id, catalog.artist(i).name);
  for (let i = 0; i < catalog.counts.tracks; i++) {
    const t = catalog.track(i);
    if (t.uri !== play.uri) continue;
    const playedAt = minuteIn(ZONE, play.played_at);
    return { title: t.name, artists: t.artist_ids.map((id) => artists.get(id) ?? '?').join(', '), playedAt };
  }
  throw new Error(`the newest play is not a catalogue track: ${play.uri}`);
}

describe('browser: rows on a Dashboard 2 table', function () {
  this.timeout(120_000);
  let env: EditorEnv;
  let page: Page | undefined;

  before(async function () {
    this.timeout(150_000);
    const storeKey = newStoreKey();
    // Node-RED runs in another process: its time zone is its environment's.
    const savedTz = process.env.TZ;
    process.env.TZ = ZONE;
    try {
      env = await startEditorEnv({ flows: FLOW, credentials: { [ACCOUNT]: { clientSecret: CLIENT_SECRET, storeKey } } });
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
    await authorizeByApi(env, ACCOUNT, storeKey, SCOPES);
  });

  after(async function () {
    await env?.close();
  });

  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, page);
  });

  it('a ui-table fed by recently played rows shows the title, artists and local time columns as text', async function () {
    const expected = newestPlay(env.sim);
    const injected = await fetch(`${env.red.url}/inject/go`, { method: 'POST' });
    assert.equal(injected.status, 200);
    page = await env.context.newPage();
    await page.goto(`${env.red.url}/dashboard/plays`, { timeout: 60_000 });
    const table = page.locator('.v-table, table').first();
    await table.locator('td', { hasText: expected.title }).first().waitFor({ timeout: 60_000 });
    const headers = (await table.locator('th').allInnerTexts()).map((h) => h.trim().toLowerCase());
    for (const column of ['played_at', 'title', 'artists', 'album', 'duration']) {
      assert.ok(headers.includes(column), `a ${column} column: ${headers.join(', ')}`);
    }
    const firstRow = (await table.locator('tbody tr').first().locator('td').allInnerTexts()).map((c) => c.trim());
    const cell = (column: string): string => firstRow[headers.indexOf(column)];
    assert.equal(cell('title'), expected.title);
    assert.equal(cell('artists'), expected.artists, 'the artists as one string, no [object Object]');
    assert.equal(cell('played_at'), expected.playedAt, `played at, in ${ZONE}`);
    assert.match(cell('duration'), /^\d+:\d\d$/);
    await saveScreenshot(page, 'rows-table.png');
  });
});
