// Seeded randomness. Everything generated is a pure function of (seed, what, index), so any entity can be
// rebuilt on demand instead of being kept in memory, and the same seed always gives the same data.

/** mulberry32: tiny, fast, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the joined parts, then a murmur finaliser so nearby inputs land far apart. */
export function hash32(...parts: (string | number)[]): number {
  const s = parts.join('\u0001');
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private readonly next01: () => number;
  constructor(seed: number) {
    this.next01 = mulberry32(seed);
  }
  static of(...parts: (string | number)[]): Rng {
    return new Rng(hash32(...parts));
  }
  float(): number {
    return this.next01();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next01() * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next01() < p;
  }
}

/**
 * A bijection on [0, n): index -> a distinct pseudo-random index. Lets "the i-th saved track" be unique
 * without shuffling the whole catalogue.
 */
export function permutation(n: number, ...salt: (string | number)[]): (i: number) => number {
  if (n <= 1) return () => 0;
  let step = (hash32('step', ...salt) % (n - 1)) + 1;
  while (gcd(step, n) !== 1) step = (step % (n - 1)) + 1;
  const start = hash32('start', ...salt) % n;
  return (i) => (start + step * (i % n)) % n;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

const HEX = '0123456789abcdef';
export function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[rng.int(16)];
  return out;
}
