// A log line that a stranger can cause (a dashboard viewer's refused or dropped press): written at most once per
// interval, the next one saying how many were left out meanwhile, so a flood costs one line, not one per press.

export class ThrottledLog {
  private lastAt = -Infinity;
  private skipped = 0;

  /** `write` gets the line and how many were left out since the previous one written. */
  constructor(
    private readonly write: (line: string, skipped: number) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  note(line: string): void {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) {
      this.skipped++;
      return;
    }
    this.lastAt = now;
    const skipped = this.skipped;
    this.skipped = 0;
    this.write(line, skipped);
  }
}
