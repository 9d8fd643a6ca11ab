// Node-RED with the pack's nodes (node-red-node-test-helper, as the tests use it) pointed at a simulator in
// another process, plus the pieces the measurements share: which node types this build has, feeding a node
// and collecting what comes out.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Node, NodeMessage } from 'node-red';
import { ALL_NODES, ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, helper } from '../../test/support/env';
import { BUILD_ROOT } from '../../test/support/node-red-process';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import { newStoreKey } from '../../nodes/spotify/token-store';
import type { RemoteSim } from './remote-sim';

export { ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI };

/** The pack's default scopes: what a user grants who keeps the account dialog as it comes. */
export const BENCH_SCOPES: string[] = [...DEFAULT_SCOPES];

/** The simulator apps the bench authorizes with. */
export const BENCH_APPS = [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }];

/** Node types this build declares (its package.json, as Node-RED would read it). */
export function declaredNodeTypes(): Set<string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(BUILD_ROOT, 'package.json'), 'utf8')) as {
    'node-red': { nodes: Record<string, string> };
  };
  return new Set(Object.keys(manifest['node-red'].nodes));
}

export interface FlowNode {
  id: string;
  type: string;
  [key: string]: unknown;
}

export interface RedEnv {
  storeDir: string;
  storeKey: string;
  tokenStorePath: string;
  node(id: string): Node;
  close(): Promise<void>;
}

/** Loads the flow (the account node is added), authorizes the account with every scope the bench needs. */
export async function startRed(sim: RemoteSim, flow: FlowNode[], packSettings: Record<string, unknown> = {}): Promise<RedEnv> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-bench-'));
  try {
    return await loadAndAuthorize(sim, flow, storeDir, packSettings);
  } catch (err) {
    await helper.unload().catch(() => undefined);
    fs.rmSync(storeDir, { recursive: true, force: true });
    throw err;
  }
}

async function loadAndAuthorize(
  sim: RemoteSim,
  flow: FlowNode[],
  storeDir: string,
  packSettings: Record<string, unknown>,
): Promise<RedEnv> {
  const storeKey = newStoreKey();
  helper.settings({ spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, storeDir, maxRetryAfterSeconds: 5, ...packSettings } });
  const account: FlowNode = {
    id: ACCOUNT_ID,
    type: 'spotify-account',
    name: 'bench',
    clientId: CLIENT_ID,
    scopes: BENCH_SCOPES.join(' '),
  };
  const placed = [...flow, ...CATCH].map((n) => (n.z ? n : { x: 100, y: 100, ...n, z: 'tab1' }));
  await helper.load(ALL_NODES, [{ id: 'tab1', type: 'tab', label: 'bench' }, account, ...placed], {
    [ACCOUNT_ID]: { clientSecret: CLIENT_SECRET, storeKey },
  });
  // The helper wraps Node.prototype.send/status/log in sinon spies that keep every call's arguments (each
  // message!) and add a nextTick per call. A real Node-RED has neither: remove them so that memory and
  // per-message figures are Node-RED's and the pack's own. Node-RED copies `send` onto every wired node when
  // it creates it, so those copies are put back too.
  const internals = helper as unknown as { _sandbox: { restore(): void }; _NodePrototype: { send: unknown } };
  internals._sandbox.restore();
  for (const n of placed) {
    const live = helper.getNode(n.id) as (Node & { _wireCount?: number; send: unknown }) | null;
    if (live && (live._wireCount ?? 0) > 0) live.send = internals._NodePrototype.send as Node['send'];
  }

  const start = await helper.request().post('/tunewire/authorize').send({
    accountId: ACCOUNT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    storeKey,
    scopes: BENCH_SCOPES,
    redirectUri: REDIRECT_URI,
  });
  if (start.status !== 200) throw new Error(`authorize: ${start.status} ${start.text}`);
  const back = new URL(await sim.consent(String(start.body.authorizeUrl)));
  const done = await helper.request().get(`/tunewire/callback${back.search}`);
  if (done.status !== 200) throw new Error(`authorize callback: ${done.status}`);

  return {
    storeDir,
    storeKey,
    // Where the account node keeps them (pack-settings.ts: tokenStorePath).
    tokenStorePath: path.join(storeDir, 'tunewire-tokens.json'),
    node(id) {
      const n = helper.getNode(id);
      if (!n) throw new Error(`no node ${id} in the bench flow`);
      return n;
    },
    async close() {
      await helper.unload();
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** A node wired to a collector. Errors reach the flow's one catch node (startRed adds it). */
export function wired(id: string, type: string, props: Record<string, unknown>): FlowNode[] {
  return [
    { id, type, account: ACCOUNT_ID, ...props, wires: [[`${id}-out`]] },
    { id: `${id}-out`, type: 'helper' },
  ];
}

/** The helper loads a core node's module once per node of that type: one catch node for the whole flow. */
const CATCH: FlowNode[] = [
  { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', type: 'helper' },
];

/**
 * Sends `total` messages into node `id`, keeping `inFlight` unanswered at once (a new one goes in as each
 * answer comes out), and resolves with the answers (or only their count when `keep` is false).
 * `expectOut` answers per message (split mode sends many).
 */
export function drive(
  red: RedEnv,
  id: string,
  make: (i: number) => NodeMessage,
  opts: { total: number; inFlight: number; keep?: boolean; perMessage?: number; timeoutMs?: number },
): Promise<{ messages: NodeMessage[]; received: number; ms: number }> {
  const node = red.node(id);
  const out = red.node(`${id}-out`);
  const err = red.node('caught');
  const perMessage = opts.perMessage ?? 1;
  const expected = opts.total * perMessage;
  return new Promise((resolve, reject) => {
    const kept: NodeMessage[] = [];
    let sent = 0;
    let received = 0;
    const started = process.hrtime.bigint();
    const cleanup = (): void => {
      clearTimeout(timer);
      // Node-RED keeps input listeners apart from EventEmitter's: only its removeListener removes them.
      out.removeListener('input', onOut);
      err.removeListener('input', onErr);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${id}: ${received} of ${expected} answers within ${opts.timeoutMs ?? 120_000} ms`));
    }, opts.timeoutMs ?? 120_000);
    const onOut = (msg: NodeMessage): void => {
      if (opts.keep !== false) kept.push(msg);
      received++;
      if (received % perMessage === 0 && sent < opts.total) node.receive(make(sent++));
      if (received === expected) {
        cleanup();
        resolve({ messages: kept, received, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      }
    };
    const onErr = (msg: NodeMessage & { error?: { message?: string; source?: { id?: string } } }): void => {
      if (msg.error?.source?.id !== id) return;
      cleanup();
      reject(new Error(`${id}: ${msg.error?.message ?? 'error'}`));
    };
    out.on('input', onOut);
    err.on('input', onErr);
    while (sent < Math.min(opts.inFlight, opts.total)) node.receive(make(sent++));
  });
}
