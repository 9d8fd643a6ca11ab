// A time as a person in a given time zone reads it, computed with Intl — another way than the product does
// (Date's local getters), so the tests check the product rather than repeat it.

/** "2026-08-26 21:30": the instant `iso` in `zone`, to the minute. */
export function minuteIn(zone: string, iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** "21:30:12": the instant `at` (epoch ms) on a clock in `zone`. */
export function clockIn(zone: string, at: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}
