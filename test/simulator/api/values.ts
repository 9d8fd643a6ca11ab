// Reading loosely typed request values (JSON body fields, query strings) into what handlers need, with
// Spotify's 400 for the wrong type.

import { ApiError } from '../errors';

/** An integer from a JSON number or a query string; undefined for anything else. */
export function toInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

export function optionalBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ApiError(400, `Invalid ${key}: expected a boolean`);
  return v;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, `Invalid ${key}: expected a string`);
  return v;
}

/** A comma-separated query list (`?uris=a,b`), blanks dropped. */
export function csv(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}
