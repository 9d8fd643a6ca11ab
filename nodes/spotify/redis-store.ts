// The state store on Redis, for several Node-RED instances sharing one Spotify app and account: values under one
// key prefix, compare-and-set and the lock's steps as Lua scripts (atomic on the server), a lock that is a short
// lease its holder renews while it works (so a crashed holder blocks the others for seconds, not for the lock's
// whole time), and events through pub/sub.
//
// Decision: commands are not queued while Redis is away (enableOfflineQueue off). A flow waiting on a dead store
// would hang silently; failing at once with an error that names the store lets the node say so, and ioredis keeps
// reconnecting in the background, so the next poll or message works again without anyone stepping in.
//
// Redis is treated as an outsider too: a server that stops answering (frozen, or cut off without a reset) fails
// every command after the store's timeout; a reply is bounded in size before it is parsed; every key the pack
// writes expires (KEEP_MS, or sooner); and a compare-and-set, lock or lease renewal that was not answered in time
// carries a deadline in the server's clock, so it is not applied later, when the server wakes up.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import { ReplyLimit } from './redis-reply-limit';
import { say } from './words';
import {
  IN_FLIGHT_MS,
  KEEP_MS,
  MAX_WINDOW_ENTRIES,
  StoreUnavailableError,
  type RequestWindow,
  type StateStore,
  type StoreEvent,
  type WindowEntry,
} from './state-store';

/** How long one command, or a wait for the connection, may take before it fails naming the store (setting
 *  spotifyAccount.store.timeoutSeconds). Redis answers in a millisecond or two; seconds mean it is stuck. */
export const DEFAULT_REDIS_TIMEOUT_MS = 2000;
/** The largest value the pack writes or reads (a trigger's cursor with the items of its playlists is the largest
 *  it writes, far below); a bigger one is refused without being read into memory. */
export const MAX_VALUE_BYTES = 16 * 1024 * 1024;
/** Protocol framing and the start of the next reply, beyond the value itself. */
const FRAMING_BYTES = 64 * 1024;
/** How long a lock outlives a holder that stopped renewing it (died, or lost Redis). */
export const DEFAULT_LOCK_LEASE_MS = 5000;
/** Idle connections probe the server after this much silence, so a vanished server is noticed without traffic. */
const KEEPALIVE_MS = 10_000;

export interface RedisStoreOptions {
  /** Prefix of every key and of the event channel (default "tunewire:"). */
  prefix?: string;
  /** How long a command, or a wait for a connection being (re)established, may take (default DEFAULT_REDIS_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The largest value written or read (default MAX_VALUE_BYTES). */
  maxValueBytes?: number;
  /** How often a waiting process asks again for a lock another holds (default 25 ms). */
  lockPollMs?: number;
  /** How long a lock outlives a holder that stopped renewing it (default DEFAULT_LOCK_LEASE_MS). */
  lockLeaseMs?: number;
  /** Told once per outage, with the error naming the store (for the log). */
  onOutage?: (err: StoreUnavailableError) => void;
}

// A command carrying a deadline (ARGV[1], epoch ms in the server's clock; empty: none) does nothing once it has
// passed: one this process already reported as timed out must not move a cursor or take a lock when the server
// wakes up. TIME before writes needs effects replication (the default since Redis 5; asked for on older ones).
const LATE = `
if redis.replicate_commands then redis.replicate_commands() end
local function late()
  if ARGV[1] == '' then return false end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[1])
end
`;

// ARGV: deadline, has expected, expected, has next, next, ttl ms. -1: too late.
const COMPARE_AND_SET = `${LATE}
if late() then return -1 end
local cur = redis.call('GET', KEYS[1])
if ARGV[2] == '1' then
  if cur ~= ARGV[3] then return 0 end
elseif cur then
  return 0
end
if ARGV[4] == '1' then redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[6]) else redis.call('DEL', KEYS[1]) end
return 1`;

// ARGV: deadline, holder's token, ttl ms. 1: taken, 0: another holds it, -1: too late.
const ACQUIRE = `${LATE}
if late() then return -1 end
if redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'NX') then return 1 end
return 0`;

