// What the browser tests share: the simulator, a real Node-RED process with this build installed, and Debian's
// Chromium driven through playwright-core (never a downloaded browser), plus the editor chores every test needs:
// waiting for the editor and its comms socket, opening dialogs, deploying, reading the Debug sidebar.
// One Chromium serves the run (a fresh context per file), and one Node-RED serves the files that need no settings
// of their own: startEditorEnv hands it out with a fresh simulator and the file's flows, close() resets it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocket } from 'playwright-core';
import { startSimulator, type Simulator } from '../simulator';
import { NodeRedProcess, PACKAGE_ROOT, BUILD_ROOT, freePort } from '../support/node-red-process';
import { atRunEnd } from '../support/run-end';

/** The browser: CHROMIUM_PATH (any installed Chrome or Chromium), else Debian's chromium. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/**
 * Headless, as root (no sandbox), on a machine with no network beyond loopback: nothing that phones home
 * (background networking, component updates, sync, first-run), no GPU, no QUIC.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const VIEWPORT = { width: 1280, height: 800 };
export const CLIENT_ID = 'browser-client-id';
export const CLIENT_SECRET = 'browser-client-secret';
export const APP_NAME = 'Node-RED browser test';
export const OUTPUT_DIR = path.join(PACKAGE_ROOT, 'test-output');
/**
 * The README's pictures: shipped in the package (package.json "files"), linked from the README by absolute URL.
 * TUNEWIRE_PICTURES_DIR sends them elsewhere: scripts/test.sh runs both test lines at once, and only one of them
 * (the second, Node-RED 5, as when they ran one after the other) draws the committed pictures.
 */
export const SCREENSHOT_DIR = process.env.TUNEWIRE_PICTURES_DIR
  ? path.resolve(process.env.TUNEWIRE_PICTURES_DIR)
  : path.join(PACKAGE_ROOT, 'docs', 'images');
/** Playwright's wait for a single step; a whole test has mocha's timeout. */
export const STEP_TIMEOUT = 20_000;

export interface Manifest {
  name: string;
  'node-red': { version: string; nodes: Record<string, string> };
}

/** The build's manifest (what Node-RED loads): node types are enumerated from it, never listed by hand. */
export function manifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.join(BUILD_ROOT, 'package.json'), 'utf8')) as Manifest;
}

export { listExamples as examples, type Example, type ExampleNode as FlowNode } from '../support/examples';

export interface EditorEnv {
  sim: Simulator;
  red: NodeRedProcess;
  context: BrowserContext;
  page: Page;
  /** The callback address of this Node-RED, registered with the simulator's app. */
  redirectUri: string;
  /** Gives the env back: the browser context is closed, and a Node-RED of its own stopped (a shared one is reset). */
  close(): Promise<void>;
}

export interface EditorEnvOptions {
  flows?: unknown[];
  credentials?: Record<string, Record<string, string>>;
  /** More redirect URIs for the simulator's app (the Node-RED port is known only here). */
  extraRedirectUris?: string[];
  /** false: a Node-RED without the pack (a test installs it, e.g. through Manage palette). */
  withPack?: boolean;
  /** More settings.js entries. */
  settings?: Record<string, unknown>;
  /** The browser's language (navigator.language and Accept-Language), as the editor picks its language by it. */
  locale?: string;
}

/**
 * A fresh simulator with the given flows deployed in a Node-RED with this build, and the editor open on them in
 * a fresh browser context (no cookie, storage or permission from another file). The run's one Chromium serves
 * every file; the Node-RED is shared by the files that ask for no settings of their own (see sharedRuntime), and
 * comes back reset to what a fresh one holds. close() gives it all back.
 */
export async function startEditorEnv(opts: EditorEnvOptions = {}): Promise<EditorEnv> {
  const launched = sharedBrowser();
  launched.catch(() => undefined); // awaited below, after Node-RED is ready; a failure is reported there
  const runtime = opts.withPack !== false && opts.settings === undefined ? await sharedRuntime(opts) : await ownRuntime(opts);
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    // A context that hangs on close must not keep the runtime from being given back.
    if (context) await withTimeout(context.close(), 10_000, 'the browser context did not close').catch(() => undefined);
    await runtime.release();
  };
  try {
    context = await (
      await launched
    ).newContext({
      viewport: VIEWPORT,
      permissions: ['clipboard-read', 'clipboard-write'],
      ...(opts.locale ? { locale: opts.locale } : {}),
    });
    context.setDefaultTimeout(STEP_TIMEOUT);
    const page = await context.newPage();
    await openEditor(page, `${runtime.red.url}/`, opts.withPack !== false);
    return { sim: runtime.sim, red: runtime.red, context, page, redirectUri: runtime.redirectUri, close };
  } catch (err) {
    await close();
    throw err;
  }
}

