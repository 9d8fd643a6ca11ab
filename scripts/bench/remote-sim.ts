// The simulator in a child process of its own, driven through its /__sim/ controls. The real Spotify does its
// work on other machines: keeping the simulator's page rendering off the measured process makes the timings
// and memory figures the pack's own, not the pack's plus the fake server's.
import { fork } from 'node:child_process';
import { startSimulator, type RateLimitSettings, type SimRequest, type SimulatorOptions } from '../../test/simulator';

export interface RemoteSimState {
  library: { tracks: { uri: string }[]; playlists: (string | null)[] };
  playlists: { id: string; owner: { id: string }; items?: { uri: string }[] }[];
}

export interface RemoteSim {
  /** Accounts base (/authorize, /api/token). */
  readonly url: string;
  readonly apiUrl: string;
  /** Requests received so far that match (API and accounts; control calls never count). */
  count(filter?: { path?: string; pathRegex?: string; method?: string; kind?: 'api' | 'accounts' }): Promise<number>;
  setLatency(ms: number): Promise<void>;
  /** Spotify's rate limit on (counts start afresh) or off. */
  setRateLimit(settings: RateLimitSettings | undefined): Promise<void>;
  /** Every request logged since the last clear. */
  requests(): Promise<SimRequest[]>;
  /** A fault rule (a string path only); returns its id. */
  addFault(rule: {
    method?: string;
    path?: string;
    status?: number;
    reset?: boolean;
    afterEffect?: boolean;
    every?: number;
    times?: number;
  }): Promise<number>;
  clearFaults(): Promise<void>;
  expireAccessTokens(): Promise<void>;
  clearRequests(): Promise<void>;
  /** Approves on the consent page; the Location it redirects to. */
  consent(authorizeUrl: string): Promise<string>;
  state(withItems: boolean): Promise<RemoteSimState>;
  stop(): Promise<void>;
}

export async function startRemoteSim(options: SimulatorOptions): Promise<RemoteSim> {
  const child = fork(__filename, ['host', JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url?: string }) => (m.url ? resolve(m.url) : reject(new Error('simulator host: no url'))));
    child.once('exit', (code) => reject(new Error(`simulator host exited (${code})`)));
  });

  return remoteSimAt(url, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });
}

/** A simulator another process started (`stop` is then the owner's business). */
export function remoteSimAt(url: string, stop: () => Promise<void> = () => Promise.resolve()): RemoteSim {
  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/__sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator control ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };

  return {
    url,
    apiUrl: `${url}/v1`,
    async count(filter = {}) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(filter)) if (v !== undefined) q.set(k, v);
      return (await control<{ count: number }>('GET', `/count?${q.toString()}`)).count;
    },
    async setLatency(ms) {
      await control('POST', '/latency', { ms });
    },
    async setRateLimit(settings) {
      await control('POST', '/rate-limit', settings ?? { off: true });
    },
    requests() {
      return control<SimRequest[]>('GET', '/requests');
    },
    async addFault(rule) {
      return (await control<{ id: number }>('POST', '/faults', rule)).id;
    },
    async clearFaults() {
      await control('POST', '/faults/clear');
    },
    async expireAccessTokens() {
      await control('POST', '/expire-access-tokens');
    },
    async clearRequests() {
      await control('POST', '/requests/clear');
    },
    async consent(authorizeUrl) {
      return (await control<{ location: string }>('POST', '/consent', { authorizeUrl, decision: 'approve' })).location;
    },
    state(withItems) {
      return control<RemoteSimState>('GET', `/state?items=${withItems ? '1' : '0'}`);
    },
    stop,
  };
}

/** The child: runs one simulator until the parent disconnects. */
async function host(options: SimulatorOptions): Promise<void> {
  const sim = await startSimulator(options);
  process.send?.({ url: sim.url });
  process.once('disconnect', () => {
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

if (require.main === module && process.argv[2] === 'host') {
  host(JSON.parse(process.argv[3] ?? '{}') as SimulatorOptions).catch((err: unknown) => {
    process.stderr.write(`simulator host: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(2);
  });
}
