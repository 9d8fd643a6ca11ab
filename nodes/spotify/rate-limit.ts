// Spotify counts requests per app. When it answers 429 every node of that app waits out the same
// Retry-After (one shared cooldown): sending anything earlier only lengthens the penalty.
import { localWhen } from './local-time';
import { say, wordsLocale } from './words';

/**
 * The longest one cooldown stops the app's requests (setting spotifyAccount.maxCooldownSeconds). Spotify has
 * asked for hours after retry storms, and a used-up quota lasts until it resets; but a Retry-After of years (a
 * broken proxy, a value forged into the shared store) must not stop the app until someone restarts it. Past the
 * cap the waiting requests go out once, and a 429 starts the next cooldown: at most one wave an hour.
 */
export const DEFAULT_MAX_COOLDOWN_MS = 3_600_000;

export class RateLimitedError extends Error {
  readonly retryAt: number;
  readonly quotaExceeded: boolean;
  /** `askedUntil`: the end Spotify (or another process) asked for, when it was beyond the cap `maxMs`. */
  constructor(retryAt: number, quotaExceeded: boolean, now: number, capped?: { askedUntil: number; maxMs: number }) {
    const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
    // Local time, the user's clock (not Spotify's UTC), its date in the words' language.
    const when = localWhen(retryAt, now, wordsLocale());
    const cap = capped
      ? say('rateLimit.capped', { asked: Math.ceil((capped.askedUntil - now) / 1000), max: Math.round(capped.maxMs / 1000) })
      : '';
    super(say(quotaExceeded ? 'rateLimit.quota' : 'rateLimit.window', { when, seconds, cap }));
    this.name = 'RateLimitedError';
    this.retryAt = retryAt;
    this.quotaExceeded = quotaExceeded;
  }
}

export class Cooldown {
  private until = 0;
  private quota = false;
  /** The end asked for, when the cap cut it short (the error says so). */
  private askedUntil: number | undefined;
  /** The cap on any end, from now (DEFAULT_MAX_COOLDOWN_MS unless the settings say otherwise). */
  maxMs = DEFAULT_MAX_COOLDOWN_MS;
  private readonly watchers = new Set<(until: number, quotaExceeded: boolean) => void>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Starts (or extends) the cooldown from a 429's Retry-After. */
  trip(retryAfterSeconds: number, quotaExceeded: boolean): void {
    this.extendTo(this.now() + Math.max(0, retryAfterSeconds) * 1000, quotaExceeded);
  }

  /** Starts (or extends) the cooldown to an end in epoch ms (one another process of the app met), at most maxMs
   *  from now wherever the end came from. */
  extendTo(until: number, quotaExceeded: boolean): void {
    const cap = this.now() + this.maxMs;
    const end = Math.min(until, cap);
    if (end > this.until) {
      this.until = end;
      this.quota = quotaExceeded;
      this.askedUntil = until > cap ? until : undefined;
      for (const w of this.watchers) w(end, quotaExceeded);
    }
  }

  /** When requests may go out again (epoch ms), or undefined when they may now. */
  resumesAt(): number | undefined {
    return this.until > this.now() ? this.until : undefined;
  }

  /** Calls `fn` with the new end each time the cooldown starts or is extended (node statuses); returns an unsubscribe. */
  watch(fn: (until: number, quotaExceeded: boolean) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** The cooldown in force is a used-up quota (QUOTA_EXCEEDED), not the rolling window. */
  quotaExceeded(): boolean {
    return this.quota;
  }

  remainingMs(): number {
    return Math.max(0, this.until - this.now());
  }

  /** The error for a request that will not wait this cooldown out (naming the cap when it cut the end short);
   *  `quotaExceeded`: what the 429 at hand said, when there is one. */
  error(quotaExceeded: boolean = this.quota): RateLimitedError {
    const capped = this.askedUntil === undefined ? undefined : { askedUntil: this.askedUntil, maxMs: this.maxMs };
    return new RateLimitedError(this.until, quotaExceeded, this.now(), capped);
  }

  /** Waits out the cooldown, or fails at once when it lasts longer than `capMs`. */
  async wait(capMs: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const left = this.remainingMs();
      if (left <= 0) return;
      if (left > capMs || this.quota) throw this.error();
      await sleep(left, signal);
    }
  }
}

