// The now-playing card against hostile dashboard viewers: a real Node-RED with Dashboard 2 and the card, its
// socket driven as a page would (test/support/dashboard-socket.ts), the simulator with Spotify's rate window
// on. A flood of presses becomes a few commands and leaves the rest of the app alone; anything that is not
// one of the card's own presses is refused with one log line, and nothing a viewer sends leaves the card's
// output but a validated press.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CARD_PRESS_LIMITS } from '../../nodes/node-red/card-presses';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { startSimulator, type Simulator } from '../simulator';
import { authorizeProcess } from '../support/authorize-process';
import { DashboardSocket } from '../support/dashboard-socket';
import { NodeRedProcess, freePort } from '../support/node-red-process';
import { playlistsEndpoint } from '../support/playlists-endpoint';

const CLIENT_ID = 'card-viewers-client';
const CLIENT_SECRET = 'card-viewers-secret';
const SCOPES = ['user-read-private', 'playlist-read-private', 'user-read-playback-state', 'user-modify-playback-state'];
const CARD = 'card';
const PLAYER = /^\/v1\/me\/player/;
/** What the function node behind the card writes to the log for each message the card sends. */
const OUTPUT_MARK = 'card output ';

function flows(): unknown[] {
  return [
    { id: 'tab', type: 'tab', label: 'card viewers' },
    { id: 'acc', type: 'spotify-account', name: 'a', clientId: CLIENT_ID, scopes: SCOPES.join(' ') },
    ...playlistsEndpoint(['get']),
    {
      id: 'base',
      type: 'ui-base',
      name: 'viewers',
      path: '/dashboard',
      includeClientData: true,
      acceptsClientConfig: ['ui-notification', 'ui-control'],
    },
    { id: 'theme', type: 'ui-theme', name: 'plain', colors: { surface: '#ffffff', primary: '#1db954' } },
    { id: 'page', type: 'ui-page', name: 'card', ui: 'base', path: '/card', layout: 'grid', theme: 'theme', order: 1 },
    { id: 'group', type: 'ui-group', name: 'card', page: 'page', width: '6', height: '1', order: 1 },
    // Poll every hour: every player request the simulator sees is one the viewers caused.
    {
      id: CARD,
      type: 'spotify-ui-player',
      z: 'tab',
      account: 'acc',
      group: 'group',
      pollEvery: '3600',
      idleFactor: '1',
      x: 300,
      y: 300,
      wires: [['out']],
    },
    // A flow's command to the card: GET /card-command?command=… (answered at once; the command follows).
    { id: 'cmdIn', type: 'http in', z: 'tab', url: '/card-command', method: 'get', x: 100, y: 400, wires: [['cmdSet']] },
    {
      id: 'cmdSet',
      type: 'change',
      z: 'tab',
      rules: [{ t: 'set', p: 'command', pt: 'msg', to: 'req.query.command', tot: 'msg' }],
      x: 300,
      y: 400,
      wires: [[CARD, 'cmdRes']],
    },
    { id: 'cmdRes', type: 'http response', z: 'tab', statusCode: '200', x: 500, y: 400, wires: [] },
    {
      id: 'out',
      type: 'function',
      z: 'tab',
      name: 'out',
      func: `node.log(${JSON.stringify(OUTPUT_MARK)} + JSON.stringify(msg)); return null;`,
      outputs: 1,
      x: 500,
      y: 300,
      wires: [[]],
    },
  ];
}

type Press = [string, ...unknown[]];

function press(command: string, value?: unknown): Press {
  return ['widget-action', CARD, { spotifyCard: value === undefined ? { command } : { command, value } }];
}

