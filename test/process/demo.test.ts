// The demo as a person runs it: a real demo process (simulator + Node-RED) in a directory and on ports of its
// own (DEMO_DIR, DEMO_PORT, DEMO_SIM_PORT), so it never meets a user's demo. It keeps a flow, the authorization
// and the simulator's playlists across a restart, starts over with --fresh, opens on "Start here" with a working
// Spotify flow, repeats no inject, shows nothing in Debug after Authorize Access until the user clicks (triggers
// remember their first poll), and refuses a busy port before building.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { authorizeProcess, consentThrough } from '../support/authorize-process';
import { trackChild } from '../support/child-registry';
import { loadModule } from '../support/load-module';
import { BUILD_ROOT, PACKAGE_ROOT, freePort, resolveNodeRed } from '../support/node-red-process';
import { nodeScopeRequirement } from '../../nodes/spotify/node-scopes';
import { unmetRequirements } from '../../nodes/spotify/scopes';

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  label?: string;
  repeat?: string;
  crontab?: string;
  once?: boolean;
  [key: string]: unknown;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = trackChild(
    spawn(command, args, { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
    'demo',
  );
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function waitFor(what: string, check: () => boolean, describeState: () => string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${describeState()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Frame {
  topic?: string;
  data: Record<string, unknown>;
}

interface Comms {
  /** Debug sidebar messages: the node that sent each (a debug node, or a node that logged an error). */
  debug: { id: string; msg: string }[];
  /** Each node's latest status. */
  status: Map<string, { text?: string; fill?: string }>;
  close(): void;
}

interface WsLike {
  on(event: 'message', fn: (data: Buffer) => void): void;
  on(event: 'open', fn: () => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  send(data: string): void;
  close(): void;
}

/** Listens on Node-RED's comms socket as the editor does (no adminAuth: no token needed). */
async function openComms(port: number): Promise<Comms> {
  const nodeRedDir = path.dirname(resolveNodeRed('node-red/package.json'));
  const WebSocket = loadModule<new (url: string) => WsLike>(require.resolve('ws', { paths: [nodeRedDir] }));
  const ws = new WebSocket(`ws://127.0.0.1:${port}/comms`);
  const comms: Comms = { debug: [], status: new Map(), close: () => ws.close() };
  ws.on('message', (data) => {
    const parsed = JSON.parse(data.toString('utf8')) as Frame | Frame[];
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      if (typeof m.topic !== 'string') continue;
      if (m.topic === 'debug') comms.debug.push({ id: String(m.data.id), msg: String(m.data.msg).slice(0, 300) });
      else if (m.topic.startsWith('status/')) comms.status.set(m.topic.slice('status/'.length), m.data);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  ws.send(JSON.stringify({ subscribe: 'debug' }));
  ws.send(JSON.stringify({ subscribe: 'status/#' }));
  return comms;
}

describe('the demo (npm run demo)', function () {
  this.timeout(180_000);
  let dir: string;
  let redPort: number;
  let simPort: number;
  let demo: Run | undefined;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-demo-'));
    redPort = await freePort();
    simPort = await freePort();
  });

  afterEach(async () => {
    if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
      demo.child.kill('SIGTERM');
      await demo.exit;
    }
    demo = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The compiled demo of the build under test (demo.sh would build dist first; the build is the suite's). */
  async function startDemo(...args: string[]): Promise<Run> {
    const started = run(process.execPath, [path.join(BUILD_ROOT, 'scripts', 'demo.js'), ...args], {
      DEMO_DIR: dir,
      DEMO_PORT: String(redPort),
      DEMO_SIM_PORT: String(simPort),
    });
    demo = started;
    let exited = false;
    void started.exit.then(() => (exited = true));
    await waitFor('the demo to start', () => exited || /Press Ctrl\+C to stop/.test(started.output()), started.output);
    assert.equal(exited, false, `the demo exited:\n${started.output()}`);
    return started;
  }

  async function stopDemo(): Promise<void> {
    assert.ok(demo);
    demo.child.kill('SIGTERM');
    assert.equal(await demo.exit, 0, demo.output());
    demo = undefined;
  }

  async function getFlows(): Promise<FlowNode[]> {
    const res = await fetch(`http://127.0.0.1:${redPort}/flows`);
    assert.equal(res.status, 200);
    return (await res.json()) as FlowNode[];
  }

  /** Authorize Access for the demo's account, approved on the simulator's page through its control API. */
  async function authorize(accountId: string, scopes: string[]): Promise<void> {
    await authorizeProcess(
      { url: `http://127.0.0.1:${redPort}`, log: demo?.output() ?? '' },
      consentThrough(`http://127.0.0.1:${simPort}`),
      {
        accountId,
        clientId: 'demo-client-id',
        scopes,
      },
    );
  }

  it('opens on a Start here tab with a Spotify flow ready to click, and repeats no inject', async () => {
    const first = await startDemo();
    assert.match(first.output(), /A fresh demo in /);
    assert.match(first.output(), /Click "Authorize Access"/);
    const flows = await getFlows();
    const tabs = flows.filter((n) => n.type === 'tab');
    assert.equal(tabs[0]?.label, 'Start here');
    const onStart = flows.filter((n) => n.z === tabs[0]?.id);
    const steps = onStart.filter((n) => n.type === 'comment').map((n) => String(n.name));
    assert.ok(steps.some((s) => /pencil next to Account/.test(s)) && steps.some((s) => /Authorize Access/.test(s)), steps.join('\n'));
    assert.ok(
      steps.some((s) => /Deploy/.test(s) && /inject/.test(s)),
      steps.join('\n'),
    );
    // "Double-click the Spotify node" has one to double-click: an inject wired to it, it wired to a debug node.
    const byId = new Map(flows.map((n) => [n.id, n]));
    const spotify = onStart.filter((n) => n.type.startsWith('spotify-'));
    assert.ok(spotify.length > 0, 'a Spotify node on Start here');
    for (const n of spotify) {
      assert.ok(
        onStart.some((i) => i.type === 'inject' && (i.wires ?? []).flat().includes(n.id)),
        `an inject feeds ${n.type}`,
      );
      assert.ok(
        (n.wires as string[][]).flat().some((id) => byId.get(id)?.type === 'debug'),
        `${n.type} feeds a debug node`,
      );
      const label = typeof n.name === 'string' && n.name ? n.name : n.type.replace('spotify-', '').replace(/-/g, ' ');
      assert.ok(
        steps.some((s) => s.includes(`"${label}"`)),
        `a step names it: ${steps.join(' | ')}`,
      );
    }
    // The account asks for every scope its nodes need: its dialog names none missing.
    const account = flows.find((n) => n.type === 'spotify-account');
    const granted = new Set(String(account?.scopes).split(' '));
    // With each node's settings: a playlist by name reads the user's playlists, Create when missing creates one.
    const missing = flows.flatMap((n) =>
      unmetRequirements([...granted], nodeScopeRequirement(n.type, n)).map((alt) => `${n.type}: ${alt.join(' or ')}`),
    );
    assert.deepEqual(missing, [], 'scopes the demo account lacks');
    const injects = flows.filter((n) => n.type === 'inject');
    assert.ok(injects.length > 20, `the examples' injects are there (${injects.length})`);
    const repeating = injects.filter((n) => Boolean(n.repeat) || Boolean(n.crontab) || n.once === true);
    assert.deepEqual(
      repeating.map((n) => n.id),
      [],
      'every inject fires on click only',
    );
    await stopDemo();
  });

  it('keeps a deployed flow across a restart, and --fresh starts over', async () => {
    await startDemo();
    const flows = await getFlows();
    const mine: FlowNode[] = [
      { id: 'kept-tab', type: 'tab', label: 'my own flow', disabled: false, info: '' },
      { id: 'kept-note', type: 'comment', z: 'kept-tab', name: 'written by the user', info: '', x: 200, y: 80, wires: [] },
    ];
    const deploy = await fetch(`http://127.0.0.1:${redPort}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify([...flows, ...mine]),
    });
    assert.equal(deploy.status, 204, await deploy.text());
    await stopDemo();

    const again = await startDemo();
    assert.match(again.output(), /Kept your flows, the account and the simulator's playlists, library and plays from /);
    const after = await getFlows();
    assert.equal(after.find((n) => n.id === 'kept-note')?.name, 'written by the user');
    assert.equal(after.find((n) => n.id === 'kept-tab')?.label, 'my own flow');
    await stopDemo();

    const fresh = await startDemo('--fresh');
    assert.match(fresh.output(), /A fresh demo in /);
    const reset = await getFlows();
    assert.equal(
      reset.find((n) => n.id === 'kept-note'),
      undefined,
    );
    assert.equal(reset.filter((n) => n.type === 'tab')[0]?.label, 'Start here');
    await stopDemo();
  });

  let deploys = 0;
  /** Deploys the user's own nodes (on tab `z`) beside what is there, and waits until they run: a route added with
   *  them answers (the deploy itself answers before the new flows are up). */
  async function deployMine(z: string, mine: FlowNode[]): Promise<void> {
    const ping = `/ping-${++deploys}`;
    const probe: FlowNode[] = [
      { id: `ping-in-${deploys}`, type: 'http in', z, url: ping, method: 'get', x: 700, y: 40, wires: [[`ping-out-${deploys}`]] },
      { id: `ping-out-${deploys}`, type: 'http response', z, statusCode: '', x: 900, y: 40, wires: [] },
    ];
    const deploy = await fetch(`http://127.0.0.1:${redPort}/flows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
      body: JSON.stringify([...(await getFlows()), ...mine, ...probe]),
    });
    assert.equal(deploy.status, 204, await deploy.text());
    for (let end = Date.now() + 30_000; (await fetch(`http://127.0.0.1:${redPort}${ping}`)).status !== 200;) {
      assert.ok(Date.now() < end, `the deployed flows are not up 30 s after the deploy`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A user's HTTP flow on tab `z`: GET `url` → `node` → the answer; an error answers 500 with its message. */
  function httpFlow(z: string, name: string, url: string, node: FlowNode): FlowNode[] {
    return [
      { id: `${name}-in`, type: 'http in', z, url, method: 'get', x: 100, y: 80, wires: [[node.id]] },
      { ...node, z, x: 300, y: 80, wires: [[`${name}-out`]] },
      { id: `${name}-out`, type: 'http response', z, statusCode: '', x: 500, y: 80, wires: [] },
      { id: `${name}-catch`, type: 'catch', z, scope: [node.id], x: 100, y: 160, wires: [[`${name}-err`]] },
      {
        id: `${name}-err`,
        type: 'change',
        z,
        rules: [
          { t: 'set', p: 'statusCode', pt: 'msg', to: '500', tot: 'num' },
          { t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' },
        ],
        x: 300,
        y: 160,
        wires: [[`${name}-out`]],
      },
    ];
  }

  /** GET on a route of the user's flows: the status and the answer's text (an error's message). */
  async function ask(route: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`http://127.0.0.1:${redPort}${route}`);
    return { status: res.status, text: await res.text() };
  }

  /** The simulator's state as its control API shows it. */
  async function simState(): Promise<{ playlists: { id: string; name: string; items: { uri: string }[] }[]; plays: { uri: string }[] }> {
    return (await (await fetch(`http://127.0.0.1:${simPort}/__sim/state`)).json()) as Awaited<ReturnType<typeof simState>>;
  }

  it("keeps the authorization and the simulator's playlists across a restart: a flow that adds to a playlist the user made works again; --fresh starts over", async () => {
    await startDemo();
    const account = (await getFlows()).find((n) => n.type === 'spotify-account');
    assert.ok(account, 'the demo has an account node');
    await authorize(account.id, String(account.scopes).split(' '));

    // The user makes a playlist with a flow of theirs, then a flow that adds to it, the playlist picked by its ID.
    await deployMine('mine', [
      { id: 'mine', type: 'tab', label: 'mine', disabled: false, info: '' },
      ...httpFlow('mine', 'who', '/who', { id: 'who-me', type: 'spotify-my-profile', account: account.id }),
      ...httpFlow('mine', 'make', '/make', {
        id: 'make-it',
        type: 'spotify-create-playlist',
        account: account.id,
        playlistName: 'Saved this week',
        playlistNameType: 'str',
        public: 'false',
        publicType: 'bool',
      }),
    ]);
    const made = await ask('/make');
    assert.equal(made.status, 200, made.text);
    const playlistId = (JSON.parse(made.text) as { id: string }).id;
    const track = (await simState()).plays[0].uri;
    await deployMine(
      'mine',
      httpFlow('mine', 'add', '/add', {
        id: 'add-it',
        type: 'spotify-add-tracks',
        account: account.id,
        playlist: playlistId,
        playlistType: 'str',
        tracks: 'payload.uri',
        tracksType: 'msg',
      }),
    );
    const firstAdd = await ask(`/add?uri=${encodeURIComponent(track)}`);
    assert.equal(firstAdd.status, 200, firstAdd.text);
    const name = JSON.parse((await ask('/who')).text) as { display_name: string };
    await stopDemo();

    // A new demo process: a new simulator, which goes on from what the last one kept.
    const again = await startDemo();
    assert.match(again.output(), new RegExp(`Authorized as ${name.display_name} \\(kept from last time\\)\\.`));
    assert.doesNotMatch(again.output(), /Authorize Access/, 'no step asks to authorize again');
    const who = await ask('/who');
    assert.equal(who.status, 200, who.text);
    assert.equal((JSON.parse(who.text) as { display_name: string }).display_name, name.display_name);
    const secondAdd = await ask(`/add?uri=${encodeURIComponent(track)}`);
    assert.equal(secondAdd.status, 200, `the flow that adds to the playlist works after the restart: ${secondAdd.text}`);
    const mine = (await simState()).playlists.find((p) => p.id === playlistId);
    assert.equal(mine?.name, 'Saved this week');
    assert.deepEqual(
      mine.items.map((e) => e.uri),
      [track, track],
    );
    await stopDemo();

    // --fresh: the seeded simulator (no playlist of the user's), and the steps to authorize.
    const fresh = await startDemo('--fresh');
    assert.match(fresh.output(), /A fresh demo in /);
    assert.match(fresh.output(), /Click "Authorize Access"/);
    assert.doesNotMatch(fresh.output(), /kept from last time/);
    assert.equal(
      (await simState()).playlists.some((p) => p.name === 'Saved this week'),
      false,
    );
    await stopDemo();
  });

  it('after Authorize Access, nothing reaches the Debug sidebar until the user clicks an inject', async () => {
    await startDemo();
    const flows = await getFlows();
    const accountId = flows.find((n) => n.type === 'spotify-account')?.id;
    assert.ok(accountId, 'the demo has an account node');
    const triggers = flows.filter((n) => typeof n.firstRun === 'string');
    assert.ok(triggers.length >= 4, `the trigger examples are there (${triggers.length})`);
    // What the editor's Debug sidebar and the node statuses receive: Node-RED's comms socket.
    const comms = await openComms(redPort);
    try {
      // The triggers' retained statuses ("not authorized") arrive once the subscriptions (debug first) are live.
      await waitFor(
        'the statuses',
        () => triggers.every((t) => comms.status.has(t.id)),
        () => JSON.stringify([...comms.status]),
      );
      const scopes = flows.find((n) => n.id === accountId)?.scopes;
      await authorize(accountId, typeof scopes === 'string' ? scopes.split(/\s+/) : []);
      // Every trigger polls once authorized; a finished poll shows its time in the status (a failed one would
      // be red, and its error would be in Debug).
      const polled = (id: string): boolean => /^\d\d:\d\d:\d\d · /.test(comms.status.get(id)?.text ?? '');
      await waitFor(
        "every trigger's first poll",
        () => triggers.every((t) => polled(t.id)),
        () => JSON.stringify({ statuses: triggers.map((t) => [t.type, comms.status.get(t.id)]), debug: comms.debug }, null, 1),
      );
      // They did ask the simulator: the first polls had something to send had they been told to.
      const asked = ((await (await fetch(`http://127.0.0.1:${simPort}/__sim/requests`)).json()) as { path: string }[]).map((r) => r.path);
      for (const path of ['/v1/me/player', '/v1/me/player/recently-played'])
        assert.ok(asked.includes(path), `the triggers asked for ${path}: ${[...new Set(asked)].join(' ')}`);
      assert.equal(comms.debug.length, 0, `nothing in the Debug sidebar before the user clicks: ${JSON.stringify(comms.debug)}`);

      // The first click: its result is what the sidebar shows, and all it shows.
      const inject = flows.find((n) => n.type === 'inject' && n.z === 'demo-tab-nodes-my-profile');
      assert.ok(inject, 'the my profile tab has an inject');
      const clicked = await fetch(`http://127.0.0.1:${redPort}/inject/${inject.id}`, { method: 'POST' });
      assert.equal(clicked.status, 200);
      await waitFor(
        'the click to reach Debug',
        () => comms.debug.length > 0,
        () => JSON.stringify(comms.debug),
      );
      const tab = new Set(flows.filter((n) => n.z === 'demo-tab-nodes-my-profile').map((n) => n.id));
      assert.deepEqual(
        comms.debug.filter((d) => !tab.has(d.id)),
        [],
        'only the clicked flow',
      );
    } finally {
      comms.close();
    }
    await stopDemo();
  });

  for (const [busyVar, freeVar] of [
    ['DEMO_PORT', 'DEMO_SIM_PORT'],
    ['DEMO_SIM_PORT', 'DEMO_PORT'],
  ] as const) {
    it(`refuses a busy ${busyVar} before installing or building, naming the variable`, async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const busy = (server.address() as net.AddressInfo).port;
      // A build folder that does not exist: had demo.sh built anything, it would be there afterwards.
      const buildDir = `demo-test-no-build-${process.pid}`;
      try {
        const refused = run('bash', [path.join(PACKAGE_ROOT, 'scripts', 'demo.sh')], {
          DEMO_DIR: dir,
          [busyVar]: String(busy),
          [freeVar]: String(busyVar === 'DEMO_PORT' ? simPort : redPort),
          TUNEWIRE_BUILD_DIR: buildDir,
        });
        const code = await refused.exit;
        assert.notEqual(code, 0, refused.output());
        assert.match(refused.output(), new RegExp(`port ${busy} on 127\\.0\\.0\\.1 is in use \\(${busyVar}\\)`));
        assert.match(refused.output(), new RegExp(`${busyVar}=<port> npm run demo`));
        assert.doesNotMatch(refused.output(), new RegExp(`\\(${freeVar}\\)`));
        assert.doesNotMatch(refused.output(), /build:|tsc/);
        assert.equal(fs.existsSync(path.join(PACKAGE_ROOT, buildDir)), false, 'nothing was built');
        assert.equal(fs.existsSync(path.join(dir, 'flows.json')), false, 'no demo was set up');
      } finally {
        fs.rmSync(path.join(PACKAGE_ROOT, buildDir), { recursive: true, force: true });
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  }
});
