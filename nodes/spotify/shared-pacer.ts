// One rate budget per Spotify app across every process sharing a store, and what the pacer learned kept over a
// restart. Spotify counts an app's requests together: processes that each pace as if alone run into the window
// over and over. With a store that can hold a request window (Redis), every request is admitted against the
// app's one window there (a Lua script on the server's clock, so the machines' clocks do not matter), and a
// lesson one process draws from a 429 reaches the others. A store that does not answer within a short bound is
// not waited for: this process then paces on its own until the store answers again, and the node status says so.
import { randomBytes } from 'node:crypto';
import type { Cooldown, PaceLesson, PaceTicket, Pacer, RequestPacer } from './rate-limit';
import { SPOTIFY_WINDOW_MS, sleep, validLesson } from './rate-limit';
import { cooldownApp } from './shared-cooldown';
import type { RequestWindow, StateStore, StoreEvent } from './state-store';

/** The longest a request waits for the store's answer before it is paced by this process alone. Redis answers in
 *  a millisecond or two; a store this slow is treated as away. */
export const PACE_STORE_BOUND_MS = 500;
/** While paced alone, the store is asked again after this long (not by every request: each would wait the bound). */
export const ALONE_RETRY_MS = 5000;
/** How long a lesson is kept without being renewed: a day; a later restart learns anew from its first 429. */
export const LESSON_KEEP_MS = 86_400_000;

interface SharedTicket extends PaceTicket {
  /** Its entry in the shared window, once admitted there. */
  member?: string;
  /** When the shared window admitted it, then when it went out (the store's clock, as estimated here). */
  admittedAt?: number;
}

/** Paces the app's requests against the window its processes share, falling back on this process's own pacer. */
export class SharedPacer implements RequestPacer {
  /** Prefix of this process's entries, so its own are told from the others'. */
  private readonly id = randomBytes(6).toString('hex');
  private seq = 0;
  private isAlone = false;
  private askAgainAt = 0;
  /** The store's clock minus this one (ms), from the last admission. */
  private offsetMs: number | undefined;
  private readonly aloneWatchers = new Set<(alone: boolean) => void>();

  constructor(
    private readonly local: Pacer,
    private readonly window: RequestWindow,
    private readonly app: string,
    private readonly boundMs: number = PACE_STORE_BOUND_MS,
    private readonly now: () => number = Date.now,
    /** The lesson kept in the store, being restored (settles, never fails): a process that just started does not
     *  send before it knows the app's rate. */
    private restoring?: Promise<void>,
    /** Reads the kept lesson again (settles, never fails). */
    private readonly reread?: () => Promise<void>,
  ) {}

  limit(): { budget: number; windowMs: number } | undefined {
    return this.local.limit();
  }

  alone(): boolean {
    return this.isAlone;
  }

  watchAlone(fn: (alone: boolean) => void): () => void {
    this.aloneWatchers.add(fn);
    return () => this.aloneWatchers.delete(fn);
  }

  /** A place in this process's window (what it paces by when alone), then one in the app's shared window. */
  async take(signal?: AbortSignal): Promise<PaceTicket> {
    // Without the lesson a request would be admitted unpaced into a window the others may have filled. The
    // restore is one read, which fails after the store's timeout (seconds), once per process.
    if (this.restoring) {
      await this.restoring;
      this.restoring = undefined;
    }
    const ticket: SharedTicket = await this.local.take(signal);
    if (this.isAlone && this.now() < this.askAgainAt) return this.noted(ticket);
    const member = `${this.id}:${++this.seq}`;
    try {
      for (;;) {
        const limit = this.local.limit();
        const sent = this.now();
        const answer = await this.window.admit(this.app, member, limit?.budget, limit?.windowMs ?? SPOTIFY_WINDOW_MS, this.boundMs);
        this.measured(answer.now, sent, this.now());
        this.setAlone(false);
        // This process's part of the app's window, by which it paces should the store go away; and, as its run
        // begins, whether the app's other processes were sending (then its first 429 cannot teach the window).
        const own = this.local.inWindow();
        this.lastShare = Math.min(1, own / (answer.inWindow + 1));
        if (own <= 1) this.runBeganIdle = answer.inWindow === 0;
        if (answer.admitted) {
          ticket.member = member;
          ticket.admittedAt = answer.now;
          return ticket;
        }
        this.local.heldBackElsewhere();
        await sleep(answer.waitMs, signal);
      }
    } catch (err) {
      if (signal?.aborted) {
        this.local.release(ticket);
        throw err;
      }
      // Away or too slow: this request goes out paced by this process alone, and so do the next ones for a while,
      // within the part of the budget this process had lately: the others go on sending theirs.
      this.askAgainAt = this.now() + ALONE_RETRY_MS;
      this.setAlone(true);
      return this.noted(ticket);
    }
  }

