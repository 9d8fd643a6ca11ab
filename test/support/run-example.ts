// Runs a shipped example flow in the test helper's Node-RED as a user has it after Import → Examples: the account
// filled in for the simulator (and authorized by the test), everything else as shipped. Debug nodes and Dashboard 2
// widgets become helper nodes with the same ids and wires, so a test reads what reached a debug node and sends
// what a dashboard visitor would; the Dashboard 2 configuration nodes (base, theme, page, group) are left out.
import type { NodeAPI, NodeMessage } from 'node-red';
import type { Example, ExampleNode } from './examples';
import { ALL_NODES, CLIENT_ID, CLIENT_SECRET, helper, type TestEnv } from './env';
import { loadModule } from './load-module';
import { resolveNodeRed } from './node-red-process';

/** The core nodes the examples use (catch, status and complete come with the helper), from the Node-RED under test. */
const CORE_NODES = [
  'common/20-inject',
  'common/90-comment',
  'function/10-function',
  'function/10-switch',
  'function/15-change',
  'sequence/17-split',
  'parsers/70-CSV',
  'storage/10-file',
].map((file) => loadModule<(RED: NodeAPI) => void>(resolveNodeRed(`@node-red/nodes/core/${file}.js`)));

const ACCOUNT_TYPE = 'spotify-account';

export interface RunningExample {
  account: ExampleNode;
  /** The example's node of that type (the first one), or of that name. */
  node(where: { type?: string; name?: string }): ExampleNode;
  /** Everything that reached the debug node (or Dashboard 2 widget) of that name so far. */
  seen(name: string): NodeMessage[];
  /** Resolves once the debug node (or widget) of that name has received `count` messages in all. */
  received(name: string, count?: number, timeoutMs?: number): Promise<NodeMessage[]>;
  /** Authorizes the example's account with the scopes it asks for. */
  authorize(): Promise<void>;
}

/**
 * Loads `ex` into the helper's Node-RED. `adapt` changes a node before loading (what a user would edit, e.g. the
 * file name of a file node); `extra` adds nodes of the test's own beside the example (e.g. one that plays the user
 * saving a song in the Spotify app).
 */
export async function runExample(
  env: TestEnv,
  ex: Example,
  opts: { adapt?: (n: ExampleNode) => ExampleNode; extra?: ExampleNode[] } = {},
): Promise<RunningExample> {
  const account = ex.nodes.find((n) => n.type === ACCOUNT_TYPE);
  if (!account) throw new Error(`${ex.name} has no Spotify account node`);
  const standIn = (n: ExampleNode): boolean => n.type === 'debug' || (n.type.startsWith('ui-') && 'wires' in n);
  const flow = ex.nodes
    .filter((n) => !(n.type.startsWith('ui-') && !('wires' in n)))
    .map((n) => (opts.adapt ? opts.adapt(n) : n))
    .map((n) => {
      if (n.type === ACCOUNT_TYPE) return { ...n, clientId: CLIENT_ID };
      const placed = standIn(n) ? { id: n.id, type: 'helper', name: n.name, x: n.x, y: n.y, wires: n.wires ?? [] } : n;
      return { ...placed, z: 'tab1' };
    });
  for (const n of opts.extra ?? []) flow.push({ ...n, z: 'tab1' });
  await helper.load([...ALL_NODES, ...CORE_NODES], [{ id: 'tab1', type: 'tab', label: ex.title }, ...flow], {
    [account.id]: { clientSecret: CLIENT_SECRET, storeKey: env.storeKey },
  });

  const byName = (name: string): ExampleNode => {
    const found = ex.nodes.find((n) => standIn(n) && (n.name === name || n.label === name));
    if (!found) throw new Error(`${ex.name} has no debug node or widget named "${name}"`);
    return found;
  };
  const inbox = new Map<string, NodeMessage[]>();
  const waiters: { id: string; count: number; resolve: () => void }[] = [];
  for (const n of ex.nodes.filter(standIn)) {
    const got: NodeMessage[] = [];
    inbox.set(n.id, got);
    env.node(n.id).on('input', (msg: NodeMessage) => {
      got.push(msg);
      for (const w of waiters.filter((x) => x.id === n.id && got.length >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  }
  const seen = (name: string): NodeMessage[] => inbox.get(byName(name).id) ?? [];
  return {
    account,
    node(where) {
      const found = ex.nodes.find(
        (n) => (where.type === undefined || n.type === where.type) && (where.name === undefined || n.name === where.name),
      );
      if (!found) throw new Error(`${ex.name} has no node ${JSON.stringify(where)}`);
      return found;
    },
    seen,
    async received(name, count = 1, timeoutMs = 20_000) {
      const id = byName(name).id;
      if (seen(name).length < count) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => waiters.push({ id, count, resolve })),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const errors = ex.nodes
                .filter((n) => n.type === 'debug' && /error/.test(String(n.name)))
                .flatMap((n) => inbox.get(n.id) ?? []);
              reject(
                new Error(
                  `"${name}" of ${ex.name} received ${seen(name).length} of ${count} messages in ${timeoutMs} ms; errors: ${JSON.stringify(errors.map((m) => (m as { error?: unknown }).error))}`,
                ),
              );
            }, timeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
      }
      return seen(name);
    },
    async authorize() {
      await env.authorize({ accountId: account.id, scopes: String(account.scopes).split(/\s+/) });
    },
  };
}