const cooldowns = new Map<string, Cooldown>();

/** The cooldown shared by every account and node that uses this Spotify app (its API base and client id),
 *  capped at `maxMs` (one process has one setting). */
export function cooldownFor(appKey: string, maxMs: number = DEFAULT_MAX_COOLDOWN_MS): Cooldown {
  let c = cooldowns.get(appKey);
  if (!c) {
    c = new Cooldown();
    cooldowns.set(appKey, c);
  }
  c.maxMs = maxMs;
  return c;
}

/** Spotify's documented window; what a 429 teaches can only shorten it. */
export const SPOTIFY_WINDOW_MS = 30_000;
/** A window holds far more requests than this. A 429 after fewer served ones came from something else (a proxy, a
 *  passing fault), and pacing on it would crawl. */
export const MIN_LEARNED_BUDGET = 10;
/** A 429 fits the learned window when at least this share of its budget was served in it. */
const EXPLAINED_SHARE = 0.9;
/** Slack added to a learned window, so requests paced to its edge do not arrive a hair early. */
const WINDOW_MARGIN_MS = 100;

/** One request's place in the pacer's window: taken before it is sent, given back if it is answered 429. */
/** How soon a pacer held back by a request still in flight looks again (it leaves a window after its answer). */
const IN_FLIGHT_RECHECK_MS = 50;

export interface PaceTicket {
  at: number;
  /** Answered, and not 429. */
  served: boolean;
  /** When it was answered: it leaves the window as this pacer counts it a window after that (Spotify counted it on
   *  arrival, between start and answer, so however late a busy machine's request arrives the count covers it);
   *  undefined while in flight. */
  answeredAt?: number;
}

/** What a pacer learned of the app's window: at most `budget` requests per `windowMs`; probes stay ≤ `ceiling`. */
export interface PaceLesson {
  budget: number;
  windowMs: number;
  ceiling: number;
}

/** What the HTTP client asks of a pacer: this process's own (Pacer), or one whose window the app's processes
 *  share through a store (shared-pacer.ts). */
export interface RequestPacer {
  take(signal?: AbortSignal): Promise<PaceTicket>;
  started(ticket: PaceTicket): void;
  answered(ticket: PaceTicket): void;
  release(ticket: PaceTicket): void;
  /** A 429 for the ticket: settled once the lesson is drawn (a shared pacer asks the store, within a short bound). */
  limited(ticket: PaceTicket, retryAfterSeconds: number): void | Promise<void>;
  limit(): { budget: number; windowMs: number } | undefined;
  /** A shared pacer whose store is away paces this process's requests on its own (the node status says so). */
  alone(): boolean;
  /** Calls `fn` each time `alone()` changes; returns an unsubscribe. */
  watchAlone(fn: (alone: boolean) => void): () => void;
}

/**
 * Avoids 429s instead of only surviving them. Spotify counts an app's requests over a rolling window and says
 * nothing of its size or budget, so the pacer learns both from the first 429: the requests it saw served in the
 * window are the budget, and (when the run began idle) the time from the run's first request to when Retry-After
 * says the window frees up is the window. From then on at most that many requests are in its window at once; a
 * request stays in it until a window after its answer, since Spotify counted it when it arrived, which a busy
 * machine or a slow network puts anywhere up to the answer. A later 429 with the learned window full lowers the budget (to what was served, minus one), however
 * soon after the last lesson: forgetting would send unpaced into the very window that refused. It creeps back up
 * by one after each window in which it held requests back without a 429, never beyond the most it ever saw served
 * (a probe past that would cost a Retry-After of up to a window). 429s that do not fit (room left in the window)
 * make it forget. Until a 429 teaches it, it does nothing.
 */
