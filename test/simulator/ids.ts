// Spotify ids and URIs. Catalogue ids carry their own index (so looking one up needs no table) behind a
// seed-dependent prefix, and are checked by rebuilding them: a track id is not an album id.

import { Rng, hash32 } from './prng';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const INDEX_CHARS = 5;
const SPACE = 62n ** BigInt(INDEX_CHARS);
const ID_RE = /^[0-9A-Za-z]{22}$/;

export function isBase62Id(id: string): boolean {
  return ID_RE.test(id);
}

export function makeId(seed: number, kind: string, index: number): string {
  const rng = Rng.of(seed, 'id', kind, index);
  let id = '';
  for (let i = 0; i < 22 - INDEX_CHARS; i++) id += BASE62[rng.int(62)];
  let n = Number((BigInt(index) * scramble(seed, kind).mul + scramble(seed, kind).add) % SPACE);
  let tail = '';
  for (let i = 0; i < INDEX_CHARS; i++) {
    tail = BASE62[n % 62] + tail;
    n = Math.floor(n / 62);
  }
  return id + tail;
}

/** The index an id of this kind encodes, or undefined when it is not one of ours (or not below `count`). */
export function idIndex(seed: number, kind: string, id: string, count: number): number | undefined {
  if (!isBase62Id(id)) return undefined;
  let n = 0n;
  for (const ch of id.slice(22 - INDEX_CHARS)) n = n * 62n + BigInt(BASE62.indexOf(ch));
  const s = scramble(seed, kind);
  const index = Number(((((n - s.add) % SPACE) + SPACE) * s.inverse) % SPACE);
  if (index >= count) return undefined;
  return makeId(seed, kind, index) === id ? index : undefined;
}

/**
 * index -> (index * mul + add) mod 62^5: a bijection (mul is odd and not a multiple of 31, so coprime with
 * 62^5) that keeps consecutive indexes from sharing visible id endings.
 */
interface Scramble {
  mul: bigint;
  add: bigint;
  inverse: bigint;
}
const scrambles = new Map<string, Scramble>();
function scramble(seed: number, kind: string): Scramble {
  const key = `${seed}:${kind}`;
  let s = scrambles.get(key);
  if (!s) {
    let mul = BigInt((hash32(seed, 'mul', kind) | 1) >>> 0) % SPACE;
    while (mul % 31n === 0n || mul % 2n === 0n) mul += 2n;
    s = { mul, add: BigInt(hash32(seed, 'offset', kind)) % SPACE, inverse: modInverse(mul, SPACE) };
    scrambles.set(key, s);
  }
  return s;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

export function randomId(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 22; i++) id += BASE62[rng.int(62)];
  return id;
}

export type UriType = 'track' | 'album' | 'artist' | 'episode' | 'show' | 'audiobook' | 'chapter' | 'playlist' | 'user' | 'local';

export interface ParsedUri {
  type: UriType;
  id: string;
  uri: string;
}

const URI_TYPES: readonly UriType[] = ['track', 'album', 'artist', 'episode', 'show', 'audiobook', 'chapter', 'playlist', 'user'];

/**
 * Parses `spotify:<type>:<id>`. Returns a string describing the problem instead of throwing, so each endpoint
 * can word its own 400. User ids are free-form; every other id must be 22 base-62 characters.
 */
export function parseUri(uri: string): ParsedUri | 'bad-uri' | 'bad-id' {
  if (uri.startsWith('spotify:local:')) return { type: 'local', id: '', uri };
  const m = /^spotify:([a-z]+):(.+)$/.exec(uri);
  if (!m) return 'bad-uri';
  const type = URI_TYPES.find((t) => t === m[1]);
  if (!type) return 'bad-uri';
  if (type === 'user') return /^[^:\s]+$/.test(m[2]) ? { type, id: m[2], uri } : 'bad-id';
  if (!isBase62Id(m[2])) return 'bad-id';
  return { type, id: m[2], uri };
}