let browser: Promise<Browser> | undefined;

/**
 * The run's one Chromium, launched by the first file that asks and closed when the run ends. Each file opens its
 * own context on it (startEditorEnv, or a test's own) and closes only that.
 */
export function sharedBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    return Promise.reject(
      new Error(
        `${CHROMIUM} is missing: set CHROMIUM_PATH to an installed Chrome or Chromium, or run scripts/install-test-deps.sh (installs Debian's chromium)`,
      ),
    );
  }
  if (!browser) {
    const launching = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    browser = launching;
    launching.catch(() => {
      if (browser === launching) browser = undefined; // the next file tries again
    });
    atRunEnd('Chromium', async () => {
      browser = undefined;
      const b = await launching.catch(() => undefined);
      if (b) await withTimeout(b.close(), 10_000, 'Chromium did not close');
    });
  }
  return browser;
}

/** A simulator and a Node-RED serving one file's tests; release() gives them back. */
interface Runtime {
  sim: Simulator;
  red: NodeRedProcess;
  redirectUri: string;
  release(): Promise<void>;
}

/** The settings.js of a browser test's Node-RED: the pack talks to the simulator at simPort. */
function redSettings(simPort: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const sim = `http://127.0.0.1:${simPort}`;
  return {
    telemetry: { enabled: false },
    editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
    // Trigger examples poll: let them do it quickly against the local simulator.
    spotifyAccount: { accountsUrl: sim, apiUrl: `${sim}/v1`, minPollSeconds: 1 },
    ...extra,
  };
}

function simulatorFor(port: number, redPort: number, opts: EditorEnvOptions): Promise<Simulator> {
  const redirectUri = `http://127.0.0.1:${redPort}/tunewire/callback`;
  return startSimulator({
    port,
    apps: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri, ...(opts.extraRedirectUris ?? [])], name: APP_NAME },
    ],
  });
}

/** A simulator and a Node-RED for this file alone (its own settings, or no pack), stopped on release. */
async function ownRuntime(opts: EditorEnvOptions): Promise<Runtime> {
  const port = await freePort();
  const sim = await simulatorFor(await freePort(), port, opts);
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-browser-red-'));
  const red = new NodeRedProcess({
    userDir,
    port,
    settings: redSettings(simPort(sim), opts.settings),
    linkBuild: opts.withPack !== false,
    flows: opts.flows ?? DEFAULT_FLOWS,
    credentials: opts.credentials,
  });
  const release = async (): Promise<void> => {
    // Each part stops on its own: a simulator that fails to stop must not leave Node-RED running.
    await Promise.allSettled([red.stop(), sim.stop()]);
    fs.rmSync(userDir, { recursive: true, force: true });
  };
  try {
    await red.start();
  } catch (err) {
    await release();
    throw err;
  }
  return { sim, red, redirectUri: `${red.url}/tunewire/callback`, release };
}

const DEFAULT_FLOWS = [{ id: 'tab1', type: 'tab', label: 'Flow 1' }];

function simPort(sim: Simulator): number {
  return Number(new URL(sim.url).port);
}

/** The Node-RED the browser files share, between files: no flow, no token, no context, no file of the pack's. */
interface SharedRed {
  red: NodeRedProcess;
  userDir: string;
  /** The simulator's port, fixed in settings.js: each file gets a fresh simulator on it. */
  simPort: number;
  /** The time zone it runs in (a file may set TZ for its Node-RED, as the rows table test does). */
  tz: string;
  /** What its user directory held once started: anything else is a file's (tokens, trigger state) and goes. */
  baseline: Set<string>;
  busy: boolean;
}

let shared: SharedRed | undefined;