export class Pacer implements RequestPacer {
  private budget: number | undefined;
  /** The budget first learned: probes go no higher. */
  private ceiling = 0;
  private windowMs = SPOTIFY_WINDOW_MS;
  /** Requests started and not answered 429 (in flight or served), oldest first from `head` (about: a ticket
   *  taken early may start late, after a cooldown); those before `head` have left the window. */
  private log: PaceTicket[] = [];
  private head = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  private runStart: number | undefined;
  /** The run has met its first 429 already (only that one can tell the window's length). */
  private runLimited = false;
  /** When a 429 last taught something (later 429s of the same overrun teach nothing new). */
  private learnedAt = Number.NEGATIVE_INFINITY;
  private probedAt = Number.NEGATIVE_INFINITY;
  private heldBack = false;
  /** The share of the budget this process takes on its own (a shared pacer whose store is away: the app's other
   *  processes keep sending theirs). */
  private share = 1;
  /** After the first lesson: the requests then in flight, and until when one answered had surely arrived inside
   *  the window that refused (each one served then was in it, and raises the budget learned). */
  private teaching: { until: number; tickets: Set<PaceTicket> } | undefined;
  private readonly lessonWatchers = new Set<(lesson: PaceLesson | undefined) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** What was learned: at most `budget` requests per `windowMs`, or undefined before the first 429. */
  limit(): { budget: number; windowMs: number } | undefined {
    return this.budget === undefined ? undefined : { budget: this.budget, windowMs: this.windowMs };
  }

  /** What was learned, with the probes' ceiling (to keep, or to tell the app's other processes). */
  lesson(): PaceLesson | undefined {
    return this.budget === undefined ? undefined : { budget: this.budget, windowMs: this.windowMs, ceiling: this.ceiling };
  }

  /**
   * Takes a lesson learned elsewhere: `heard` from another process of the app just now (429s of requests sent
   * before it are echoes of the overrun that taught it), or `restored` from the store after a restart (an old
   * lesson: the next misfit 429 makes it forget, as with its own). undefined: the other process forgot.
   */
  adopt(lesson: PaceLesson | undefined, how: 'heard' | 'restored'): void {
    if (lesson === undefined) {
      if (how === 'heard') this.budget = undefined;
      return;
    }
    if (!validLesson(lesson)) return;
    // A lesson drawn from a 429 (new, or lower): the 429s of requests already sent are echoes of it. A probe's
    // step up is not a lesson of that kind.
    if (how === 'heard' && (this.budget === undefined || lesson.budget < this.budget)) this.learnedAt = this.now();
    this.budget = lesson.budget;
    this.ceiling = Math.max(lesson.ceiling, lesson.budget);
    this.windowMs = lesson.windowMs;
    this.probedAt = this.now();
    this.heldBack = false;
    this.teaching = undefined;
  }

  /** Calls `fn` when a 429 or a probe changed what was learned (not on adopt); returns an unsubscribe. */
  watchLesson(fn: (lesson: PaceLesson | undefined) => void): () => void {
    this.lessonWatchers.add(fn);
    return () => this.lessonWatchers.delete(fn);
  }

  /** Paces this process's requests to `share` (0–1) of the budget: while the window the app's processes share is
   *  out of reach, by the share this process had of it. */
  setShare(share: number): void {
    this.share = Math.min(1, Math.max(0, share));
  }

  /** The requests this pacer counts in its window now. */
  inWindow(): number {
    this.prune(this.now());
    return this.size();
  }

  /** A request waited for the window the app's processes share: as if this pacer had held it back (probes). */
  heldBackElsewhere(): void {
    this.heldBack = true;
  }

  alone(): boolean {
    return false;
  }

  watchAlone(): () => void {
    return () => undefined;
  }

  private told(before: string): void {
    const lesson = this.lesson();
    if (JSON.stringify(lesson) === before) return;
    for (const fn of this.lessonWatchers) fn(lesson);
  }

