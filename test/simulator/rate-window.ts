// Spotify's rate limit as the fact sheet describes it: each app may make `budget` requests in any rolling
// window (30 s on Spotify); beyond that it answers 429 with a Retry-After saying when the window frees up. Since
// July 2026 a developer account also has a request quota across all its apps, answered 429 QUOTA_EXCEEDED.
// Requests answered 429 are not counted (they were not served). Off unless set.

export interface RateLimitSettings {
  /** Requests one app may make in any window. */
  budget: number;
  /** The rolling window (default 30,000 ms, Spotify's). */
  windowMs?: number;
  /** Requests one developer account may make across its apps before QUOTA_EXCEEDED (default: no quota). */
  quota?: number;
  /** Retry-After sent with QUOTA_EXCEEDED (default 3600 s). */
  quotaRetryAfterSeconds?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfter: number; reason?: 'QUOTA_EXCEEDED' };

export const SPOTIFY_WINDOW_MS = 30_000;

export class RateWindow {
  private settings: Required<Omit<RateLimitSettings, 'quota'>> & { quota: number | undefined };
  /** Arrival times of the served requests of each app, oldest first. */
  private readonly served = new Map<string, number[]>();
  private readonly used = new Map<string, number>();

  constructor(settings: RateLimitSettings) {
    if (!Number.isInteger(settings.budget) || settings.budget < 1) throw new Error('budget must be a positive integer');
    const windowMs = settings.windowMs ?? SPOTIFY_WINDOW_MS;
    if (!(windowMs > 0)) throw new Error('windowMs must be positive');
    if (settings.quota !== undefined && !(settings.quota >= 0)) throw new Error('quota must not be negative');
    this.settings = {
      budget: settings.budget,
      windowMs,
      quota: settings.quota,
      quotaRetryAfterSeconds: settings.quotaRetryAfterSeconds ?? 3600,
    };
  }

  /** Counts the request if it may be served now. */
  admit(clientId: string, developer: string, now: number): RateDecision {
    const { budget, windowMs, quota, quotaRetryAfterSeconds } = this.settings;
    const used = this.used.get(developer) ?? 0;
    if (quota !== undefined && used >= quota) return { ok: false, retryAfter: quotaRetryAfterSeconds, reason: 'QUOTA_EXCEEDED' };
    const times = this.served.get(clientId) ?? [];
    let old = 0;
    while (old < times.length && times[old] <= now - windowMs) old++;
    if (old) times.splice(0, old);
    if (times.length >= budget) {
      // Whole seconds, as Spotify sends them, rounded up: retrying at that time finds the oldest request gone.
      return { ok: false, retryAfter: Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000)) };
    }
    times.push(now);
    this.served.set(clientId, times);
    this.used.set(developer, used + 1);
    return { ok: true };
  }
}