/**
 * The shared Node-RED with a fresh simulator and this file's flows, or, when it is busy (a file holds it) or runs in
 * another time zone than this file asks for, one of the file's own. What a Node-RED keeps that no reset reaches
 * retires it instead of passing it on: a 429 teaches the pack a cooldown and a pace for the app (per process),
 * so a file that met one gets the next file a new Node-RED.
 */
async function sharedRuntime(opts: EditorEnvOptions): Promise<Runtime> {
  const tz = process.env.TZ ?? '';
  if (shared && (shared.busy || shared.tz !== tz)) return ownRuntime(opts);
  let sim: Simulator | undefined;
  if (shared) {
    const held = shared;
    held.busy = true;
    try {
      sim = await simulatorFor(held.simPort, held.red.port, opts);
      held.red.output.length = 0; // a file reads the log of its own tests
      await deployFlows(held.red.url, opts.flows ?? DEFAULT_FLOWS, opts.credentials);
    } catch {
      // Gone, or its simulator's port taken meanwhile: a new one, as the first file gets.
      await sim?.stop().catch(() => undefined);
      sim = undefined;
      await retire(held);
    }
  }
  if (!shared) {
    const port = await freePort();
    sim = await simulatorFor(await freePort(), port, opts);
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-browser-red-'));
    const red = new NodeRedProcess({
      userDir,
      port,
      settings: redSettings(simPort(sim), opts.settings),
      flows: opts.flows ?? DEFAULT_FLOWS,
      credentials: opts.credentials,
    });
    try {
      await red.start();
    } catch (err) {
      await Promise.allSettled([red.stop(), sim.stop()]);
      fs.rmSync(userDir, { recursive: true, force: true });
      throw err;
    }
    const started: SharedRed = { red, userDir, simPort: simPort(sim), tz, baseline: new Set(fs.readdirSync(userDir)), busy: true };
    shared = started;
    atRunEnd('the shared Node-RED', () => retire(started));
  }
  const held = shared;
  const fileSim = sim as Simulator;
  let rateLimited = false;
  const addFault = fileSim.addFault.bind(fileSim);
  fileSim.addFault = (rule) => {
    if (rule.status === 429) rateLimited = true;
    return addFault(rule);
  };
  const release = async (): Promise<void> => {
    rateLimited ||= fileSim.requests.some((r) => r.status === 429);
    try {
      if (rateLimited) throw new Error('a 429 left a cooldown in the pack');
      await resetRed(held);
      await fileSim.stop();
      held.busy = false;
    } catch {
      await fileSim.stop().catch(() => undefined);
      await retire(held);
    }
  };
  return { sim: fileSim, red: held.red, redirectUri: `${held.red.url}/tunewire/callback`, release };
}

/** Stops the shared Node-RED for good; the next file starts a new one. */
async function retire(held: SharedRed): Promise<void> {
  if (shared === held) shared = undefined;
  await held.red.stop();
  fs.rmSync(held.userDir, { recursive: true, force: true });
}

