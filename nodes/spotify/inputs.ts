// Checks for plain values users pass in messages; each error names the field and what was expected.
import { InputError } from './errors';

/** An integer in [min, max]; undefined (or '') when absent and not required. */
export function optionalInt(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InputError(field, `a whole number from ${min} to ${max}`, value);
  }
  return n;
}

/** A point in time as epoch milliseconds, from a number (ms), a numeric string, an ISO date string or a Date. */
export function optionalTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number = NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && value.length <= 64) ms = /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) {
    throw new InputError(field, 'a time: Unix milliseconds, an ISO 8601 date or a Date', value);
  }
  return Math.floor(ms);
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(field, `one of ${allowed.join(', ')}`, value);
}
