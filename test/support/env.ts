// A real Node-RED runtime (through node-red-node-test-helper) with the pack's nodes, pointed by settings at a
// real simulator on 127.0.0.1. Nothing here reaches into the nodes: tests drive them as a flow would.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import helper from 'node-red-node-test-helper';
import type { Node, NodeMessage } from 'node-red';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import type { NodeAPI } from 'node-red';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { loadModule } from './load-module';
import { BASIC_TEST_SCOPES } from './scopes';
import { BUILD_ROOT, resolveNodeRed } from './node-red-process';

// This repository's Node-RED, or the one in the folder TUNEWIRE_NODE_RED_PATH names (see resolveNodeRed).
helper.init(resolveNodeRed());

/** Every node the package declares (package.json → node-red.nodes), loaded from this build as Node-RED would. */
export const ALL_NODES: ((RED: NodeAPI) => void)[] = Object.values(
  (JSON.parse(fs.readFileSync(path.join(BUILD_ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })[
    'node-red'
  ].nodes,
).map((file) => loadModule<(RED: NodeAPI) => void>(path.join(BUILD_ROOT, file)));
export const CLIENT_ID = 'sim-client-id';
export const CLIENT_SECRET = 'sim-client-secret';
export const REDIRECT_URI = 'http://127.0.0.1:1880/tunewire/callback';
export const ACCOUNT_ID = 'acc1';

export interface FlowNode {
  id: string;
  type: string;
  [key: string]: unknown;
}

export interface TestEnv {
  sim: Simulator;
  storeDir: string;
  storeKey: string;
  /** The config node plus helper-friendly defaults. */
  accountNode(overrides?: Partial<FlowNode>): FlowNode;
  load(flow: FlowNode[], opts?: { secret?: string | null; storeKey?: string }): Promise<void>;
  /** Authorizes the account through the admin routes and the simulator's consent page, as a user would. */
  authorize(opts?: { scopes?: string[]; accountId?: string; secret?: string | null }): Promise<Record<string, unknown>>;
  node<T extends Node = Node>(id: string): T;
  close(): Promise<void>;
}

export async function createEnv(options: SimulatorOptions & { settings?: Record<string, unknown> } = {}): Promise<TestEnv> {
  const { settings, ...simOptions } = options;
  const sim = await startSimulator({
    apps: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] },
      { clientId: 'sim-public-client', redirectUris: [REDIRECT_URI] },
    ],
    ...simOptions,
  });
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-test-'));
  const storeKey = newStoreKey();
  helper.settings({
    spotifyAccount: {
      accountsUrl: sim.url,
      apiUrl: sim.apiUrl,
      storeDir,
      maxRetryAfterSeconds: 5,
      timeoutSeconds: 5,
      ...settings,
    },
  });

  const env: TestEnv = {
    sim,
    storeDir,
    storeKey,
    accountNode: (overrides = {}) => ({
      id: ACCOUNT_ID,
      type: 'spotify-account',
      name: 'test account',
      clientId: CLIENT_ID,
      scopes: BASIC_TEST_SCOPES.join(' '),
      ...overrides,
    }),
    async load(flow, opts = {}) {
      const secret = opts.secret === undefined ? CLIENT_SECRET : opts.secret;
      const creds: Record<string, string> = { storeKey: opts.storeKey ?? storeKey };
      if (secret !== null) creds.clientSecret = secret;
      const credentials: Record<string, Record<string, string>> = {};
      for (const n of flow) if (n.type === 'spotify-account') credentials[n.id] = creds;
      // Nodes without a tab count as config nodes in Node-RED: put the flow's nodes on one.
      const placed = flow.map((n) => (n.type === 'spotify-account' || n.z ? n : { x: 100, y: 100, ...n, z: 'tab1' }));
      await helper.load(ALL_NODES, [{ id: 'tab1', type: 'tab', label: 'test' }, ...placed], credentials);
    },
    async authorize(opts = {}) {
      const accountId = opts.accountId ?? ACCOUNT_ID;
      const secret = opts.secret === undefined ? CLIENT_SECRET : opts.secret;
      const start = await helper
        .request()
        .post('/tunewire/authorize')
        .send({
          accountId,
          clientId: secret === null ? 'sim-public-client' : CLIENT_ID,
          clientSecret: secret ?? '',
          storeKey,
          scopes: opts.scopes ?? [...BASIC_TEST_SCOPES],
          redirectUri: REDIRECT_URI,
        });
      if (start.status !== 200) throw new Error(`authorize start failed: ${start.status} ${start.text}`);
      const location = await sim.consent(String(start.body.authorizeUrl), 'approve');
      const back = new URL(location);
      const done = await helper.request().get(`/tunewire/callback${back.search}`);
      if (done.status !== 200) throw new Error(`callback failed: ${done.status}`);
      const status = await helper.request().post('/tunewire/status').send({ accountId, storeKey });
      return status.body;
    },
    node<T extends Node = Node>(id: string): T {
      const n = helper.getNode(id);
      if (!n) throw new Error(`no node ${id} in the flow`);
      return n as unknown as T;
    },
    async close() {
      await helper.unload();
      await sim.stop();
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
  return env;
}

/** A node of the pack on the test account (ACCOUNT_ID), wired to the helper node `out`. */
export function actionNode(id: string, type: string, props: Record<string, unknown> = {}): FlowNode {
  return { id, type, account: ACCOUNT_ID, ...props, wires: [['out']] };
}

/** Resolves with the next message a helper node receives (to watch one, e.g. behind a Complete node; a test
 *  drives a node and awaits its output or error through helpers/node-runner.ts). */
export function nextMessage(node: Node, timeoutMs = 10_000): Promise<NodeMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message at ${node.id} within ${timeoutMs} ms`)), timeoutMs);
    node.once('input', (msg: NodeMessage) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}

export { helper };