/** A full Deploy through the admin API, credentials as the editor sends them (on the node, taken out by Node-RED). */
async function deployFlows(url: string, flows: unknown[], credentials: Record<string, Record<string, string>> = {}): Promise<void> {
  const body = (flows as { id?: string }[]).map((n) => (n.id && credentials[n.id] ? { ...n, credentials: credentials[n.id] } : n));
  const res = await fetch(`${url}/flows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(DEPLOY_TIMEOUT),
  });
  if (res.status !== 200 && res.status !== 204) throw new Error(`POST /flows answered ${res.status}: ${await res.text()}`);
}

/**
 * Back to what a freshly started Node-RED holds: no flow (its nodes closed, their credentials and node and flow
 * context gone with them), an empty global context, and none of the files the pack wrote (tokens, trigger state).
 */
async function resetRed(held: SharedRed): Promise<void> {
  await deployFlows(held.red.url, []);
  const res = await fetch(`${held.red.url}/context/global`, { signal: AbortSignal.timeout(STEP_TIMEOUT) });
  if (res.status !== 200) throw new Error(`GET /context/global answered ${res.status}`);
  const stores = (await res.json()) as Record<string, Record<string, unknown>>;
  for (const [store, values] of Object.entries(stores)) {
    for (const key of Object.keys(values)) {
      const del = await fetch(`${held.red.url}/context/global/${encodeURIComponent(key)}?store=${encodeURIComponent(store)}`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(STEP_TIMEOUT),
      });
      if (del.status !== 204 && del.status !== 200) throw new Error(`DELETE /context/global/${key} answered ${del.status}`);
    }
  }
  for (const entry of fs.readdirSync(held.userDir)) {
    if (!held.baseline.has(entry)) fs.rmSync(path.join(held.userDir, entry), { recursive: true, force: true });
  }
}

/** The editor of a describe block, for its hooks and tests to read once its `before` ran. */
export interface SuiteEditor {
  readonly env: EditorEnv;
  readonly page: Page;
}

/**
 * The chores of a browser describe block, as hooks of the block it is called in: the editor env before its
 * tests (startEditorEnv with `opts`), a screenshot of each failed test, the env given back after them.
 */
export function editorForSuite(opts: EditorEnvOptions = {}, setupTimeoutMs = 120_000): SuiteEditor {
  let env: EditorEnv | undefined;
  const started = (): EditorEnv => {
    if (!env) throw new Error('the editor env is read before its before hook ran (or it failed to start)');
    return env;
  };
  before(async function () {
    this.timeout(setupTimeoutMs);
    env = await startEditorEnv(opts);
  });
  afterEach(async function () {
    await screenshotOnFailure(this.currentTest, env?.page);
  });
  after(async function () {
    this.timeout(30_000);
    await env?.close();
  });
  return {
    get env() {
      return started();
    },
    get page() {
      return started().page;
    },
  };
}

/** Loads the editor and waits until the palette (with the pack's nodes) is there and the comms socket has subscribed. */
export async function openEditor(page: Page, url: string, withPack = true): Promise<void> {
  let onSocket: ((ws: WebSocket) => void) | undefined;
  const subscribed = new Promise<void>((resolve) => {
    onSocket = (ws: WebSocket): void => {
      if (!/\/comms$/.test(ws.url())) return;
      ws.on('framesent', (frame) => {
        if (String(frame.payload).includes('"subscribe"')) resolve();
      });
    };
    page.on('websocket', onSocket);
  });
  await page.goto(url, { timeout: 60_000 }); // the editor's scripts are megabytes: slow on a busy machine
  await page.waitForFunction(
    (pack) => {
      const w = window as unknown as { RED?: EditorRED; $?: (s: string) => { length: number } };
      return (
        (!pack || !!w.RED?.nodes?.getType?.('spotify-account')) &&
        !!w.RED?.workspaces &&
        !!w.$ &&
        w.$('.red-ui-palette-node').length > 0 &&
        !!w.RED.workspaces.active()
      );
    },
    withPack,
    { timeout: 30_000 },
  );
  await withTimeout(subscribed, 15_000, 'the editor never opened its comms socket');
  if (onSocket) page.off('websocket', onSocket);
}

/** Opens the account node's dialog (a new one if `id` does not exist) and waits for its first status. */
export async function openAccountDialog(page: Page, id: string): Promise<void> {
  await page.evaluate((accountId) => (window as unknown as { RED: EditorRED }).RED.editor.editConfig('', 'spotify-account', accountId), id);
  await page.locator('#node-config-tunewire-status').filter({ hasText: /\S/ }).waitFor();
}

/** Clicks a tray's Cancel (or Done / Update), and waits for the tray to go. */
export async function closeTray(page: Page, how: 'cancel' | 'ok', config = false): Promise<void> {
  const button = `#node-${config ? 'config-' : ''}dialog-${how}`;
  // A stacked tray detaches the one below it, so count nothing: wait for this very tray to leave the page.
  const tray = await page.locator('.red-ui-tray', { has: page.locator(button) }).elementHandle();
  await page.click(button);
  await page.waitForFunction((el) => !el?.isConnected, tray);
}

export interface InvalidNode {
  id: string;
  type: string;
  label: string;
}

/** Deploys with the Deploy button after checking that the editor knows no invalid or unknown node. */
export async function deploy(page: Page): Promise<void> {
  const invalid = await page.evaluate(() => {
    const RED = (window as unknown as { RED: EditorRED }).RED;
    const out: InvalidNode[] = [];
    const check = (n: EditorNode): void => {
      if (n.valid === undefined) RED.editor.validateNode(n);
      if (!n.valid || n.type === 'unknown')
        out.push({ id: n.id, type: n.type, label: `${n.name || ''} ${JSON.stringify(n.validationErrors ?? [])}` });
    };
    RED.nodes.eachConfig(check);
    RED.nodes.eachNode(check);
    return out;
  });
  assert.deepEqual(invalid, [], `the editor reports invalid or unknown nodes: ${JSON.stringify(invalid)}`);
  // Deploy only counts when the editor had something to deploy and the runtime took it: a grey button or a
  // dirty flag cleared by anything else (an undo, a reload) would otherwise pass for a deploy.
  await page.locator('#red-ui-header-button-deploy:not(.disabled)').waitFor();
  const posted = page.waitForResponse((res) => res.request().method() === 'POST' && /\/flows$/.test(new URL(res.url()).pathname), {
    timeout: DEPLOY_TIMEOUT,
  });
  await page.click('#red-ui-header-button-deploy');
  const res = await posted;
  assert.equal(res.status(), 200, `Deploy: POST /flows answered ${res.status()} ${await res.text().catch(() => '')}`);
  await page.waitForFunction(() => !(window as unknown as { RED: EditorRED }).RED.nodes.dirty(), null, { timeout: DEPLOY_TIMEOUT });
}

/** Deploy and the runtime's restart of the flows, on a busy machine. */
const DEPLOY_TIMEOUT = 30_000;

/** Node-RED's view state while imported nodes follow the mouse (RED.state.IMPORT_DRAGGING). */
const IMPORT_DRAGGING = 8;

/**
 * Imports nodes as the Import dialog does — attached to the mouse — and puts them down with a click on empty
 * canvas, as a person does. The click waits until the editor really is in its dragging state (on a busy
 * machine the dialog closes late), and the import counts only once the editor marks the flow changed.
 */
export async function placeImport(page: Page): Promise<void> {
  await page.waitForFunction((dragging) => (window as unknown as { RED: EditorRED }).RED.view.state() === dragging, IMPORT_DRAGGING, {
    timeout: STEP_TIMEOUT,
  });
  const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
  assert.ok(chart, 'the workspace is on screen');
  // A busy editor may miss a click that comes before it has drawn the nodes under the mouse: move (so they
  // follow), let two frames pass, click, and click again a little further on if the nodes are still attached.
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = { x: chart.x + Math.min(330, chart.width / 2) + attempt * 20, y: chart.y + 60 };
    await page.mouse.move(at.x - 10, at.y - 10);
    await page.mouse.move(at.x, at.y, { steps: 3 });
    await nextFrames(page);
    // Nodes follow the mouse where the flow put them relative to its first node: keep the whole flow (an
    // inject's button sticks out left of its node) clear of the canvas edge, where nobody could click it.
    const edge = await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const chart = document.getElementById('red-ui-workspace-chart');
      const nodes = RED.view.selection().nodes ?? [];
      if (!chart || nodes.length === 0) return { left: Infinity, top: Infinity };
      const scale = RED.view.scale();
      const box = chart.getBoundingClientRect();
      return {
        left: box.left + Math.min(...nodes.map((n) => n.x - (n.w ?? 100) / 2)) * scale - chart.scrollLeft,
        top: box.top + Math.min(...nodes.map((n) => n.y - (n.h ?? 30) / 2)) * scale - chart.scrollTop,
      };
    });
    const shift = { x: Math.max(0, chart.x + 80 - edge.left), y: Math.max(0, chart.y + 40 - edge.top) };
    if (shift.x > 0 || shift.y > 0) {
      await page.mouse.move(at.x + shift.x, at.y + shift.y, { steps: 3 });
      await nextFrames(page);
    }
    await page.mouse.down();
    await page.mouse.up();
    const placed = await page
      .waitForFunction((dragging) => (window as unknown as { RED: EditorRED }).RED.view.state() !== dragging, IMPORT_DRAGGING, {
        timeout: 3_000,
      })
      .then(() => true)
      .catch(() => false);
    if (placed) break;
  }
  await page.waitForFunction(
    (dragging) => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      return RED.view.state() !== dragging && RED.nodes.dirty();
    },
    IMPORT_DRAGGING,
    { timeout: STEP_TIMEOUT },
  );
}

