// Presses from strangers (dashboard viewers) throttled before they become work: one task runs at a time; a
// press made meanwhile waits in one slot per kind, where a later press of the same kind takes its place (the
// latest volume wins), and a press identical to the one running joins it. Each viewer and the whole owner (an
// account) may start only so many tasks in any window; beyond that a press is dropped. Pure logic: the clock is
// passed in, nothing is timed.

export interface ThrottleLimits {
  /** Tasks one viewer may start (run or queue) in any `windowMs`. */
  perViewer: number;
  /** Costly tasks (ones that make a request) all viewers together may start in any `windowMs`. */
  perOwner: number;
  windowMs: number;
  /** Viewers remembered at most, the least recently seen forgotten first: ids a stranger makes up cannot grow it. */
  maxViewers: number;
}

export interface Press {
  viewer: string;
  /** Presses of one kind share one waiting slot (a later one replaces the one waiting). */
  kind: string;
  /** Equal identities are the same press: one made while its twin runs joins it. */
  identity: string;
  /** Makes a request (counts against the owner's limit); false for a press that only answers the viewer. */
  costly: boolean;
}

export type Outcome<R> =
  | { kind: 'ran'; result: R }
  /** Its effect is another press's: a later one of its kind replaced it, or it joined its twin in flight. */
  | { kind: 'collapsed' }
  | { kind: 'dropped'; limit: 'viewer' | 'owner' };

interface Waiting {
  press: Press;
  run: () => Promise<unknown>;
  settle: (outcome: Outcome<unknown>) => void;
  fail: (err: unknown) => void;
}

export class PressThrottle {
  private running: Press | undefined;
  /** Insertion order is turn order: a kind keeps its place when a later press replaces its waiting one. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly viewers = new Map<string, number[]>();
  private readonly owner: number[] = [];

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a press (passing `test`) waits for its turn: a task about to end may leave follow-up work to it. */
  isWaiting(test: (press: Press) => boolean = () => true): boolean {
    for (const w of this.waiting.values()) if (test(w.press)) return true;
    return false;
  }

  /** Runs `run` for the press now, later, or never (see Outcome); rejects when its run fails. */
  submit<R>(press: Press, run: () => Promise<R>): Promise<Outcome<R>> {
    return new Promise<Outcome<R>>((resolve, reject) => {
      const entry: Waiting = { press, run, settle: resolve as (o: Outcome<unknown>) => void, fail: reject };
      const twin = this.waiting.get(press.kind);
      if (twin) {
        // The latest press of a kind wins, free of charge: the one it replaces was already counted.
        twin.settle({ kind: 'collapsed' });
        this.waiting.set(press.kind, entry);
        return;
      }
      if (this.running?.identity === press.identity) return resolve({ kind: 'collapsed' });
      const limit = this.admit(press);
      if (limit) return resolve({ kind: 'dropped', limit });
      if (this.running) this.waiting.set(press.kind, entry);
      else this.start(entry);
    });
  }

  /** Counts the press against its viewer and the owner, or names the limit it is over. */
  private admit(press: Press): 'viewer' | 'owner' | undefined {
    const now = this.now();
    const since = now - this.limits.windowMs;
    const mine = this.viewerTimes(press.viewer);
    prune(mine, since);
    if (mine.length >= this.limits.perViewer) return 'viewer';
    if (press.costly) {
      prune(this.owner, since);
      if (this.owner.length >= this.limits.perOwner) return 'owner';
      this.owner.push(now);
    }
    mine.push(now);
    return undefined;
  }

  /** The viewer's start times, as the most recently seen viewer. */
  private viewerTimes(viewer: string): number[] {
    const times = this.viewers.get(viewer) ?? [];
    this.viewers.delete(viewer);
    this.viewers.set(viewer, times);
    if (this.viewers.size > this.limits.maxViewers) {
      const oldest = this.viewers.keys().next().value;
      if (oldest !== undefined) this.viewers.delete(oldest);
    }
    return times;
  }

  private start(entry: Waiting): void {
    this.running = entry.press;
    let done: Promise<unknown>;
    try {
      done = entry.run();
    } catch (err) {
      done = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    done.then(
      (result) => {
        this.next();
        entry.settle({ kind: 'ran', result });
      },
      (err) => {
        this.next();
        entry.fail(err);
      },
    );
  }

  private next(): void {
    this.running = undefined;
    const first = this.waiting.values().next().value;
    if (!first) return;
    this.waiting.delete(first.press.kind);
    this.start(first);
  }
}

/** Drops the times before `since` (they are in order, oldest first). */
function prune(times: number[], since: number): void {
  let old = 0;
  while (old < times.length && times[old] <= since) old++;
  if (old) times.splice(0, old);
}
