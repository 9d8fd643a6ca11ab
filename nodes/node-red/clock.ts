// Times as node statuses show them: local wall-clock time, short.

/** Local wall-clock time, HH:MM:SS. */
export function clock(at: number = Date.now()): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A local date, e.g. "3 May" (with the year when it is not this year's). */
export function day(at: number, now: number = Date.now()): string {
  const d = new Date(at);
  const month = d.toLocaleString('en-US', { month: 'short' });
  return d.getFullYear() === new Date(now).getFullYear() ? `${d.getDate()} ${month}` : `${d.getDate()} ${month} ${d.getFullYear()}`;
}
