// Checks for plain values users pass in messages; each error names the field and what was expected.
import { InputError } from './errors';
import { expectText } from './words';

export function expectedInt(min: number, max: number): string {
  return expectText('int', { min, max });
}

export function expectedMarket(): string {
  return expectText('market');
}

/** An integer in [min, max]; undefined (or '') when absent and not required. */
export function optionalInt(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InputError(field, expectedInt(min, max), value);
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
    throw new InputError(field, expectText('time'), value);
  }
  return Math.floor(ms);
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(field, expectText('oneOf', { values: allowed.join(', ') }), value);
}

/** A string of at most `max` characters; `nonEmpty` also rejects blank text. Numbers are not converted. */
export function optionalText(value: unknown, field: string, opts: { max?: number; nonEmpty?: boolean } = {}): string | undefined {
  if (value === undefined || value === null) return undefined;
  const max = opts.max ?? 10_000;
  if (typeof value !== 'string' || value.length > max || (opts.nonEmpty && value.trim() === '')) {
    throw new InputError(field, expectText(opts.nonEmpty ? 'nonEmptyText' : 'text', { max }), value);
  }
  return value;
}

/** An ISO 3166-1 alpha-2 country code ("DE", any case) or "from_token" (the user's own country). */
export function optionalMarket(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    const v = value.trim();
    if (/^[A-Za-z]{2}$/.test(v)) return v.toUpperCase();
    if (v.toLowerCase() === 'from_token') return 'from_token';
  }
  throw new InputError(field, expectedMarket(), value);
}

/** true/false from a boolean, "true"/"false", "on"/"off" or 1/0; undefined when absent. */
export function optionalBool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === 'on' || v === '1') return true;
    if (v === 'false' || v === 'off' || v === '0') return false;
  }
  throw new InputError(field, expectText('bool'), value);
}