// ARGV: deadline, holder's token, lease ms. 1: renewed, 0: no longer ours, -1: too late.
const RENEW = `${LATE}
if late() then return -1 end
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// The value, unless it is larger than ARGV[1] bytes (then an error naming its size, the value left unread).
// ARGV[2]: keep it that many ms longer (empty: leave its expiry alone).
const BOUNDED_GET = `
local size = redis.call('STRLEN', KEYS[1])
if size > tonumber(ARGV[1]) then return redis.error_reply('TOOLARGE ' .. size) end
local value = redis.call('GET', KEYS[1])
if value and ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value`;

// The app's rolling window: KEYS[1] the requests started (and not answered 429), each scored by when it stops
// being counted from, in the server's clock: IN_FLIGHT_MS ahead while it is in flight, the moment its answer came
// once answered. Spotify counts a request from its arrival, which lies between the send and the answer: counted
// until its answer plus the window, a request is in the shared window at least as long as in Spotify's, however
// late it arrived (a stall between admission and send, a slow network). KEYS[2] those served, scored by when they
// were admitted (what a lesson counts). Entries older than ARGV[6] ms go; so do the sets, that long after the last
// request. ARGV: deadline, member, budget ('' none), window ms, in-flight ms, keep ms.
// Reply: {1 admitted | 0 full | -1 too late, server now, ms until the next place frees at the soonest, requests in
// the window before this one}.
const ADMIT = `${LATE}
if late() then return {-1, 0, 0, 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local keep = tonumber(ARGV[6])
local flight = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - keep)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - keep)
local window = tonumber(ARGV[4])
local from = now - window
local count = redis.call('ZCOUNT', KEYS[1], '(' .. from, '+inf')
if ARGV[3] ~= '' then
  local budget = tonumber(ARGV[3])
  if count >= budget then
    -- The place that frees next: the (count - budget + 1)th to leave. One still in flight leaves a window after
    -- its answer, which comes now at the soonest.
    local freeing = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. from, '+inf', 'WITHSCORES', 'LIMIT', count - budget, 1)
    return {0, now, math.max(1, math.min(tonumber(freeing[2]), now) + window - now), count}
  end
end
redis.call('ZADD', KEYS[1], now + flight, ARGV[2])
redis.call('PEXPIRE', KEYS[1], keep + flight)
return {1, now, 0, count}`;

// The request ARGV[1] goes out now, maybe long after its admission (a cooldown held it): in flight from now (XX:
// only a place still held; one given back meanwhile stays gone). ARGV[2]: in-flight ms. Reply: this moment.
const RESTAMP = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return now`;

