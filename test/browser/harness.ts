// What the browser tests share: the simulator, a real Node-RED process with this build installed, and Debian's
// Chromium driven through playwright-core (never a downloaded browser), plus the editor chores every test needs:
// waiting for the editor and its comms socket, opening dialogs, deploying, reading the Debug sidebar.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page, type WebSocket } from 'playwright-core';
import { startSimulator, type Simulator } from '../simulator';
import { NodeRedProcess, PACKAGE_ROOT, BUILD_ROOT, freePort } from '../support/node-red-process';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags from nodered-notes.md ("Testing"), plus no QUIC: nothing here speaks it and it only adds noise. */
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
export const SCREENSHOT_DIR = path.join(PACKAGE_ROOT, 'test', 'screenshots');
/** Playwright's wait for a single step; a whole test has mocha's timeout. */
export const STEP_TIMEOUT = 10_000;

export interface Manifest {
  name: string;
  'node-red': { version: string; nodes: Record<string, string> };
}

/** The build's manifest (what Node-RED loads): node types are enumerated from it, never listed by hand. */
export function manifest(): Manifest {
  return JSON.parse(fs.readFileSync(path.join(BUILD_ROOT, 'package.json'), 'utf8')) as Manifest;
}

export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  [key: string]: unknown;
}

export interface Example {
  /** File name without .json. */
  name: string;
  nodes: FlowNode[];
}

/** Every examples/*.json in the build (what Node-RED offers under Import → Examples), sorted by name. */
export function examples(): Example[] {
  const dir = path.join(BUILD_ROOT, 'examples');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: path.basename(f, '.json'), nodes: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as FlowNode[] }));
}

export interface EditorEnv {
  sim: Simulator;
  red: NodeRedProcess;
  context: BrowserContext;
  page: Page;
  /** The callback address of this Node-RED, registered with the simulator's app. */
  redirectUri: string;
  close(): Promise<void>;
}

export interface EditorEnvOptions {
  flows?: unknown[];
  credentials?: Record<string, Record<string, string>>;
  /** More redirect URIs for the simulator's app (the Node-RED port is known only here). */
  extraRedirectUris?: string[];
}

/** Starts the simulator, Node-RED and Chromium, and opens the editor. */
export async function startEditorEnv(opts: EditorEnvOptions = {}): Promise<EditorEnv> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-test-deps.sh (installs Debian's chromium)`);
  }
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/tunewire/callback`;
  const sim = await startSimulator({
    apps: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri, ...(opts.extraRedirectUris ?? [])], name: APP_NAME },
    ],
  });
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-browser-red-'));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-browser-profile-'));
  const red = new NodeRedProcess({
    userDir,
    port,
    settings: {
      telemetry: { enabled: false },
      editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
      // Trigger examples poll: let them do it quickly against the local simulator.
      tunewireAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, minPollSeconds: 1 },
    },
    flows: opts.flows ?? [{ id: 'tab1', type: 'tab', label: 'Flow 1' }],
    credentials: opts.credentials,
  });
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close().catch(() => undefined);
    await red.stop().catch(() => undefined);
    await sim.stop().catch(() => undefined);
    fs.rmSync(userDir, { recursive: true, force: true });
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  try {
    await red.start();
    // A persistent context is how playwright takes a --user-data-dir: a fresh one per run.
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    context.setDefaultTimeout(STEP_TIMEOUT);
    const page = context.pages()[0] ?? (await context.newPage());
    await openEditor(page, `${red.url}/`);
    return { sim, red, context, page, redirectUri, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Loads the editor and waits until the pack's nodes are in the palette and the comms socket has subscribed. */
export async function openEditor(page: Page, url: string): Promise<void> {
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
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const w = window as unknown as { RED?: EditorRED; $?: (s: string) => { length: number } };
      return (
        !!w.RED?.nodes?.getType?.('tunewire-account') && !!w.$ && w.$('.red-ui-palette-node').length > 0 && !!w.RED.workspaces.active()
      );
    },
    null,
    { timeout: 30_000 },
  );
  await withTimeout(subscribed, 15_000, 'the editor never opened its comms socket');
  if (onSocket) page.off('websocket', onSocket);
}

/** Opens the account node's dialog (a new one if `id` does not exist) and waits for its first status. */
export async function openAccountDialog(page: Page, id: string): Promise<void> {
  await page.evaluate(
    (accountId) => (window as unknown as { RED: EditorRED }).RED.editor.editConfig('', 'tunewire-account', accountId),
    id,
  );
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
  await page.click('#red-ui-header-button-deploy');
  await page.waitForFunction(() => !(window as unknown as { RED: EditorRED }).RED.nodes.dirty(), null, { timeout: 15_000 });
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

/** Clicks an inject-style node's button on the canvas (scrolled into view first). */
export async function clickNodeButton(page: Page, nodeId: string): Promise<void> {
  await page.evaluate((id) => (window as unknown as { RED: EditorRED }).RED.view.reveal(id), nodeId);
  await page.locator(`g.red-ui-flow-node-group[id="${nodeId}"] .red-ui-flow-node-button-button`).click();
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

/** Saves a commit-ready screenshot under test/screenshots/. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name);
  await page.screenshot({ path: file });
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
  };
  workspaces: { active(): string; show(id: string): void; refresh(): void };
  sidebar: { show(id: string): void; help: { show(type: string): void } };
  settings: { apiRootUrl?: string };
}