  /** A request going out paced alone is still noted in the shared window, without waiting for it: a store that
   *  is slow rather than away counts it for the others once it answers (a place noted late errs on the safe side). */
  private noted(ticket: SharedTicket): SharedTicket {
    const member = `${this.id}:${++this.seq}`;
    ticket.member = member;
    this.window.admit(this.app, member, undefined, SPOTIFY_WINDOW_MS, ALONE_RETRY_MS).then(
      (answer) => {
        if (ticket.member === member) ticket.admittedAt = answer.now;
      },
      () => {
        if (ticket.member === member) ticket.member = undefined;
      },
    );
    return ticket;
  }

  /** The store's clock minus this one, from the quickest round trip of the last minute (a stalled answer would
   *  misjudge it by the stall). */
  private measured(serverNow: number, sent: number, back: number): void {
    const rtt = back - sent;
    if (this.offsetMs !== undefined && rtt > this.bestRttMs && back - this.measuredAt < 60_000) return;
    this.offsetMs = serverNow - (sent + back) / 2;
    this.bestRttMs = rtt;
    this.measuredAt = back;
  }

  private bestRttMs = Number.POSITIVE_INFINITY;
  /** This process's share of the app's window at the last admission. */
  private lastShare = 1;
  /** The app's shared window was empty when this process's current run of requests began. */
  private runBeganIdle = false;
  private measuredAt = 0;

  started(ticket: SharedTicket): void {
    this.local.started(ticket);
    const member = ticket.member;
    if (member === undefined) return;
    // Admitted before a cooldown or the token held it, it may go out seconds later: counted from its admission,
    // it would leave the shared window before it leaves Spotify's, and let too many others in. Stamped by the
    // server's clock, not an estimate of it (a busy process misjudges its offset by its stalls).
    void this.window.restamp(this.app, member).then(
      (at) => {
        if (ticket.member === member) ticket.admittedAt = at;
      },
      () => undefined,
    );
  }

  answered(ticket: SharedTicket): void {
    this.local.answered(ticket);
    if (ticket.member === undefined || ticket.admittedAt === undefined) return;
    // A note the others count when they learn; one lost with the store costs them a request or two of budget.
    void this.window.served(this.app, { member: ticket.member, at: ticket.admittedAt }).catch(() => undefined);
  }

  release(ticket: SharedTicket): void {
    this.local.release(ticket);
    this.leave(ticket);
  }

  /** A 429: it leaves the shared window, and the lesson counts what the app's other processes had served. */
  async limited(ticket: SharedTicket, retryAfterSeconds: number): Promise<void> {
    this.leave(ticket);
    let others: number[] | 'unknown' | 'busy' = 'unknown';
    const offset = this.offsetMs;
    if (!this.isAlone && offset !== undefined) {
      try {
        const from = this.now() + offset - SPOTIFY_WINDOW_MS;
        const entries = await this.window.servedSince(this.app, from, this.boundMs);
        others = [];
        for (const entry of entries) if (!entry.member.startsWith(`${this.id}:`)) others.push(entry.at - offset);
      } catch {
        // Unknown (the store away): see Pacer.limited.
      }
    }
    this.local.limited(ticket, retryAfterSeconds, this.local.limit() === undefined && !this.runBeganIdle ? 'busy' : others);
    // Still nothing learned (the restore at start-up failed, or this run began in a busy window): the app's other
    // processes may have kept a lesson since; else each request would go out unpaced into their window.
    if (this.local.limit() === undefined && this.reread) await this.reread();
  }

  private leave(ticket: SharedTicket): void {
    const member = ticket.member;
    ticket.member = undefined;
    if (member !== undefined) void this.window.release(this.app, member).catch(() => undefined);
  }

  private setAlone(alone: boolean): void {
    if (alone === this.isAlone) return;
    this.isAlone = alone;
    this.local.setShare(alone ? this.lastShare : 1);
    for (const fn of this.aloneWatchers) fn(alone);
  }
}

/** Where the app's lesson and last cooldown are kept between runs: one text value. */
export interface LessonShelf {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
}

interface KeptPacing {
  lesson?: unknown;
  cooldown?: { until?: unknown; quota?: unknown };
  /** Epoch ms after which the record is not believed (a store without expiries keeps it for ever). */
  keptUntil?: unknown;
}

