// Memory while streaming 50,000 items one message per item: Node-RED with the pack in a child process of its
// own (so nothing else of the benchmark is in its heap), its resident memory sampled every few milliseconds
// while the list goes through, reported as the peak growth over the settled baseline before the run; beside
// it the same pages read with bare got in an identical child, and what is still held after a GC.
import { fork } from 'node:child_process';
import type { NodeMessage } from 'node-red';
import type { Got } from 'got' with { 'resolution-mode': 'import' };
import { tokenStoreAt } from '../../nodes/spotify/account';
import { DEFAULT_PAGE_CONCURRENCY } from '../../nodes/spotify/paging';
import { ACCOUNT_ID, drive, startRed, wired } from './red-env';
import { remoteSimAt } from './remote-sim';
import { int, median, ms, ratio, type Row } from './report';

export const STREAM_ITEMS = 50_000;
/** Peak growth with the node, as a multiple of the control's measured in the same run: Node-RED makes a message
 *  of every item, where the control drops each page. */
const MAX_VS_CONTROL = 1.5;
const SAMPLE_EVERY_MS = 5;

export interface MemoryPlan {
  simUrl: string;
  /** playlist tracks on a 50,000-entry playlist, or get playlists over a library of 50,000 playlists. */
  nodeType: 'spotify-playlist-tracks' | 'spotify-get-playlists';
  /** The big playlist (playlist tracks), and a small one to warm up with. */
  playlistId?: string;
  warmUpPlaylistId?: string;
  /** Messages the run must send. */
  expected: number;
}

interface ChildPlan extends MemoryPlan {
  /** node: the list through the node; bare: the same pages read with got and dropped (the control). */
  mode: 'node' | 'bare';
  latencyMs: number;
}

interface MemoryResult {
  baselineRss: number;
  peakRss: number;
  /** Heap plus external memory still in use after the run and a full garbage collection, over the baseline. */
  retained: number;
  samples: number;
  /** Messages (node) or items (bare) that came through. */
  messages: number;
  lastCount: number | undefined;
  ms: number;
  requests: number;
}

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;

function runChild(plan: ChildPlan): Promise<MemoryResult> {
  const child = fork(__filename, ['child', JSON.stringify(plan)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<MemoryResult>((resolve, reject) => {
    let result: MemoryResult | undefined;
    let error: string | undefined;
    child.once('message', (m: { result?: MemoryResult; error?: string }) => {
      result = m.result;
      error = m.error;
    });
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(error ?? `memory child exited (${code})`))));
  });
}

/** Runs per latency and side: peak RSS is set by when V8 happens to collect, so one run alone is noisy. */
const RUNS = 3;

/**
 * One row per latency, each the median of RUNS children per side. Beside the node, a control in an identical
 * child: the same pages read with got at the same concurrency and dropped, which is the least any Node.js
 * program reading them must allocate. The bar, a ratio to that control, is for a realistic latency; with no
 * latency at all the row is a stress case shown beside its control, without a verdict.
 */
export async function measureMemory(plan: MemoryPlan, latencies: readonly number[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const latencyMs of latencies) {
    const nodes: MemoryResult[] = [];
    const bares: MemoryResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      nodes.push(await runChild({ ...plan, mode: 'node', latencyMs }));
      bares.push(await runChild({ ...plan, mode: 'bare', latencyMs }));
    }
    const growthOf = (r: MemoryResult): number => r.peakRss - r.baselineRss;
    const growth = median(nodes.map(growthOf));
    const bareGrowth = median(bares.map(growthOf));
    const node = nodes[nodes.length - 1];
    const complete = nodes.every((r) => r.messages === plan.expected && r.lastCount === plan.expected);
    const label =
      plan.nodeType === 'spotify-playlist-tracks'
        ? `a ${int(STREAM_ITEMS)}-entry playlist through playlist tracks, one message per item`
        : `a library of ${int(STREAM_ITEMS)} playlists through get playlists, one message per item (spotify-playlist-tracks not in this build)`;
    rows.push({
      area: 'Memory',
      what: `${label}, ${latencyMs} ms latency`,
      via: `node ${plan.nodeType} in Node-RED, in a child process`,
      result:
        `peak RSS growth ${mb(growth)} (median of ${RUNS}: ${nodes.map((r) => mb(growthOf(r))).join(', ')}) over a ${mb(node.baselineRss)} baseline; ` +
        `retained after the run and a GC ${mb(node.retained)}; ${int(node.messages)} messages in ${ms(node.ms)}, last parts.count ${node.lastCount ?? '?'}, ${int(node.requests)} requests. ` +
        `Control, the same ${int(node.requests)} pages read with bare got and dropped: peak growth ${mb(bareGrowth)} (median of ${RUNS}: ${bares.map((r) => mb(growthOf(r))).join(', ')}); the node ${ratio(growth / bareGrowth)} the control's`,
      bar:
        latencyMs > 0
          ? `peak growth ≤ ${ratio(MAX_VS_CONTROL)} the control's, all ${int(plan.expected)} messages`
          : `none: a stress case beside its control (all ${int(plan.expected)} messages still required)`,
      pass: latencyMs > 0 ? growth <= MAX_VS_CONTROL * bareGrowth && complete : complete ? undefined : false,
    });
  }
  return rows;
}

