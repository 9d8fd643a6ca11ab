// Times as people read them where Node-RED runs: the process's time zone (TZ), not UTC as Spotify sends them.

const two = (n: number): string => String(n).padStart(2, '0');

/** "2026-12-05 21:30": local date and time to the minute, sortable as text. */
export function localDateTime(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** "2026-12-05T21:30:12+01:00": ISO 8601 in local time with its offset (the same instant as Spotify's UTC text). */
export function localIso(at: number): string {
  const d = new Date(at);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${localDateTime(at).replace(' ', 'T')}:${two(d.getSeconds())}${zone}`;
}

/** Local wall-clock time, HH:MM:SS (node statuses, waits in error messages). */
export function clock(at: number = Date.now()): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map(two).join(':');
}

/**
 * A local date, e.g. "3 May" (with the year when it is not this year's), in `locale` ("3. Mai" for de, "5月3日"
 * for ja); English keeps day-month order whatever the region.
 */
export function day(at: number, now: number = Date.now(), locale = 'en-US'): string {
  const d = new Date(at);
  const thisYear = d.getFullYear() === new Date(now).getFullYear();
  if (!locale.startsWith('en')) {
    return d.toLocaleDateString(
      locale,
      thisYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' },
    );
  }
  const month = d.toLocaleString('en-US', { month: 'short' });
  return thisYear ? `${d.getDate()} ${month}` : `${d.getDate()} ${month} ${d.getFullYear()}`;
}

/** "01:12:05" today, else "7 Dec 01:12:05" ("7. Dez. 01:12:05" in de): when something resumes, in local time. */
export function localWhen(at: number, now: number = Date.now(), locale = 'en-US'): string {
  return new Date(at).toDateString() === new Date(now).toDateString() ? clock(at) : `${day(at, now, locale)} ${clock(at)}`;
}