/** Lets the editor draw two frames (what it does on a mouse move lands on screen). */
function nextFrames(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Imports a flow the way the Import dialog does (attached to the mouse, on a new tab), then puts it down. */
export async function importFlow(page: Page, nodes: unknown[]): Promise<void> {
  const error = await page.evaluate((flow) => {
    const RED = (window as unknown as { RED: EditorRED }).RED;
    try {
      // Existing nodes (a shared account) are kept as they are, as the dialog's default does.
      RED.view.importNodes(
        (flow as { id: string }[]).filter((n) => !RED.nodes.node(n.id)),
        { addFlow: true, notify: false },
      );
      return '';
    } catch (err) {
      return String((err as Error).message ?? err);
    }
  }, nodes);
  assert.equal(error, '', 'the editor refused the import');
  await placeImport(page);
}

/** The ids of the editor's nodes of this type (all flows). */
export function nodesOfType(page: Page, type: string): Promise<string[]> {
  return page.evaluate((t) => {
    const ids: string[] = [];
    (window as unknown as { RED: EditorRED }).RED.nodes.eachNode((n) => {
      if (n.type === t) ids.push(n.id);
    });
    return ids;
  }, type);
}

export interface DebugEntry {
  /** The node that produced it (a debug node, or a node that logged an error/warning). */
  node: string;
  /** 'output' for debug node messages, else Node-RED's log level (20 error, 30 warn). */
  level: string;
  text: string;
}

/** Everything the Debug sidebar shows, oldest first. */
export async function debugEntries(page: Page): Promise<DebugEntry[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.red-ui-debug-content-list .red-ui-debug-msg')).map((el) => {
      const classes = Array.from(el.classList);
      const node = classes.find((c) => c.startsWith('red-ui-debug-msg-node-'))?.slice('red-ui-debug-msg-node-'.length) ?? '';
      const level = classes.find((c) => c.startsWith('red-ui-debug-msg-level-'))?.slice('red-ui-debug-msg-level-'.length) ?? 'output';
      // "<time> node: <name> msg.payload : array[3] [ object, object, object ]": the header and the value.
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
      return { node, level, text };
    }),
  );
}

