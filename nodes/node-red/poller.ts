// The polling loop every trigger node shares: one poll at a time, the next one scheduled when the previous
// has finished (never a backlog of overlapping polls), a longer wait after failures and at least the 429
// cooldown, polls on request, and a close that stops the timer and abandons the poll in flight.

export interface PollOutcome {
  /** What this poll saw, for the node's status ("Song name", "no change", "2 new"). */
  text: string;
  /** Run the next poll after this long instead of the regular interval (now playing: right after a track ends). */
  nextInMs?: number;
  /** Part of the poll failed (one playlist of several): the status shows it as a warning. */
  problem?: boolean;
}

export interface PollerOptions {
  intervalMs: number;
  /** One poll. `signal` aborts when the poller closes: stop, send nothing more, move no state. */
  poll(signal: AbortSignal, forced: boolean): Promise<PollOutcome>;
  onSuccess(outcome: PollOutcome): void;
  /** `consecutive` counts failures in a row (1 for the first); `nextAt` is when the next poll is due. */
  onFailure(err: Error, consecutive: number, nextAt: number, forced: boolean): void;
  /** The earliest time (epoch ms) the next request may be sent after this error, e.g. a 429's Retry-After. */
  notBefore?(err: Error): number | undefined;
  now?: () => number;
}

/**
 * Where a poller is: `idle` (not started, or suspended: no timer; asked-for polls still run), `active` (a poll
 * is in flight or the next one is scheduled) or `closed` (for good). start() moves idle → active, suspend()
 * active → idle, close() anything → closed.
 */
export type PollerPhase = 'idle' | 'active' | 'closed';

/** After repeated failures the interval grows up to this factor (a network outage is not worth hammering). */
const MAX_BACKOFF_FACTOR = 8;
/** Polled a little after the cooldown ends, not on its edge. */
const COOLDOWN_MARGIN_MS = 250;
/** How long close() waits for an abandoned poll to settle (Node-RED gives a close handler 15 s). */
const CLOSE_WAIT_MS = 5000;

export class Poller {
  private state: PollerPhase = 'idle';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private controller: AbortController | undefined;
  /** Callers of pollNow() waiting for a poll that starts after their call. */
  private waiting: (() => void)[] = [];
  private failures = 0;
  private readonly now: () => number;

  constructor(private readonly opts: PollerOptions) {
    this.now = opts.now ?? Date.now;
  }

  get phase(): PollerPhase {
    return this.state;
  }

  get isActive(): boolean {
    return this.state === 'active';
  }

  /** Starts (or resumes) polling: the first poll after `delayMs`. No effect while already polling. */
  start(delayMs = 0): void {
    if (this.state !== 'idle') return;
    this.state = 'active';
    if (!this.running && !this.timer) this.schedule(delayMs);
  }

  /** Stops scheduling polls (e.g. the account lost its authorization); a poll in flight finishes. */
  suspend(): void {
    if (this.state === 'active') this.state = 'idle';
    this.clearTimer();
  }

  /**
   * Polls now, or right after the poll in flight (requests arriving meanwhile share that one extra poll).
   * Resolves once a poll that started after this call has finished, successfully or not.
   */
  pollNow(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.running) this.run();
    return done;
  }

  /** Stops the timer and aborts the poll in flight; resolves when it has settled (or after a few seconds). */
  async close(): Promise<void> {
    this.state = 'closed';
    this.clearTimer();
    this.controller?.abort(new Error('the node was stopped'));
    const pending = this.running;
    this.release(this.takeWaiting());
    if (pending) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending, new Promise<void>((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    }
  }

  /** The timer for the next poll (only one at a time). */
  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.state === 'active' && !this.running) this.run();
      },
      Math.max(0, delayMs),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private takeWaiting(): (() => void)[] {
    const waiting = this.waiting;
    this.waiting = [];
    return waiting;
  }

  private release(waiting: (() => void)[]): void {
    for (const resolve of waiting) resolve();
  }

  /** Starts a poll: for the callers of pollNow() waiting so far (then it is forced), or for the timer. */
  private run(): void {
    this.clearTimer();
    const controller = new AbortController();
    this.controller = controller;
    const waiting = this.takeWaiting();
    const next = { delayMs: this.opts.intervalMs };
    this.running = this.pollOnce(controller.signal, waiting.length > 0, next)
      .catch(() => undefined) // a throwing callback must not become an unhandled rejection
      .finally(() => this.settle(waiting, next.delayMs));
  }

  /** One poll and what its answer or its failure says; sets when the next one is due. */
  private async pollOnce(signal: AbortSignal, forced: boolean, next: { delayMs: number }): Promise<void> {
    try {
      const outcome = await this.opts.poll(signal, forced);
      if (this.state === 'closed') return;
      this.answered(outcome, next);
    } catch (err) {
      if (this.state === 'closed') return;
      this.failed(err instanceof Error ? err : new Error(String(err)), forced, next);
    }
  }

  private answered(outcome: PollOutcome, next: { delayMs: number }): void {
    this.failures = 0;
    next.delayMs = outcome.nextInMs ?? this.opts.intervalMs;
    this.opts.onSuccess(outcome);
  }

  private failed(error: Error, forced: boolean, next: { delayMs: number }): void {
    this.failures++;
    next.delayMs = this.delayAfterFailure(error);
    this.opts.onFailure(error, this.failures, this.now() + next.delayMs, forced);
  }

  /** After a poll: its callers learn it is over; then the extra poll asked for meanwhile, or the timer. */
  private settle(waiting: (() => void)[], delayMs: number): void {
    this.running = undefined;
    this.controller = undefined;
    this.release(waiting);
    if (this.state === 'closed') return;
    if (this.waiting.length > 0) this.run();
    else if (this.state === 'active') this.schedule(delayMs);
  }

  /** The backoff (the interval doubled per failure in a row, at most ×8), and never before a 429's cooldown. */
  private delayAfterFailure(error: Error): number {
    const backoff = this.opts.intervalMs * Math.min(2 ** (this.failures - 1), MAX_BACKOFF_FACTOR);
    const notBefore = this.opts.notBefore?.(error);
    const cooldown = notBefore !== undefined ? notBefore - this.now() + COOLDOWN_MARGIN_MS : 0;
    return Math.max(backoff, cooldown);
  }
}
