// Per-message overhead (a lookup node inside Node-RED beside a bare got call to the same endpoint, same
// concurrency) and refresh under load (many messages meet an expired token: one token request).
import type { Got } from 'got' with { 'resolution-mode': 'import' };
import type { NodeMessage } from 'node-red';
import { tokenStoreAt } from '../../nodes/spotify/account';
import { ACCOUNT_ID, drive, type FlowNode, type RedEnv } from './red-env';
import type { RemoteSim } from './remote-sim';
import { int, ratio, type Row } from './report';

const CALLS = 2000;
const IN_FLIGHT = 8;
const WARM_UP = 200;
const ROUNDS = 2;
const LATENCIES = [0, 5];
const REFRESH_MESSAGES = 200;
const REFRESH_LATENCY_MS = 50;

export interface Lookup {
  type: string;
  /** How the row names it, with any fallback said. */
  label: string;
  props: Record<string, unknown>;
  msg: () => NodeMessage;
  /** The same request the node makes, relative to the API base. */
  path: string;
}

/** get item when the build has it; else get playlists with limit 1 (the same shape: one small GET per message). */
export function chooseLookup(types: Set<string>, trackId: string): Lookup {
  if (types.has('tunewire-get-item')) {
    return {
      type: 'tunewire-get-item',
      label: 'node tunewire-get-item in Node-RED',
      props: { itemType: 'track' },
      msg: () => ({ payload: `spotify:track:${trackId}` }) as NodeMessage,
      path: `/tracks/${trackId}`,
    };
  }
  return {
    type: 'tunewire-get-playlists',
    label: 'node tunewire-get-playlists (limit 1) in Node-RED — tunewire-get-item not in this build',
    props: { limit: '1', limitType: 'num', output: 'array' },
    msg: () => ({}) as NodeMessage,
    path: '/me/playlists?offset=0&limit=1',
  };
}

export function lookupFlow(lookup: Lookup, wired: (id: string, type: string, props: Record<string, unknown>) => FlowNode[]): FlowNode[] {
  return wired('lk', lookup.type, lookup.props);
}

async function accessToken(red: RedEnv): Promise<string> {
  const tokens = await tokenStoreAt(red.tokenStorePath).get(ACCOUNT_ID, red.storeKey);
  if (!tokens) throw new Error('bench: no tokens in the store after authorization');
  return tokens.accessToken;
}

/** `total` calls of `call`, `inFlight` at a time; elapsed ms. */
async function pool(total: number, inFlight: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function measureOverhead(sim: RemoteSim, red: RedEnv, lookup: Lookup): Promise<Row[]> {
  const got = (await import('got')).default as Got;
  const token = await accessToken(red);
  const url = `${sim.apiUrl}${lookup.path}`;
  // What a hand-written function node does: the same URL, the bearer token, parse the JSON.
  const bare = () => got(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }).json<unknown>();
  const nodeRun = async (n: number): Promise<number> => (await drive(red, 'lk', lookup.msg, { total: n, inFlight: IN_FLIGHT, keep: false })).ms;
  const bareRun = (n: number): Promise<number> => pool(n, IN_FLIGHT, bare);

  const rows: Row[] = [];
  for (const latency of LATENCIES) {
    await sim.setLatency(latency);
    await bareRun(WARM_UP);
    await nodeRun(WARM_UP);
    await sim.clearRequests();
    let bareMs = 0;
    let nodeMs = 0;
    // Alternating rounds: a noisy moment on the machine hits both sides.
    for (let r = 0; r < ROUNDS; r++) {
      bareMs += await bareRun(CALLS);
      nodeMs += await nodeRun(CALLS);
    }
    const requests = await sim.count({ kind: 'api' });
    const bareRate = (CALLS * ROUNDS * 1000) / bareMs;
    const nodeRate = (CALLS * ROUNDS * 1000) / nodeMs;
    const share = nodeRate / bareRate;
    rows.push({
      area: 'Per-message overhead',
      what: `${int(CALLS)} lookups × ${ROUNDS} rounds, ${IN_FLIGHT} in flight, ${latency} ms latency`,
      via: lookup.label,
      result: `node ${int(nodeRate)}/s vs bare got ${int(bareRate)}/s: ${ratio(share)} of the bare rate (${int(requests)} requests for ${int(CALLS * ROUNDS * 2)} calls)`,
      bar: '≥ 0.80× the bare got rate',
      pass: share >= 0.8 && requests === CALLS * ROUNDS * 2,
    });
  }
  return rows;
}

export async function measureRefresh(sim: RemoteSim, red: RedEnv, lookup: Lookup): Promise<Row> {
  await sim.setLatency(REFRESH_LATENCY_MS);
  await sim.expireAccessTokens();
  await sim.clearRequests();
  // All at once: every request meets the expired token (401), then they wait for one refresh.
  const { received } = await drive(red, 'lk', lookup.msg, { total: REFRESH_MESSAGES, inFlight: REFRESH_MESSAGES, keep: false, timeoutMs: 60_000 });
  const tokenRequests = await sim.count({ path: '/api/token' });
  const api = await sim.count({ kind: 'api' });
  return {
    area: 'Refresh under load',
    what: `${REFRESH_MESSAGES} messages arrive together with an expired access token (${REFRESH_LATENCY_MS} ms latency)`,
    via: lookup.label,
    result: `${tokenRequests} token request${tokenRequests === 1 ? '' : 's'}; ${received} of ${REFRESH_MESSAGES} answered; ${api} API requests (each rejected once, then repeated)`,
    bar: 'exactly 1 token request, every message answered',
    pass: tokenRequests === 1 && received === REFRESH_MESSAGES,
  };
}