/**
 * The Debug sidebar keeps only its last 100 messages: this reads the ones not read before (it marks them) and
 * keeps them all, so a test can look back at everything a flow ever showed.
 */
export class DebugLog {
  readonly entries: DebugEntry[] = [];
  constructor(private readonly page: Page) {}

  async poll(): Promise<DebugEntry[]> {
    const fresh = await this.page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.red-ui-debug-content-list .red-ui-debug-msg'))
        .filter((el) => !el.dataset.tunewireSeen)
        .map((el) => {
          el.dataset.tunewireSeen = '1';
          const classes = Array.from(el.classList);
          const node = classes.find((c) => c.startsWith('red-ui-debug-msg-node-'))?.slice('red-ui-debug-msg-node-'.length) ?? '';
          const level = classes.find((c) => c.startsWith('red-ui-debug-msg-level-'))?.slice('red-ui-debug-msg-level-'.length) ?? 'output';
          return { node, level, text: (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 500) };
        }),
    );
    this.entries.push(...fresh);
    return fresh;
  }
}

/** Shows the Debug sidebar tab (messages are kept while hidden, but a person looks at it). */
export async function showDebugSidebar(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { RED: EditorRED }).RED.sidebar.show('debug'));
  await page.locator('.red-ui-debug-content-list').waitFor();
}

/** The status text a node shows under itself on the canvas. */
export function statusLabel(page: Page, nodeId: string) {
  return page.locator(`g.red-ui-flow-node-group[id="${nodeId}"] .red-ui-flow-node-status-label`);
}

/**
 * Clicks an inject-style node's button on the canvas. The node is brought into view first, and if anything
 * lies over its button (a sidebar, a notification, a hover control), the canvas is scrolled until the button
 * is uncovered, as a person would — the test never clicks through what covers it.
 */