/** The store key of the app `appKey`'s lesson. */
export function lessonKey(appKey: string): string {
  return `pace:${cooldownApp(appKey)}:lesson`;
}

/** A state store as the shelf (Redis drops the value after LESSON_KEEP_MS; every store keeps keptUntil). */
export function storeShelf(store: StateStore, appKey: string): LessonShelf {
  const key = lessonKey(appKey);
  return { read: () => store.get(key), write: (text) => store.set(key, text, LESSON_KEEP_MS) };
}

/**
 * Restores what the app's pacer learned and its last cooldown from `shelf` (when kept less than LESSON_KEEP_MS
 * ago), and keeps them there whenever they change. Resolves once the restore was tried; a shelf that fails is
 * left alone (the pacer learns anew, as without one).
 */
export async function rememberPacing(shelf: LessonShelf, pacer: Pacer, cooldown: Cooldown, now: () => number = Date.now): Promise<void> {
  let writing = Promise.resolve();
  const keep = (): void => {
    const end = cooldown.resumesAt();
    const record: KeptPacing = {
      lesson: pacer.lesson(),
      cooldown: end === undefined ? undefined : { until: end, quota: cooldown.quotaExceeded() },
      keptUntil: now() + LESSON_KEEP_MS,
    };
    writing = writing.then(() => shelf.write(JSON.stringify(record))).catch(() => undefined);
  };
  await restorePacing(shelf, pacer, cooldown, now);
  pacer.watchLesson(keep);
  cooldown.watch(keep);
}

/** Adopts the lesson and cooldown kept on `shelf` (when kept less than LESSON_KEEP_MS ago) if the pacer has none;
 *  settles, never fails. */
export async function restorePacing(shelf: LessonShelf, pacer: Pacer, cooldown: Cooldown, now: () => number = Date.now): Promise<void> {
  try {
    const text = await shelf.read();
    if (text !== undefined) {
      const record = JSON.parse(text) as KeptPacing;
      if (typeof record.keptUntil === 'number' && record.keptUntil > now()) {
        if (pacer.lesson() === undefined && validLesson(record.lesson)) pacer.adopt(record.lesson, 'restored');
        const until = record.cooldown?.until;
        if (typeof until === 'number' && until > now()) cooldown.extendTo(until, record.cooldown?.quota === true);
      }
    }
  } catch {
    // Unreadable or unparsable: nothing was learned, as far as this process knows.
  }
}

/** Tells the app's other processes each lesson this one draws, and takes theirs. */
export function shareLessons(store: StateStore, appKey: string, pacer: Pacer): void {
  const app = cooldownApp(appKey);
  let hearing = false;
  pacer.watchLesson((lesson: PaceLesson | undefined) => {
    if (hearing) return;
    void store.publish({ type: 'pace', app, lesson: lesson ?? null }).catch(() => undefined);
  });
  store.subscribe((event: StoreEvent) => {
    if (event.type !== 'pace' || event.app !== app) return;
    hearing = true;
    try {
      pacer.adopt(validLesson(event.lesson) ? event.lesson : undefined, 'heard');
    } finally {
      hearing = false;
    }
  });
}

const remembered = new WeakMap<Pacer, Promise<void>>();

/** rememberPacing, once per pacer (one per app in a process), whichever node opens the app first. */
export function rememberOnce(shelf: () => LessonShelf, pacer: Pacer, cooldown: Cooldown): Promise<void> {
  let done = remembered.get(pacer);
  if (!done) remembered.set(pacer, (done = rememberPacing(shelf(), pacer, cooldown)));
  return done;
}

const shared = new WeakMap<StateStore, Map<string, RequestPacer>>();

/**
 * The pacer the app's requests go through with this store: with a store that holds request windows for several
 * processes, one that paces against the app's shared window (once per app and store); else `pacer` itself. The
 * lesson is remembered in the store either way.
 */
export function sharePacing(store: StateStore, appKey: string, pacer: Pacer, cooldown: Cooldown): RequestPacer {
  let apps = shared.get(store);
  if (!apps) shared.set(store, (apps = new Map<string, RequestPacer>()));
  const known = apps.get(appKey);
  if (known) return known;
  const window = store.shared ? store.requestWindow : undefined;
  const restored = rememberOnce(() => storeShelf(store, appKey), pacer, cooldown);
  const reread = (): Promise<void> => restorePacing(storeShelf(store, appKey), pacer, cooldown);
  const result = window ? new SharedPacer(pacer, window, cooldownApp(appKey), PACE_STORE_BOUND_MS, Date.now, restored, reread) : pacer;
  apps.set(appKey, result);
  if (window) shareLessons(store, appKey, pacer);
  return result;
}
