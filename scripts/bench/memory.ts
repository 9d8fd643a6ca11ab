// Memory while streaming 50,000 items one message per item: Node-RED with the pack in a child process of its
// own (so nothing else of the benchmark is in its heap), its resident memory sampled every few milliseconds
// while the list goes through, reported as the peak growth over the settled baseline before the run.
import { fork } from 'node:child_process';
import type { NodeMessage } from 'node-red';
import { drive, startRed, wired } from './red-env';
import { remoteSimAt } from './remote-sim';
import { int, ms, type Row } from './report';

export const STREAM_ITEMS = 50_000;
const LIMIT_MB = 64;
const SAMPLE_EVERY_MS = 5;

export interface MemoryPlan {
  simUrl: string;
  /** playlist tracks on a 50,000-entry playlist, or get playlists over a library of 50,000 playlists. */
  nodeType: 'tunewire-playlist-tracks' | 'tunewire-get-playlists';
  /** The big playlist (playlist tracks), and a small one to warm up with. */
  playlistId?: string;
  warmUpPlaylistId?: string;
  /** Messages the run must send. */
  expected: number;
  latencyMs: number;
}

interface MemoryResult {
  baselineRss: number;
  peakRss: number;
  /** The kernel's high-water mark for the whole child (ru_maxrss), bytes. */
  maxRss: number;
  samples: number;
  messages: number;
  lastCount: number | undefined;
  ms: number;
  requests: number;
}

export async function measureMemory(plan: MemoryPlan): Promise<Row> {
  const child = fork(__filename, ['child', JSON.stringify(plan)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = await new Promise<MemoryResult>((resolve, reject) => {
    child.once('message', (m: { result?: MemoryResult; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(m.error ?? 'memory child failed'))));
    child.once('exit', (code) => reject(new Error(`memory child exited (${code})`)));
  });
  await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const growth = result.peakRss - result.baselineRss;
  const label =
    plan.nodeType === 'tunewire-playlist-tracks'
      ? `a ${int(STREAM_ITEMS)}-entry playlist through playlist tracks, output one message per item`
      : `a library of ${int(STREAM_ITEMS)} playlists through get playlists, output one message per item (tunewire-playlist-tracks not in this build)`;
  return {
    area: 'Memory',
    what: `${label}, ${plan.latencyMs} ms latency`,
    via: `node ${plan.nodeType} in Node-RED, in a child process`,
    result:
      `peak RSS growth ${mb(growth)} over a ${mb(result.baselineRss)} baseline (${result.samples} samples every ${SAMPLE_EVERY_MS} ms; ` +
      `kernel high-water mark ${mb(result.maxRss)}); ${int(result.messages)} messages in ${ms(result.ms)}, last parts.count ${result.lastCount ?? '?'}, ${int(result.requests)} requests`,
    bar: `peak growth < ${LIMIT_MB} MB, all ${int(plan.expected)} messages`,
    pass: growth < LIMIT_MB * 1024 * 1024 && result.messages === plan.expected && result.lastCount === plan.expected,
  };
}

async function child(plan: MemoryPlan): Promise<MemoryResult> {
  const sim = remoteSimAt(plan.simUrl);
  await sim.setLatency(0);
  const props = plan.nodeType === 'tunewire-playlist-tracks' ? { output: 'split' } : { output: 'split', limit: 'limit', limitType: 'msg' };
  const red = await startRed(sim, wired('mem', plan.nodeType, props));
  try {
    const msgFor = (warm: boolean): NodeMessage =>
      (plan.nodeType === 'tunewire-playlist-tracks'
        ? { playlist: warm ? plan.warmUpPlaylistId : plan.playlistId, topic: 'memory' }
        : { limit: warm ? 200 : undefined, topic: 'memory' }) as NodeMessage;
    // Warm up: load got, open sockets, compile the paths the run takes.
    const warmCount = await new Promise<number>((resolve, reject) => {
      let n = 0;
      const out = red.node('mem-out');
      const onOut = (m: NodeMessage): void => {
        n++;
        const parts = m.parts as { count?: number } | undefined;
        if (parts?.count !== undefined) {
          out.removeListener('input', onOut);
          resolve(n);
        }
      };
      out.on('input', onOut);
      red.node('caught').once('input', (m: NodeMessage & { error?: { message?: string } }) => reject(new Error(m.error?.message)));
      red.node('mem').receive(msgFor(true));
    });
    if (warmCount < 1) throw new Error('warm-up sent nothing');

    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 100));
    }
    const baselineRss = process.memoryUsage.rss();
    let peakRss = baselineRss;
    let samples = 0;
    const sampler = setInterval(() => {
      samples++;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, SAMPLE_EVERY_MS);

    await sim.clearRequests();
    let lastCount: number | undefined;
    const out = red.node('mem-out');
    const onLast = (m: NodeMessage): void => {
      const parts = m.parts as { count?: number } | undefined;
      if (parts?.count !== undefined) lastCount = parts.count;
    };
    out.on('input', onLast);
    const run = await drive(red, 'mem', () => msgFor(false), { total: 1, inFlight: 1, perMessage: plan.expected, keep: false, timeoutMs: 240_000 });
    out.removeListener('input', onLast);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return {
      baselineRss,
      peakRss,
      maxRss: process.resourceUsage().maxRSS * 1024,
      samples,
      messages: run.received,
      lastCount,
      ms: run.ms,
      requests: await sim.count({ kind: 'api' }),
    };
  } finally {
    await red.close();
  }
}

if (require.main === module && process.argv[2] === 'child') {
  child(JSON.parse(process.argv[3] ?? '{}') as MemoryPlan).then(
    (result) => {
      process.send?.({ result }, () => process.exit(0));
    },
    (err: unknown) => {
      process.send?.({ error: err instanceof Error ? err.stack : String(err) }, () => process.exit(1));
    },
  );
}