export async function clickNodeButton(page: Page, nodeId: string): Promise<void> {
  const button = page.locator(`g.red-ui-flow-node-group[id="${nodeId}"] .red-ui-flow-node-button-button`);
  await page.evaluate((id) => (window as unknown as { RED: EditorRED }).RED.view.reveal(id), nodeId);
  await button.waitFor();
  let covered = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    covered = await page.evaluate((id) => {
      const el = document.querySelector(`g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-button-button`);
      const chart = document.getElementById('red-ui-workspace-chart');
      if (!el || !chart) return 'missing';
      const box = el.getBoundingClientRect();
      const x = box.left + box.width / 2;
      const y = box.top + box.height / 2;
      const top = document.elementFromPoint(x, y);
      if (top && el.closest('g.red-ui-flow-node-group')?.contains(top)) return '';
      // Scroll the canvas so the button sits on a spot of the chart that nothing covers (sidebars may lie over
      // its edges): the free spot nearest the chart's middle, found by probing.
      const view = chart.getBoundingClientRect();
      let best: { x: number; y: number; d: number } | undefined;
      for (let fx = 0.1; fx < 0.95; fx += 0.1) {
        for (let fy = 0.1; fy < 0.95; fy += 0.1) {
          const px = view.left + view.width * fx;
          const py = view.top + view.height * fy;
          const hit = document.elementFromPoint(px, py);
          if (!hit || !chart.contains(hit)) continue;
          const d = Math.abs(fx - 0.5) + Math.abs(fy - 0.4);
          if (!best || d < best.d) best = { x: px, y: py, d };
        }
      }
      if (best) {
        chart.scrollLeft += x - best.x;
        chart.scrollTop += y - best.y;
      }
      return top ? `${top.tagName.toLowerCase()}.${Array.from(top.classList).join('.')}` : 'outside the page';
    }, nodeId);
    if (!covered) break;
    await page.mouse.move(1, 1); // hover controls follow the mouse: move it away from them
  }
  if (!covered) {
    await button.click();
    return;
  }
  // A node at the very edge of the canvas cannot be scrolled out from under a sidebar: close the sidebars
  // (the editor's own actions, as a person uses the View menu), click, and open them again.
  const sidebars = ['core:toggle-palette', 'core:toggle-sidebar'];
  const toggle = (state: boolean): Promise<void> =>
    page.evaluate(({ actions, on }) => actions.forEach((a) => (window as unknown as { RED: EditorRED }).RED.actions.invoke(a, on)), {
      actions: sidebars,
      on: state,
    });
  await toggle(false);
  try {
    // The editor slides the sidebars away: wait until the button is on top where it is.
    await page.waitForFunction((id) => {
      const el = document.querySelector(`g.red-ui-flow-node-group[id="${id}"] .red-ui-flow-node-button-button`);
      if (!el) return false;
      const box = el.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return !!top && !!el.closest('g.red-ui-flow-node-group')?.contains(top);
    }, nodeId);
    await button.click();
  } finally {
    await toggle(true);
  }
}

/** Saves a screenshot of the page into test-output/ when the current test failed. */
export async function screenshotOnFailure(test: Mocha.Test | undefined, page: Page | undefined): Promise<void> {
  if (!test || test.state !== 'failed' || !page || page.isClosed()) return;
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const name = test
    .fullTitle()
    .replace(/[^\w.-]+/g, '-')
    .slice(0, 120);
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  process.stdout.write(`      screenshot of the failure: ${path.relative(PACKAGE_ROOT, file)}\n`);
}

/** A picture for whoever reads the run (test-output/screenshots/, not shipped, not committed). */
export async function saveRunScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(OUTPUT_DIR, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  return file;
}

/** Saves a commit-ready screenshot of the README under docs/images/ (test-only pictures go to OUTPUT_DIR). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  return writePicture(name, await page.screenshot());
}

/**
 * Writes a picture under SCREENSHOT_DIR whole or not at all (a temporary file renamed over the old one): the
 * package test of the other test line may be copying docs/images into a tarball at that moment.
 */
export function writePicture(name: string, png: Buffer): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, png);
  fs.renameSync(temp, file);
  return file;
}

