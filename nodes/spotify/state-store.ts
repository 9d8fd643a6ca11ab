// Where the pack keeps what must outlive a process or be shared by several: tokens (already encrypted by the
// token store), trigger cursors and the app's rate-limit cooldown. One small interface, so the same code runs on
// a Node-RED context store (one process) or Redis (a fleet). The user-directory files do not go through here:
// they keep their own format (token-store.ts, file-store.ts). Knows nothing about Node-RED.
import { REFRESH_TOKEN_MONTHS } from './consent';
import { KeyedQueue } from './keyed-queue';
import { say } from './words';

/**
 * How long a shared store keeps a value nobody writes (or, for `get` with `renewMs`, reads) any more: 200 days.
 * Longer than a refresh token lives (6 months after consent, however often it is used), so a token entry in use
 * — rewritten at every hourly refresh — never expires, and one untouched this long holds a dead refresh token
 * anyway; cursors are renewed at every poll, so only those of triggers no instance runs any more go.
 */
export const KEEP_MS = (REFRESH_TOKEN_MONTHS * 31 + 14) * 86_400_000;

/** What one process tells the others through the store. */
export type StoreEvent =
  | { type: 'tokens'; accountId: string }
  | { type: 'cooldown'; app: string; until: number; quota: boolean }
  | { type: 'pace'; app: string; lesson: unknown };

/** A request in a shared window: its id and when it was admitted, in the store's clock (epoch ms). */
export interface WindowEntry {
  member: string;
  at: number;
}

/**
 * The rolling window of an app's requests, kept in a shared store so that the app's processes pace as one
 * (shared-pacer.ts). Each call gives up after `boundMs`, and one that answers later is not applied.
 */
export interface RequestWindow {
  /** Counts `member` as in flight unless `budget` requests (undefined: no limit yet) are in flight or were answered
   *  within the last `windowMs`; else `waitMs` says when a place frees at the soonest. `now`: the store's clock;
   *  `inWindow`: the requests the window held (this one not counted). */
  admit(
    app: string,
    member: string,
    budget: number | undefined,
    windowMs: number,
    boundMs: number,
  ): Promise<{ admitted: boolean; now: number; waitMs: number; inWindow: number }>;
  /** The request goes out now, maybe long after it was admitted (a cooldown held it): in flight from now in the
   *  store's clock (returned), for IN_FLIGHT_MS at most (a process that died never answers). */
  restamp(app: string, member: string): Promise<number>;
  /** The request was answered (not 429): it leaves the window `windowMs` after this moment (Spotify counted it
   *  from its arrival, before), and is noted as served from `entry.at` (what a lesson counts). */
  served(app: string, entry: WindowEntry): Promise<void>;
  /** The request was not sent, or answered 429: it leaves the window. */
  release(app: string, member: string): Promise<void>;
  /** The requests served since `from` (store's clock), oldest first, at most MAX_WINDOW_ENTRIES. */
  servedSince(app: string, from: number, boundMs: number): Promise<WindowEntry[]>;
}

/** How long a request admitted to a shared window counts as in flight when no answer is noted (its process died
 *  or lost the store): twice the default request timeout. */
export const IN_FLIGHT_MS = 30_000;

/** The most entries of a shared window read at once (a window of Spotify's holds far fewer requests). */
export const MAX_WINDOW_ENTRIES = 20_000;

export interface StateStore {
  /** Names the store in errors, statuses and logs ("Redis store at redis://host:6379"): never a password. */
  readonly label: string;
  /** Several processes use it at once: locks, compare-and-set and events then hold across them. */
  readonly shared: boolean;
  /** `renewMs`: a shared store keeps the value that much longer from this read on (a cursor read at every poll). */
  get(key: string, renewMs?: number): Promise<string | undefined>;
  /** undefined deletes. A shared store drops the value `ttlMs` after this write (default KEEP_MS). */
  set(key: string, value: string | undefined, ttlMs?: number): Promise<void>;
  /** Stores `next` only while the value is still `expected` (undefined: absent); true when it did. A shared store
   *  that did not answer in time never applies it later. */
  compareAndSet(key: string, expected: string | undefined, next: string | undefined, ttlMs?: number): Promise<boolean>;
  /** Runs `fn` holding the lock `name`, for `ttlMs` at most; a holder that dies frees it within seconds. */
  withLock<R>(name: string, ttlMs: number, fn: () => Promise<R>): Promise<R>;
  /** Reaches the other processes using the store (this one knows already). */
  publish(event: StoreEvent): Promise<void>;
  /** Events published by the other processes. */
  subscribe(fn: (event: StoreEvent) => void): () => void;
  /** The app's rolling window of requests, when the store can hold one for several processes (Redis). */
  readonly requestWindow?: RequestWindow;
  /** `fn` runs when the store answers again after it failed (running nodes re-read what they need). */
  onRecovered(fn: () => void): () => void;
  close(): Promise<void>;
}

/** The store could not be reached or refused an operation; the message names the store and what to do. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly storeLabel: string,
    detail: string,
    remedy = say('store.retries'),
  ) {
    super(say('store.unavailable', { store: storeLabel, detail, remedy }));
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The parts every one-process store shares: compare-and-set and locks are exact within the process (every
 * change goes through one queue per key); there are no other processes to tell anything.
 */
export abstract class LocalStateStore implements StateStore {
  abstract readonly label: string;
  readonly shared: boolean = false;
  private readonly queue = new KeyedQueue();

  protected abstract read(key: string): Promise<string | undefined>;
  protected abstract write(key: string, value: string | undefined): Promise<void>;

  // One process, no one else's leftovers: values live as long as the store (TTLs are for shared stores).
  async get(key: string): Promise<string | undefined> {
    await this.queue.idle(key);
    return this.read(key);
  }

  set(key: string, value: string | undefined): Promise<void> {
    return this.queue.run(key, () => this.write(key, value));
  }

  compareAndSet(key: string, expected: string | undefined, next: string | undefined): Promise<boolean> {
    return this.queue.run(key, async () => {
      if ((await this.read(key)) !== expected) return false;
      await this.write(key, next);
      return true;
    });
  }

  withLock<R>(name: string, _ttlMs: number, fn: () => Promise<R>): Promise<R> {
    return this.queue.run(`lock:${name}`, fn);
  }

  publish(): Promise<void> {
    return Promise.resolve();
  }

  subscribe(): () => void {
    return () => undefined;
  }

  onRecovered(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