  /** Waits until one more request fits the learned window, and counts it as started. */
  async take(signal?: AbortSignal): Promise<PaceTicket> {
    for (;;) {
      const now = this.now();
      this.prune(now);
      this.probe(now);
      if (this.budget === undefined || this.size() < Math.max(1, Math.floor(this.budget * this.share))) {
        if (this.size() === 0 && now - this.lastStart >= this.windowMs) {
          this.runStart = now;
          this.runLimited = false;
        }
        const ticket = { at: now, served: false };
        this.log.push(ticket);
        this.lastStart = now;
        return ticket;
      }
      this.heldBack = true;
      // The front leaves first (a request in flight leaves a window after its answer: look again shortly).
      await sleep(Math.max(1, this.leaves(this.log[this.head], now + IN_FLIGHT_RECHECK_MS) - now), signal);
    }
  }

  /** The request is about to go out (a cooldown may have held it after `take`). */
  started(ticket: PaceTicket): void {
    ticket.at = this.now();
    this.lastStart = ticket.at;
  }

  /** The request was answered, not 429: it used the window. */
  answered(ticket: PaceTicket): void {
    ticket.served = true;
    ticket.answeredAt = this.now();
    const teaching = this.teaching;
    if (!teaching?.tickets.delete(ticket)) return;
    if (this.now() > teaching.until || this.budget === undefined) {
      this.teaching = undefined;
      return;
    }
    const before = JSON.stringify(this.lesson());
    this.budget++;
    this.ceiling = Math.max(this.ceiling, this.budget);
    this.told(before);
  }

  /** The request was not sent after all (aborted, or refused before sending). */
  release(ticket: PaceTicket): void {
    this.teaching?.tickets.delete(ticket);
    const i = this.log.indexOf(ticket, this.head);
    if (i >= 0) this.log.splice(i, 1);
  }

  /**
   * The request was answered 429 with this Retry-After: it did not use the window, and it teaches. `others`: when
   * the app's processes share one window, the start times (this clock) of the requests the others had served
   * lately, so that the budget learned is the app's, not this process's share of it; 'unknown' when they could not
   * be known (the store away): a first lesson then counts this process's requests only (a smaller budget, never a
   * larger one), and a later 429 teaches nothing (its window held the others' requests too, uncounted); 'busy'
   * when the app's other processes were sending as this one's run began: the run did not begin idle for the app,
   * so its first 429 cannot tell the window's length either.
   */
  limited(ticket: PaceTicket, retryAfterSeconds: number, others: readonly number[] | 'unknown' | 'busy' = []): void {
    const before = JSON.stringify(this.lesson());
    this.others = others;
    try {
      this.learn(ticket, retryAfterSeconds);
    } finally {
      this.others = [];
    }
    this.told(before);
  }

  private others: readonly number[] | 'unknown' | 'busy' = [];

  private learn(ticket: PaceTicket, retryAfterSeconds: number): void {
    this.release(ticket);
    const now = this.now();
    const firstOfRun = !this.runLimited;
    this.runLimited = true;
    // Sent before the last lesson: one more echo of the overrun that taught it.
    if (ticket.at <= this.learnedAt) return;
    if (this.budget === undefined) {
      // Only the first 429 of a run that began idle teaches: the run's first request is then the oldest in
      // Spotify's window, and Retry-After says when it leaves.
      if (!firstOfRun || this.runStart === undefined || this.others === 'busy') return;
      const freeAt = now + Math.max(0, retryAfterSeconds) * 1000;
      const windowMs = Math.min(SPOTIFY_WINDOW_MS, Math.max(1000, freeAt - this.runStart + WINDOW_MARGIN_MS));
      // Requests still in flight are not counted: sent into a full window, they come back 429 too.
      const served = this.servedSince(now - windowMs);
      if (served < MIN_LEARNED_BUDGET) return;
      this.windowMs = windowMs;
      this.budget = this.ceiling = served;
      // The requests still in flight were sent before this answer came: the window that refused this one frees no
      // sooner than (Retry-After - 1) s after it was sent, so each of them served by then arrived inside it and
      // counts too (the whole seconds leave no such time when Retry-After is 1).
      if (retryAfterSeconds >= 2) {
        const tickets = new Set<PaceTicket>();
        for (let i = this.head; i < this.log.length; i++) if (!this.log[i].served) tickets.add(this.log[i]);
        this.teaching = { until: ticket.at + (retryAfterSeconds - 1) * 1000, tickets };
      }
    } else if (Array.isArray(this.others)) {
      // Paced, and still refused with the window full: the budget is too high (a request at the edge, another
      // program spending the app's budget): one less than was served. With room left in the window the 429s do not
      // follow this model (random ones): forget it, and only wait out Retry-After until the next run teaches anew.
      const served = this.servedSince(now - this.windowMs);
      if (served < this.budget * EXPLAINED_SHARE) {
        this.budget = undefined;
        this.teaching = undefined;
        return;
      }
      this.budget = Math.max(MIN_LEARNED_BUDGET, Math.min(this.budget, served) - 1);
    }
    this.learnedAt = this.probedAt = now;
    this.heldBack = false;
  }

