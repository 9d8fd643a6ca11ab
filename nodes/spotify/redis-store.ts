// The state store on Redis, for several Node-RED instances sharing one Spotify app and account: values under one
// key prefix, compare-and-set and lock release as Lua scripts (atomic on the server), a lock with an expiry
// (SET NX PX) so a crashed holder cannot block the others, and events through pub/sub.
//
// Decision: commands are not queued while Redis is away (enableOfflineQueue off). A flow waiting on a dead store
// would hang silently; failing at once with an error that names the store lets the node say so, and ioredis keeps
// reconnecting in the background, so the next poll or message works again without anyone stepping in.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import { StoreUnavailableError, type StateStore, type StoreEvent } from './state-store';

export interface RedisStoreOptions {
  /** Prefix of every key and of the event channel (default "tunewire:"). */
  prefix?: string;
  /** How long a command waits for a connection being (re)established before failing (default 2 s). */
  connectWaitMs?: number;
  /** How often a waiting process asks again for a lock another holds (default 25 ms). */
  lockPollMs?: number;
  /** How long a lock outlives a holder that stopped renewing it (died, or lost Redis) (default 5 s). */
  lockLeaseMs?: number;
  /** Told once per outage, with the error naming the store (for the log). */
  onOutage?: (err: StoreUnavailableError) => void;
}

const COMPARE_AND_SET = `
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if cur ~= ARGV[2] then return 0 end
elseif cur then
  return 0
end
if ARGV[3] == '1' then redis.call('SET', KEYS[1], ARGV[4]) else redis.call('DEL', KEYS[1]) end
return 1`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The address without user name or password: it goes into statuses, errors and logs. */
export function redisLabel(url: string): string {
  try {
    const u = new URL(url);
    return `Redis store at ${u.protocol}//${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'Redis store';
  }
}

// ioredis takes a tenth of a second to load: only Node-RED instances that use a Redis store pay for it.
const load = createRequire(__filename);
function ioredis(): new (url: string, options: RedisOptions) => Redis {
  return (load('ioredis') as { Redis: new (url: string, options: RedisOptions) => Redis }).Redis;
}

export class RedisStateStore implements StateStore {
  readonly label: string;
  readonly shared = true;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly connectWaitMs: number;
  private readonly lockPollMs: number;
  private readonly lockLeaseMs: number;
  private readonly subscribers = new Set<(event: StoreEvent) => void>();
  private readonly recoveredListeners = new Set<() => void>();
  /** This process's id in events, so it does not act on its own. */
  private readonly origin = randomBytes(8).toString('hex');
  private failing = false;
  private closed = false;

  constructor(
    url: string,
    private readonly options: RedisStoreOptions = {},
  ) {
    this.label = redisLabel(url);
    this.prefix = options.prefix ?? 'tunewire:';
    this.channel = `${this.prefix}events`;
    this.connectWaitMs = options.connectWaitMs ?? 2000;
    this.lockPollMs = options.lockPollMs ?? 25;
    this.lockLeaseMs = options.lockLeaseMs ?? 5000;
    const common = {
      // Reconnect for ever, at most every 2 s: the store comes back by itself.
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      connectTimeout: 5000,
      maxRetriesPerRequest: 0,
    };
    const RedisClient = ioredis();
    this.client = new RedisClient(url, { ...common, enableOfflineQueue: false });
    // The subscriber may queue: its SUBSCRIBE is sent again on every reconnect.
    this.subscriber = new RedisClient(url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
    // Without an 'error' listener ioredis would throw the connection errors at the process.
    this.client.on('error', () => this.fail('connection refused or lost'));
    this.subscriber.on('error', () => undefined);
    this.client.on('ready', () => {
      if (!this.failing) return;
      this.failing = false;
      for (const fn of this.recoveredListeners) fn();
    });
    this.subscriber.on('message', (_channel: string, text: string) => this.deliver(text));
    this.subscriber.subscribe(this.channel).catch(() => undefined);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.run(() => this.client.get(this.prefix + key));
    return value ?? undefined;
  }

  async set(key: string, value: string | undefined): Promise<void> {
    await this.run<unknown>(() => (value === undefined ? this.client.del(this.prefix + key) : this.client.set(this.prefix + key, value)));
  }

  async compareAndSet(key: string, expected: string | undefined, next: string | undefined): Promise<boolean> {
    const done = await this.run(() =>
      this.client.eval(
        COMPARE_AND_SET,
        1,
        this.prefix + key,
        expected === undefined ? '0' : '1',
        expected ?? '',
        next === undefined ? '0' : '1',
        next ?? '',
      ),
    );
    return done === 1;
  }

  /**
   * The lock is a key with a short lease that the holder renews while `fn` runs, for `ttlMs` at most: a holder
   * that dies (or hangs past `ttlMs`) frees it within one lease, not at the end of `ttlMs`.
   */
  async withLock<R>(name: string, ttlMs: number, fn: () => Promise<R>): Promise<R> {
    const key = `${this.prefix}lock:${name}`;
    const token = randomBytes(16).toString('hex');
    const lease = Math.min(ttlMs, this.lockLeaseMs);
    // A holder frees the lock when it is done, or the lease does: waiting longer than that means trouble.
    const giveUpAt = Date.now() + 2 * ttlMs + this.connectWaitMs;
    for (;;) {
      const got = await this.run(() => this.client.set(key, token, 'PX', lease, 'NX'));
      if (got === 'OK') break;
      if (Date.now() > giveUpAt) throw new StoreUnavailableError(this.label, `the lock ${name} stayed taken`);
      await new Promise((r) => setTimeout(r, this.lockPollMs));
    }
    const renewUntil = Date.now() + ttlMs;
    const renewal = setInterval(() => {
      const left = renewUntil - Date.now();
      if (left <= 0 || this.closed) clearInterval(renewal);
      else void this.run(() => this.client.eval(RENEW, 1, key, token, Math.min(lease, left))).catch(() => undefined);
    }, lease / 5); // a holder whose event loop stalls for most of a lease still keeps it
    try {
      return await fn();
    } finally {
      clearInterval(renewal);
      // Only our own lock: after an expiry another holder may have it.
      await this.run(() => this.client.eval(RELEASE, 1, key, token)).catch(() => undefined);
    }
  }

  async publish(event: StoreEvent): Promise<void> {
    await this.run(() => this.client.publish(this.channel, JSON.stringify({ origin: this.origin, event })));
  }

  subscribe(fn: (event: StoreEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  onRecovered(fn: () => void): () => void {
    this.recoveredListeners.add(fn);
    return () => this.recoveredListeners.delete(fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    this.recoveredListeners.clear();
    this.client.disconnect();
    this.subscriber.disconnect();
    return Promise.resolve();
  }

  private deliver(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return; // not ours
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { origin, event } = parsed as { origin?: unknown; event?: StoreEvent };
    if (origin === this.origin || typeof event !== 'object' || event === null) return;
    for (const fn of this.subscribers) fn(event);
  }

  /** One command, once the connection is up (waiting a little for a reconnect under way). */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError(this.label, 'closed');
    await this.connected();
    try {
      return await command();
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw this.fail(detail);
    }
  }

  private connected(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(this.fail('no connection'));
      }, this.connectWaitMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  private fail(detail: string): StoreUnavailableError {
    const err = new StoreUnavailableError(this.label, detail);
    if (!this.failing) {
      this.failing = true;
      this.options.onOutage?.(err);
    }
    return err;
  }
}
