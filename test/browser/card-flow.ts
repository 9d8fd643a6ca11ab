// The pack's "Spotify player card" example as the browser tests of the card run it: on one tab, its account
// filled in for the simulator, and a made-up cover for Spotify's image host (the machine has no network).
import assert from 'node:assert/strict';
import { example } from '../support/examples';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { CLIENT_ID, CLIENT_SECRET, startEditorEnv, type EditorEnv, type EditorEnvOptions, type FlowNode } from './harness';

export const CARD = 'spotify-ui-player';

export interface CardFlow {
  nodes: FlowNode[];
  card: FlowNode;
  accountId: string;
  scopes: string[];
  /** The Dashboard 2 page that shows the card, from the editor's address: "/dashboard/spotify". */
  pagePath: string;
}

/** The example flow on one tab, its account filled in for the simulator; `interval` is the card's Poll every. */
export function exampleFlow(interval: string, clientId: string): CardFlow {
  const nodes = example('Nodes/Spotify player card').nodes;
  const config = new Set(['spotify-account', 'ui-base', 'ui-page', 'ui-group', 'ui-theme']);
  const out: FlowNode[] = [{ id: 'tab1', type: 'tab', label: 'Flow 1' }];
  let card: FlowNode | undefined;
  let account: FlowNode | undefined;
  let page: FlowNode | undefined;
  let base: FlowNode | undefined;
  for (const n of nodes) {
    if (n.type === 'spotify-account') out.push((account = { ...n, name: 'Simulator', clientId }));
    else if (config.has(n.type)) out.push(n);
    else if (n.type === CARD) out.push((card = { ...n, z: 'tab1', pollEvery: interval, idleFactor: '1' }));
    else out.push({ ...n, z: 'tab1' });
    if (n.type === 'ui-page') page = n;
    if (n.type === 'ui-base') base = n;
  }
  assert.ok(card && account && page && base, 'the example has a card, an account and a Dashboard page');
  return {
    nodes: out,
    card,
    accountId: account.id,
    scopes: String(account.scopes).split(' '),
    pagePath: `${String(base.path)}${String(page.path)}`,
  };
}

/** A cover for any i.scdn.co address: the machine has no network, and the picture needs one. */
export function coverSvg(url: string): string {
  let hash = 0;
  for (const c of url) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360},60%,25%)"/></linearGradient></defs>` +
    `<rect width="300" height="300" fill="url(#g)"/><circle cx="150" cy="150" r="70" fill="none" stroke="white" stroke-width="10" opacity=".6"/></svg>`
  );
}

/**
 * The editor, Node-RED and the simulator running the example (`interval`: Poll every), covers served; not yet
 * authorized. `more`: the browser's language and Node-RED's settings (its runtime language).
 */
export async function startCardEnv(
  interval: string,
  more: Pick<EditorEnvOptions, 'locale' | 'settings'> = {},
): Promise<{ env: EditorEnv; flow: CardFlow; storeKey: string }> {
  const flow = exampleFlow(interval, CLIENT_ID);
  const storeKey = newStoreKey();
  const env = await startEditorEnv({
    ...more,
    flows: flow.nodes,
    credentials: { [flow.accountId]: { clientSecret: CLIENT_SECRET, storeKey } },
  });
  await env.context.route('https://i.scdn.co/**', (route) =>
    route.fulfill({ status: 200, contentType: 'image/svg+xml', body: coverSvg(route.request().url()) }),
  );
  return { env, flow, storeKey };
}