async function child(plan: ChildPlan): Promise<MemoryResult> {
  const sim = remoteSimAt(plan.simUrl);
  await sim.setLatency(0);
  const playlists = plan.nodeType === 'spotify-playlist-tracks';
  const props = playlists ? { output: 'split' } : { output: 'split', limit: 'limit', limitType: 'msg' };
  const red = await startRed(sim, wired('mem', plan.nodeType, props));
  try {
    const got = (await import('got')).default as Got;
    const tokens = await tokenStoreAt(red.tokenStorePath).get(ACCOUNT_ID, red.storeKey);
    const headers = { authorization: `Bearer ${tokens?.accessToken ?? ''}`, accept: 'application/json' };
    const listUrl = (warm: boolean): string =>
      playlists ? `${sim.apiUrl}/playlists/${warm ? plan.warmUpPlaylistId : plan.playlistId}/items` : `${sim.apiUrl}/me/playlists`;
    const msgFor = (warm: boolean): NodeMessage =>
      playlists
        ? { playlist: warm ? plan.warmUpPlaylistId : plan.playlistId, topic: 'memory' }
        : { limit: warm ? 200 : undefined, topic: 'memory' };

    // The same pages as the node reads, DEFAULT_PAGE_CONCURRENCY at a time, each parsed and dropped.
    const bareRead = async (warm: boolean): Promise<number> => {
      const page = (offset: number) =>
        got(`${listUrl(warm)}?offset=${offset}&limit=50`, { headers }).json<{ items: unknown[]; total: number }>();
      const first = await page(0);
      const total = warm ? Math.min(first.total, 200) : first.total;
      let items = first.items.length;
      let next = 50;
      const worker = async (): Promise<void> => {
        while (next < total) {
          const offset = next;
          next += 50;
          const read = (await page(offset)).items.length;
          items += read;
        }
      };
      await Promise.all(Array.from({ length: DEFAULT_PAGE_CONCURRENCY }, worker));
      return items;
    };
    const nodeRead = async (warm: boolean): Promise<{ messages: number; lastCount: number | undefined }> => {
      let lastCount: number | undefined;
      const out = red.node('mem-out');
      const onLast = (m: NodeMessage): void => {
        const parts = m.parts as { count?: number } | undefined;
        if (parts?.count !== undefined) lastCount = parts.count;
      };
      out.on('input', onLast);
      try {
        const expected = warm ? (playlists ? 120 : 200) : plan.expected;
        const run = await drive(red, 'mem', () => msgFor(warm), {
          total: 1,
          inFlight: 1,
          perMessage: expected,
          keep: false,
          timeoutMs: 240_000,
        });
        return { messages: run.received, lastCount };
      } finally {
        out.removeListener('input', onLast);
      }
    };

    // Both children warm up both ways (got loaded, sockets open, code compiled): equal baselines. Then the
    // measured path runs once in full with no latency, as a Node-RED that has been up a while has: V8 sizes its
    // heap spaces on the first big run and keeps them, so without this the first run's one-off growth of the
    // young generation (tens of MB, the same for the control) would count as streaming cost.
    await nodeRead(true);
    await bareRead(true);
    if (plan.mode === 'node') await nodeRead(false);
    else await bareRead(false);
    await sim.setLatency(plan.latencyMs);
    const gc = (globalThis as { gc?: () => void }).gc;
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await settle();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let samples = 0;
    const sampler = setInterval(() => {
      samples++;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, SAMPLE_EVERY_MS);

    await sim.clearRequests();
    const t0 = process.hrtime.bigint();
    const outcome = plan.mode === 'node' ? await nodeRead(false) : { messages: await bareRead(false), lastCount: undefined };
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    await settle();
    const after = process.memoryUsage();
    return {
      baselineRss: before.rss,
      peakRss,
      retained: after.heapUsed + after.external - (before.heapUsed + before.external),
      samples,
      messages: outcome.messages,
      lastCount: outcome.lastCount,
      ms: elapsed,
      requests: await sim.count({ kind: 'api' }),
    };
  } finally {
    await red.close();
  }
}

if (require.main === module && process.argv[2] === 'child') {
  child(JSON.parse(process.argv[3] ?? '{}') as ChildPlan).then(
    (result) => {
      process.send?.({ result }, () => process.exit(0));
    },
    (err: unknown) => {
      process.send?.({ error: err instanceof Error ? err.stack : String(err) }, () => process.exit(1));
    },
  );
}