/** Authorizes an account through the admin API (adminAuth is off) and the simulator's consent page. */
export async function authorizeByApi(env: EditorEnv, accountId: string, storeKey: string, scopes: string[]): Promise<void> {
  const start = await fetch(`${env.red.url}/tunewire/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountId, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, storeKey, scopes, redirectUri: env.redirectUri }),
  });
  assert.equal(start.status, 200, `POST /tunewire/authorize: ${await start.clone().text()}`);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  const back = await fetch(await env.sim.consent(authorizeUrl, 'approve'));
  assert.equal(back.status, 200, 'the callback accepted the code');
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms);
    }),
  ]);
}

/** The few editor APIs the tests call inside the page (Node-RED ships no types for its editor). */
export interface EditorNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  valid?: boolean;
  validationErrors?: string[];
  [key: string]: unknown;
}
export interface EditorRED {
  nodes: {
    getType(type: string): ({ category?: string } & Record<string, unknown>) | undefined;
    node(id: string): EditorNode | undefined;
    workspace(id: string): { id: string; label: string } | undefined;
    eachNode(fn: (n: EditorNode) => void): void;
    eachConfig(fn: (n: EditorNode) => void): void;
    dirty(): boolean;
  };
  editor: {
    edit(node: EditorNode): void;
    editConfig(name: string, type: string, id: string): void;
    validateNode(node: EditorNode): void;
  };
  view: {
    importNodes(nodes: unknown[], options?: Record<string, unknown>): void;
    reveal(id: string): void;
    redraw(full?: boolean): void;
    state(): number;
    scale(): number;
    selection(): { nodes?: { x: number; y: number; w?: number; h?: number }[] };
  };
  workspaces: { active(): string; show(id: string): void; refresh(): void };
  actions: { invoke(name: string, ...args: unknown[]): void };
  sidebar: { show(id: string): void; help: { show(type: string): void } };
  settings: { apiRootUrl?: string };
}

// Fixture nodes for the editor tests' flows, on the tab "tab1".

/** An inject button (no properties unless given) wired to `to`. */
export function injectOn(id: string, name: string, to: string, y: number, props: unknown[] = []): Record<string, unknown> {
  return { id, type: 'inject', z: 'tab1', name, props, repeat: '', once: false, topic: '', x: 120, y, wires: [[to]] };
}

/** A debug node that shows `complete` (a msg property) in the Debug sidebar. */
export function debugOn(id: string, name: string, x: number, y: number, complete = 'payload'): Record<string, unknown> {
  return { id, type: 'debug', z: 'tab1', name, active: true, tosidebar: true, complete, targetType: 'msg', x, y, wires: [] };
}

/** A list node (at most 3, one message with an array) of `account`, wired to `to`. */
export function listNodeOn(
  id: string,
  type: string,
  account: string,
  to: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, type, z: 'tab1', name: '', account, ...extra, limit: '3', limitType: 'num', output: 'array', x: 320, y: 80, wires: [[to]] };
}

// The pickers of a node's dialog ("from list" fields).

/** The list a picker field opens. */
export const PICKER = '.tunewire-picker';

/**
 * Opens node `id`'s edit dialog and waits until its pickers have settled: a new node's first empty pick opens its
 * list by itself once the tray stands still; such a list is closed with a click elsewhere, as a user who wants
 * another field does.
 */
export async function editNode(page: Page, id: string): Promise<void> {
  await page.evaluate((nodeId) => {
    const RED = (window as unknown as { RED: EditorRED }).RED;
    RED.editor.edit(RED.nodes.node(nodeId)!);
  }, id);
  await page.locator('#node-dialog-ok').waitFor({ state: 'visible' });
  await page.locator('#dialog-form[data-tunewire-pickers="settled"]').waitFor({ state: 'attached' });
  if (await page.locator(PICKER).isVisible()) {
    await page.locator('.red-ui-tray-titlebar').first().click();
    await page.locator(PICKER).waitFor({ state: 'hidden' });
  }
}

/** Chooses the field's "from list" type the way a user does, then opens the list with its button. */
export async function openPicker(page: Page, field: string): Promise<void> {
  // Node-RED keeps the original input as a hidden sibling just before the typed input it builds.
  const container = page.locator(`#node-input-${field} + .red-ui-typedInput-container`);
  await container.locator('button.red-ui-typedInput-type-select').click();
  // Each typed input keeps its (hidden) menu in the page: the one just opened is the visible one.
  await page.locator('.red-ui-typedInput-options a[value="spotify-id"]:visible').click();
  await container.locator('button.red-ui-typedInput-option-expand').click();
  await page.locator(PICKER).waitFor({ state: 'visible' });
}
