// "Repeat" of a reading node (top items): when it sends by itself, as core's inject does — never, every day, or
// one day of the week, at a time of day on the clock of the computer Node-RED runs on. Imports only phrase.ts: the
// editor bundle reads it too. The timer that uses it is repeat-timer.ts.
import { phrase, type Phrase } from '../spotify/phrase';

/** The Repeat choices: none, every day, or one day of the week (Monday first, as people read a week). */
export const REPEATS = ['none', 'daily', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Repeat = (typeof REPEATS)[number];

/** JavaScript's getDay() of each weekly choice. */
const WEEKDAY: Readonly<Record<string, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** A time of day as the dialog takes it: H:MM or HH:MM, 24-hour. */
const TIME_OF_DAY = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "a time of day as HH:MM, from 00:00 to 23:59", worded by the runtime or the editor. */
export const EXPECTED_TIME_OF_DAY: Phrase = phrase('timeOfDay');

export interface TimeOfDay {
  hours: number;
  minutes: number;
}

/** The time of day in a value, or undefined when it is none. */
export function parseTimeOfDay(value: unknown): TimeOfDay | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIME_OF_DAY.exec(value.trim());
  return m ? { hours: Number(m[1]), minutes: Number(m[2]) } : undefined;
}

/** The next moment after `now` when a node with this Repeat sends (local time); undefined for 'none'. */
export function nextRun(now: Date, repeat: Repeat, at: TimeOfDay): Date | undefined {
  if (repeat === 'none') return undefined;
  const weekday = repeat === 'daily' ? undefined : WEEKDAY[repeat];
  // Day by day through the calendar (not by adding 24 h), so a change of summer time keeps the clock time.
  for (let ahead = 0; ahead <= 8; ahead++) {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + ahead, at.hours, at.minutes, 0, 0);
    if (day.getTime() <= now.getTime()) continue;
    if (weekday === undefined || day.getDay() === weekday) return day;
  }
  return undefined; // not reached: a week always holds the day
}