  private servedSince(from: number): number {
    let n = 0;
    for (let i = this.head; i < this.log.length; i++) if (this.log[i].served && this.log[i].at > from) n++;
    if (Array.isArray(this.others)) for (const at of this.others) if (at > from) n++;
    return n;
  }

  /** One more request per window, up to the ceiling, after a whole window spent holding requests back. */
  private probe(now: number): void {
    if (this.budget === undefined || now - this.probedAt < this.windowMs) return;
    const before = JSON.stringify(this.lesson());
    if (this.heldBack && this.budget < this.ceiling) this.budget++;
    this.heldBack = false;
    this.probedAt = now;
    this.told(before);
  }

  private size(): number {
    return this.log.length - this.head;
  }

  /** When a ticket leaves the window (`inFlight` while it has no answer). */
  private leaves(ticket: PaceTicket | undefined, inFlight: number): number {
    return ticket?.answeredAt === undefined ? inFlight : ticket.answeredAt + this.windowMs;
  }

  /** Drops what left the window from the front: constant time per request at any rate. An entry behind one still
   *  in flight (or answered later) stays counted until that one leaves too: the count errs on the safe side. */
  private prune(now: number): void {
    while (this.head < this.log.length && this.leaves(this.log[this.head], Number.POSITIVE_INFINITY) <= now) this.head++;
    if (this.head > 1024 && this.head * 2 > this.log.length) {
      this.log = this.log.slice(this.head);
      this.head = 0;
    }
  }
}

/** A lesson from outside (the store, another process) is used only when it is one this pacer could have learned. */
export function validLesson(value: unknown): value is PaceLesson {
  if (typeof value !== 'object' || value === null) return false;
  const { budget, windowMs, ceiling } = value as Record<string, unknown>;
  return (
    Number.isInteger(budget) &&
    (budget as number) >= MIN_LEARNED_BUDGET &&
    (budget as number) <= MAX_LEARNED_BUDGET &&
    Number.isInteger(ceiling) &&
    (ceiling as number) >= (budget as number) &&
    (ceiling as number) <= MAX_LEARNED_BUDGET &&
    typeof windowMs === 'number' &&
    windowMs >= 1000 &&
    windowMs <= SPOTIFY_WINDOW_MS
  );
}

/** More requests in one window than any Spotify app is granted: a stored lesson beyond it is not believed. */
const MAX_LEARNED_BUDGET = 100_000;

const pacers = new Map<string, Pacer>();

/** The pacer shared by every account and node that uses this Spotify app (keyed like `cooldownFor`). */
export function pacerFor(appKey: string): Pacer {
  let p = pacers.get(appKey);
  if (!p) {
    p = new Pacer();
    pacers.set(appKey, p);
  }
  return p;
}

/** Why `signal` was aborted, as an Error (a bare abort() gives a DOMException, which is one). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort(): void {
      clearTimeout(timer);
      if (signal) reject(abortError(signal));
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