// The request ARGV[1] was answered (not 429): KEYS[1] counts it from this moment (it arrived before), KEYS[2]
// notes it served as admitted at ARGV[2]. ARGV[3]: keep ms.
const SERVED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`;

/** How long a shared window keeps its entries: Spotify's window, the longest a pacer learns. */
const WINDOW_KEEP_MS = 30_000;

/** The address without user name or password: it goes into statuses, errors and logs. */
export function redisLabel(url: string): string {
  try {
    const u = new URL(url);
    return say('store.redisAt', { address: `${u.protocol}//${u.host}${u.pathname && u.pathname !== '/' ? u.pathname : ''}` });
  } catch {
    return say('store.redis');
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
  private readonly timeoutMs: number;
  private readonly maxValueBytes: number;
  private readonly lockPollMs: number;
  private readonly lockLeaseMs: number;
  private readonly replies: ReplyLimit;
  private readonly subscribers = new Set<(event: StoreEvent) => void>();
  private readonly recoveredListeners = new Set<() => void>();
  /** This process's id in events, so it does not act on its own. */
  private readonly origin = randomBytes(8).toString('hex');
  /** The server's clock minus this machine's (ms), measured on every new connection; undefined until then. */
  private clockOffsetMs: number | undefined;
  private failing = false;
  private closed = false;
  readonly requestWindow: RequestWindow = {
    admit: (app, member, budget, windowMs, boundMs) => this.admit(app, member, budget, windowMs, boundMs),
    restamp: async (app, member) => {
      const now = await this.run(() => this.client.eval(RESTAMP, 1, this.windowKey(app, 'started'), member, String(IN_FLIGHT_MS)));
      if (typeof now !== 'number') throw this.fail(say('store.unreadableWindow'));
      return now;
    },
    served: (app, entry) => this.servedEntry(app, entry),
    release: async (app, member) => {
      await this.run(() =>
        this.client.multi().zrem(this.windowKey(app, 'started'), member).zrem(this.windowKey(app, 'served'), member).exec(),
      );
    },
    servedSince: (app, from, boundMs) => this.servedSince(app, from, boundMs),
  };

  constructor(
    url: string,
    private readonly options: RedisStoreOptions = {},
  ) {
    this.label = redisLabel(url);
    this.prefix = options.prefix ?? 'tunewire:';
    this.channel = `${this.prefix}events`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    this.maxValueBytes = options.maxValueBytes ?? MAX_VALUE_BYTES;
    this.lockPollMs = options.lockPollMs ?? 25;
    this.lockLeaseMs = options.lockLeaseMs ?? DEFAULT_LOCK_LEASE_MS;
    const common: RedisOptions = {
      // Reconnect for ever, at most every 2 s: the store comes back by itself.
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      connectTimeout: this.timeoutMs,
      keepAlive: KEEPALIVE_MS,
      maxRetriesPerRequest: 0,
    };
    const RedisClient = ioredis();
    this.client = new RedisClient(url, { ...common, enableOfflineQueue: false });
    // The subscriber may queue: its SUBSCRIBE is sent again on every reconnect.
    this.subscriber = new RedisClient(url, { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null });
    const limit = this.maxValueBytes + FRAMING_BYTES;
    this.replies = new ReplyLimit(this.client, limit, mib(this.maxValueBytes));
    const events = new ReplyLimit(this.subscriber, limit, mib(this.maxValueBytes));
    // Without an 'error' listener ioredis would throw the connection errors at the process.
    this.client.on('error', () => this.fail(this.replies.dropped ?? say('store.connectionLost')));
    this.subscriber.on('error', () => undefined);
    this.client.on('ready', () => {
      this.recovered();
      void this.measureClock();
    });
    this.subscriber.on('message', (_channel: string, text: string) => {
      events.settled();
      this.deliver(text);
    });
    this.subscriber.subscribe(this.channel).then(
      () => events.settled(),
      () => undefined,
    );
  }

  async get(key: string, renewMs?: number): Promise<string | undefined> {
    const value = await this.run(() =>
      this.client
        .eval(BOUNDED_GET, 1, this.prefix + key, this.maxValueBytes, renewMs === undefined ? '' : expiry(renewMs))
        .catch((err: unknown) => {
          const size = /^TOOLARGE (\d+)/.exec(err instanceof Error ? err.message : '');
          if (!size) throw err;
          throw new StoreUnavailableError(
            this.label,
            say('store.valueTooLargeToRead', { key: `${this.prefix}${key}`, size: size[1], max: mib(this.maxValueBytes) }),
            say('store.deleteThatKey'),
          );
        }),
    );
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string | undefined, ttlMs: number = KEEP_MS): Promise<void> {
    if (value !== undefined) this.checkSize(key, value);
    await this.run<unknown>(() =>
      value === undefined ? this.client.del(this.prefix + key) : this.client.set(this.prefix + key, value, 'PX', expiry(ttlMs)),
    );
  }

  async compareAndSet(key: string, expected: string | undefined, next: string | undefined, ttlMs: number = KEEP_MS): Promise<boolean> {
    if (next !== undefined) this.checkSize(key, next);
    const done = await this.run(() =>
      this.client.eval(
        COMPARE_AND_SET,
        1,
        this.prefix + key,
        this.deadline(),
        expected === undefined ? '0' : '1',
        expected ?? '',
        next === undefined ? '0' : '1',
        next ?? '',
        expiry(ttlMs),
      ),
    );
    this.checkInTime(done);
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
    const giveUpAt = Date.now() + 2 * ttlMs + this.timeoutMs;
    for (;;) {
      const got = await this.run(() => this.client.eval(ACQUIRE, 1, key, this.deadline(), token, expiry(lease)));
      this.checkInTime(got);
      if (got === 1) break;
      if (Date.now() > giveUpAt) throw new StoreUnavailableError(this.label, say('store.lockTaken', { name }));
      await new Promise((r) => setTimeout(r, this.lockPollMs));
    }
    const stopRenewing = this.renewLease(key, token, lease, Date.now() + ttlMs);
    try {
      return await fn();
    } finally {
      stopRenewing();
      // Only our own lock: after an expiry another holder may have it.
      await this.run(() => this.client.eval(RELEASE, 1, key, token)).catch(() => undefined);
    }
  }

  /**
   * Renews the lease every fifth of it (a holder whose event loop stalls for most of a lease still keeps it) until
   * `until` or the returned stop. One renewal at a time, each with a deadline: one that comes too late is not applied.
   * The holder works on whatever a renewal brings; a lease that lapsed meanwhile lets another holder in, which the
   * token manager allows for (it takes a successor another process stored).
   */
  private renewLease(key: string, token: string, lease: number, until: number): () => void {
    let pending = false;
    const timer = setInterval(() => {
      const left = until - Date.now();
      if (left <= 0 || this.closed) {
        clearInterval(timer);
        return;
      }
      if (pending) return;
      pending = true;
      void this.run(() => this.client.eval(RENEW, 1, key, this.deadline(), token, expiry(Math.min(lease, left))))
        .then((renewed) => this.checkInTime(renewed))
        .catch(() => undefined)
        .finally(() => {
          pending = false;
        });
    }, lease / 5);
    return () => clearInterval(timer);
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

  private windowKey(app: string, set: 'started' | 'served'): string {
    return `${this.prefix}pace:${app}:${set}`;
  }

  private async admit(
    app: string,
    member: string,
    budget: number | undefined,
    windowMs: number,
    boundMs: number,
  ): Promise<{ admitted: boolean; now: number; waitMs: number; inWindow: number }> {
    const reply = await this.run(
      () =>
        this.client.eval(
          ADMIT,
          2,
          this.windowKey(app, 'started'),
          this.windowKey(app, 'served'),
          this.deadline(boundMs),
          member,
          budget === undefined ? '' : String(budget),
          String(Math.ceil(windowMs)),
          String(IN_FLIGHT_MS),
          String(WINDOW_KEEP_MS),
        ),
      boundMs,
    );
    const [verdict, now, waitMs, inWindow] = Array.isArray(reply) ? reply.map(Number) : [];
    this.checkInTime(verdict);
    if (!Number.isFinite(now) || !Number.isFinite(waitMs) || !Number.isFinite(inWindow)) throw this.fail(say('store.unreadableWindow'));
    return { admitted: verdict === 1, now, waitMs, inWindow };
  }

  private async servedEntry(app: string, entry: WindowEntry): Promise<void> {
    await this.run(() =>
      this.client.eval(
        SERVED,
        2,
        this.windowKey(app, 'started'),
        this.windowKey(app, 'served'),
        entry.member,
        String(entry.at),
        String(WINDOW_KEEP_MS),
      ),
    );
  }

  private async servedSince(app: string, from: number, boundMs: number): Promise<WindowEntry[]> {
    const flat = await this.run(
      () => this.client.zrangebyscore(this.windowKey(app, 'served'), `(${from}`, '+inf', 'WITHSCORES', 'LIMIT', 0, MAX_WINDOW_ENTRIES),
      boundMs,
    );
    const entries: WindowEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ member: flat[i], at: Number(flat[i + 1]) });
    return entries;
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

  /** One command, once the connection is up (waiting a little for a reconnect under way), within the timeout. */
  private async run<T>(command: () => Promise<T>, timeoutMs: number = this.timeoutMs): Promise<T> {
    if (this.closed) throw new StoreUnavailableError(this.label, say('store.closed'));
    await this.connected(timeoutMs);
    let value: T;
    try {
      const pending = command();
      // Counted from ioredis's own end of the command, which may come after the timeout gave up on it.
      pending.then(
        () => this.replies.settled(),
        () => this.replies.settled(),
      );
      value = await this.within(pending, timeoutMs);
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      throw this.fail(this.replies.dropped ?? (err instanceof Error ? err.message : String(err)));
    }
    this.recovered();
    return value;
  }

  /**
   * `pending`, or a StoreUnavailableError after the timeout. The verdict waits for one turn of the event loop
   * once the timer fires: an answer already waiting in the socket (a process too busy to read it for a while) is
   * read first, so only a server that really stayed silent counts as one.
   */
  private within<T>(pending: Promise<T>, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (settled) return;
            settled = true;
            reject(this.fail(say('store.noAnswer', { seconds: seconds(timeoutMs) })));
          }),
        timeoutMs,
      );
      pending.then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  private connected(timeoutMs: number): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(this.fail(this.replies.dropped ?? say('store.noConnection')));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  /** Where a compare-and-set, a lock or a renewal sent now stops counting, in the server's clock: half the timeout, so
   *  that one applied just in time still has the other half to bring its answer back. */
  private deadline(timeoutMs: number = this.timeoutMs): string {
    if (this.clockOffsetMs === undefined) return '';
    return String(Math.floor(Date.now() + this.clockOffsetMs + timeoutMs / 2));
  }

  private async measureClock(): Promise<void> {
    try {
      const sent = Date.now();
      const [secs, micros] = await this.run(() => this.client.time());
      const back = Date.now();
      this.clockOffsetMs = Number(secs) * 1000 + Math.floor(Number(micros) / 1000) - (sent + back) / 2;
    } catch {
      // The next connection measures again; until then commands carry no deadline.
    }
  }

  /** A command answered in time but refused as late: the server's clock moved against this one's. */
  private checkInTime(result: unknown): void {
    if (result !== -1) return;
    this.clockOffsetMs = undefined;
    void this.measureClock();
    throw new StoreUnavailableError(this.label, say('store.clockMoved'));
  }

  private checkSize(key: string, value: string): void {
    const size = Buffer.byteLength(value);
    if (size <= this.maxValueBytes) return;
    throw new StoreUnavailableError(
      this.label,
      say('store.valueTooLargeToWrite', { key: `${this.prefix}${key}`, size, max: mib(this.maxValueBytes) }),
      say('store.notWritten'),
    );
  }

  private fail(detail: string): StoreUnavailableError {
    const err = new StoreUnavailableError(this.label, detail);
    if (!this.failing) {
      this.failing = true;
      this.options.onOutage?.(err);
    }
    return err;
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    for (const fn of this.recoveredListeners) fn();
  }
}

/** A TTL Redis takes: whole milliseconds, at least one. */
function expiry(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}

function mib(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
