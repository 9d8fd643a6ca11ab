// Spotify counts requests per app. When it answers 429 every node of that app waits out the same
// Retry-After (one shared cooldown): sending anything earlier only lengthens the penalty.

export class RateLimitedError extends Error {
  readonly retryAt: number;
  readonly quotaExceeded: boolean;
  constructor(retryAt: number, quotaExceeded: boolean, now: number) {
    const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
    const when = new Date(retryAt).toISOString();
    super(
      quotaExceeded
        ? `Spotify quota exceeded for this app (QUOTA_EXCEEDED): no requests until ${when} (in ${seconds} s). The app's request quota is used up; waiting is the only remedy`
        : `Spotify rate limit: retry after ${when} (in ${seconds} s), longer than this pack waits`,
    );
    this.name = 'RateLimitedError';
    this.retryAt = retryAt;
    this.quotaExceeded = quotaExceeded;
  }
}

export class Cooldown {
  private until = 0;
  private quota = false;
  private readonly watchers = new Set<(until: number, quotaExceeded: boolean) => void>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Starts (or extends) the cooldown from a 429's Retry-After. */
  trip(retryAfterSeconds: number, quotaExceeded: boolean): void {
    this.extendTo(this.now() + Math.max(0, retryAfterSeconds) * 1000, quotaExceeded);
  }

  /** Starts (or extends) the cooldown to an end in epoch ms (one another process of the app met). */
  extendTo(until: number, quotaExceeded: boolean): void {
    if (until > this.until) {
      this.until = until;
      this.quota = quotaExceeded;
      for (const w of this.watchers) w(until, quotaExceeded);
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

  remainingMs(): number {
    return Math.max(0, this.until - this.now());
  }

  /** Waits out the cooldown, or fails at once when it lasts longer than `capMs`. */
  async wait(capMs: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const left = this.remainingMs();
      if (left <= 0) return;
      if (left > capMs || this.quota) throw new RateLimitedError(this.until, this.quota, this.now());
      await sleep(left, signal);
    }
  }
}

const cooldowns = new Map<string, Cooldown>();

/** The cooldown shared by every account and node that uses this Spotify app (its API base and client id). */
export function cooldownFor(appKey: string): Cooldown {
  let c = cooldowns.get(appKey);
  if (!c) {
    c = new Cooldown();
    cooldowns.set(appKey, c);
  }
  return c;
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
