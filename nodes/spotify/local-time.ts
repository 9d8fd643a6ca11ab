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