describe('the now-playing card against its dashboard viewers (real Node-RED, Dashboard 2 socket)', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let red: NodeRedProcess;
  let userDir: string;
  const sockets: DashboardSocket[] = [];

  async function viewer(): Promise<DashboardSocket> {
    const socket = await DashboardSocket.connect(red.url);
    sockets.push(socket);
    return socket;
  }

  /** The messages the card sent into the flow so far, as the function node behind it logged them. */
  function outputs(): Record<string, unknown>[] {
    return red.log
      .split('\n')
      .filter((line) => line.includes(OUTPUT_MARK))
      .map((line) => JSON.parse(line.slice(line.indexOf(OUTPUT_MARK) + OUTPUT_MARK.length)) as Record<string, unknown>);
  }

  /** The log lines the card itself wrote. */
  function cardLines(): string[] {
    // Node-RED heads a node's log lines with its name, the pack's label for an unnamed node (the flow has one card).
    return red.log.split('\n').filter((line) => line.includes('[spotify-ui-player:'));
  }

  function playerRequests(): string[] {
    return sim.requests.filter((r) => r.kind === 'api' && PLAYER.test(r.path)).map((r) => `${r.method} ${r.path}`);
  }

  async function until(what: string, check: () => boolean): Promise<void> {
    const give = Date.now() + 30_000;
    while (!check()) {
      if (Date.now() > give) throw new Error(`never happened: ${what}\n${red.log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  before(async function () {
    const port = await freePort();
    sim = await startSimulator({
      apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/tunewire/callback`] }],
    });
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-card-viewers-'));
    red = new NodeRedProcess({
      userDir,
      port,
      // A cooldown longer than 5 s fails at once instead of being waited out: a stalled flow shows as a 500.
      settings: { spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, maxRetryAfterSeconds: 5 } },
      flows: flows(),
      credentials: { acc: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } },
    });
    await red.start();
    sim.play(sim.state.catalog.track(2).uri);
    await authorizeProcess(red, sim, { clientId: CLIENT_ID, scopes: SCOPES, accountId: 'acc' });
    await until('the card polled once after Authorize Access', () => sim.count({ method: 'GET', path: '/v1/me/player' }) >= 1);
  });

  after(async function () {
    await Promise.all(sockets.map((s) => s.close()));
    await red?.stop();
    await sim?.stop();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  it('a viewer that opens the page gets what the card shows, with no request', async function () {
    const before = sim.requests.length;
    const socket = await viewer();
    await socket.emit(...press('hello'));
    await socket.until(() => socket.received(`spotify-player:${CARD}`).length > 0, 'the view');
    const [view] = socket.received(`spotify-player:${CARD}`)[0] as [{ mode: string }];
    assert.equal(view.mode, 'playing');
    assert.equal(sim.requests.length, before);
  });

  it('300 presses from one viewer: one command per kind and one poll, no 429, and another flow is served after them at once', async function () {
    // Spotify's rolling window, tight: the 300 requests the presses used to make would run into it 10 times over.
    sim.setRateLimit({ budget: 30, windowMs: 30_000 });
    sim.clearRequests();
    const outBefore = outputs().length;
    const startVolume = sim.state.player.devices.find((d) => d.is_active)?.volume_percent;
    const lastVolume = startVolume === 37 ? 38 : 37;
    const device = '0123456789abcdef0123456789abcdef01234567';
    // Eight different presses first, as many as one screen may start in a while (the first runs, the others
    // wait for their turn); then two more kinds, dropped; then presses of every kind again, which join the
    // waiting ones (the latest volume and seek win, a repeated next joins the one in flight) or are dropped.
    // All in one request, as a script would send them: they arrive before the first command is answered.
    assert.equal(CARD_PRESS_LIMITS.perViewer, 8, 'the flood below is built for eight');
    const first = [press('next'), press('volume', 10), press('shuffle'), press('repeat'), press('seek', 1000), press('previous')];
    const flood: Press[] = [...first, press('devices'), press('hello'), press('pause'), press('transfer', device)];
    const kinds = [
      (i: number) => press('volume', i % 100),
      (i: number) => press('seek', i * 100),
      () => press('next'),
      () => press('pause'),
      () => press('transfer', device),
      () => press('devices'),
      () => press('hello'),
      () => press('shuffle'),
    ];
    for (let i = flood.length; i < 298; i++) flood.push(kinds[i % kinds.length](i));
    flood.push(press('seek', 4242), press('volume', lastVolume));
    assert.equal(flood.length, 300);
    const socket = await viewer();
    await socket.emitMany(flood);

    // The commands' messages leave the card in turn; the device list is read after the last one's poll.
    await until(
      'six commands, the poll after them and the device list',
      () =>
        outputs().length >= outBefore + 6 &&
        socket.received(`spotify-player:${CARD}`).some(([v]) => Array.isArray((v as { devices?: unknown }).devices)),
    );
    // Then another flow reads playlists: the account's rate window is intact, nothing makes it wait.
    const other = await fetch(`${red.url}/playlists`);
    assert.equal(other.status, 200, await other.clone().text());
    assert.equal(((await other.json()) as unknown[]).length, 3);
    assert.deepEqual(
      sim.requests.filter((r) => r.kind === 'api').map((r) => `${r.method} ${r.path} ${r.status}`),
      [
        'POST /v1/me/player/next 204',
        'PUT /v1/me/player/volume 204',
        'PUT /v1/me/player/shuffle 204',
        'PUT /v1/me/player/repeat 204',
        'PUT /v1/me/player/seek 204',
        'POST /v1/me/player/previous 204',
        'GET /v1/me/player 200',
        'GET /v1/me/player/devices 200',
        'GET /v1/me/playlists 200',
      ],
      'eight requests for 300 presses, none ran into the rate window',
    );
    assert.equal(sim.state.player.devices.find((d) => d.is_active)?.volume_percent, lastVolume, 'the latest volume won');
    // Each command that ran came out of the card once, with what was sent.
    const out = outputs()
      .slice(outBefore)
      .map((m) => m.payload as { command: string; value: unknown });
    assert.deepEqual(out, [
      { command: 'next', value: null },
      { command: 'volume', value: lastVolume },
      { command: 'shuffle', value: out[2].value },
      { command: 'repeat', value: out[3].value },
      { command: 'seek', value: 4242 },
      { command: 'previous', value: null },
    ]);
    // The dropped presses: one log line for the burst.
    assert.equal(cardLines().length, 1, cardLines().join('\n'));
    assert.match(cardLines()[0], /dropped presses from dashboard viewers: more than 8 commands from one screen in 10 s/);
    sim.setRateLimit(undefined);
  });

  it('anything but the card’s own presses is refused with one log line, and nothing of a viewer’s reaches the flow', async function () {
    const outBefore = outputs().length;
    const linesBefore = cardLines().length;
    const logBefore = red.log.length;
    sim.play(sim.state.catalog.track(4).uri);
    sim.clearRequests();
    const hostile: Press[] = [];
    for (let i = 0; i < 100; i++) {
      hostile.push(
        press('explode'),
        press('volume', 500),
        press('play', 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'),
        ['widget-action', CARD, 'a bare string'],
        ['widget-action', CARD, { payload: 'forged', topic: 'forged', _client: { user: { username: 'admin' } } }],
        ['widget-action', CARD, { spotifyCard: 'next' }],
        ['widget-action', CARD, [{ spotifyCard: { command: 'next' } }]],
        ['widget-change', CARD, 'changed'],
        ['widget-send', CARD, { payload: 'sent', _client: { user: { username: 'admin' } } }],
        ['widget-action', CARD, { spotifyCard: { command: 'devices', value: { huge: 'x'.repeat(1000) } } }],
      );
    }
    const hostileViewer = await viewer();
    await hostileViewer.emitMany(hostile);
    // Then a real press from another page, dressed up with a forged user and extra properties.
    const honest = await viewer();
    await honest.emit('widget-action', CARD, {
      spotifyCard: { command: 'pause' },
      payload: 'forged',
      topic: 'forged',
      extra: 1,
      _client: { user: { username: 'admin' } },
    });
    await until('the pause came out of the card', () => outputs().length > outBefore);
    const [out] = outputs().slice(outBefore);
    assert.equal(outputs().length, outBefore + 1, 'one message for the one real press');
    const { _msgid, ...rest } = out;
    assert.equal(typeof _msgid, 'string');
    assert.deepEqual(rest, { topic: 'pause', payload: { command: 'pause', value: null } });
    assert.deepEqual(playerRequests(), ['PUT /v1/me/player/pause', 'GET /v1/me/player'], 'the refused ones asked Spotify nothing');

    const lines = cardLines().slice(linesBefore);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /ignored what a dashboard viewer sent/);
    const written = red.log.slice(logBefore);
    assert.doesNotMatch(written, /Unexpected|TypeError|InputError|\n\s+at /, 'no stack, no error per press');
    assert.ok(written.length < 2000, `the log grew by ${written.length} characters for 1,000 refused presses:\n${written}`);
  });

  it('a flow’s msg.command still reaches Spotify: only viewers’ messages are refused', async function () {
    const linesBefore = cardLines().length;
    const outBefore = outputs().length;
    sim.play(sim.state.catalog.track(5).uri);
    sim.clearRequests();
    const res = await fetch(`${red.url}/card-command?command=pause`);
    assert.equal(res.status, 200);
    await until('the pause and the poll after it', () => playerRequests().length >= 2 && sim.requests.every((r) => r.status !== 0));
    assert.deepEqual(playerRequests(), ['PUT /v1/me/player/pause', 'GET /v1/me/player']);
    assert.equal(sim.state.player.is_playing, false);
    assert.deepEqual(cardLines().slice(linesBefore), [], 'nothing refused');
    assert.equal(outputs().length, outBefore, 'a flow’s command is no button press: it does not come out');
  });
});
