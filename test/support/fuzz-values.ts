// Malformed (and a few well-formed) message values for the fuzz test, from a seeded PRNG so that a failure
// can be replayed: wrong types, huge arrays, invalid IDs and links, unicode, prototype keys, NaN/Infinity,
// deep nesting and very long strings.
import { Rng } from '../simulator/prng';

/** Real references the simulator knows, so some fuzzed messages get all the way to the API. */
export interface FuzzSeeds {
  trackUris: string[];
  playlistIds: string[];
  albumUris: string[];
  artistIds: string[];
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TYPES = ['track', 'album', 'artist', 'playlist', 'show', 'episode', 'audiobook', 'chapter', 'user', 'local', 'unknown', ''];
const WEIRD_TEXT = [
  '',
  ' ',
  '\n',
  '\t,\n,',
  ',,,',
  'null',
  'undefined',
  'NaN',
  'true',
  '[]',
  '{}',
  '0',
  '-1',
  '1e309',
  '0x1F',
  '١٢٣',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"; DROP TABLE playlists; --',
  '../../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  '\u0000',
  '\u202eoverride',
  '\u200b\u200b',
  'e\u0301\u0301\u0301',
  '🎵🎶💿',
  '𝔰𝔭𝔬𝔱𝔦𝔣𝔶',
  'ｓｐｏｔｉｆｙ:track:x',
  '\ud800',
  'Ω≈ç√∫',
  'spotify:',
  'spotify:track:',
  'spotify:track:!!!!',
  'spotify:track:' + 'a'.repeat(21),
  'spotify:track:' + 'a'.repeat(23),
  'spotify:local:a:b:c:12',
  'spotify:user:' + 'x'.repeat(300),
  'spotify:track:4iV5W9uYEdYUVa79Axb7Rh:extra',
  'https://open.spotify.com/',
  'https://open.spotify.com/track/',
  'https://open.spotify.com.evil.example/track/4iV5W9uYEdYUVa79Axb7Rh',
  'https://evil.example/open.spotify.com/track/4iV5W9uYEdYUVa79Axb7Rh',
  'https://user@open.spotify.com/track/4iV5W9uYEdYUVa79Axb7Rh',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  'file:///etc/passwd',
  'http://[::1]:99999/',
  'https://open.spotify.com/intl-xx-yyyyy/track/4iV5W9uYEdYUVa79Axb7Rh',
  'http://open.spotify.com/track/4iV5W9uYEdYUVa79Axb7Rh?si=' + 'q'.repeat(500),
  '2026-13-45T99:99:99Z',
  'yesterday',
  '9'.repeat(400),
  'short_term',
  'from_token',
  'ZZ',
  'de',
  'tracks,albums',
  'track:abc',
  '*',
  '%',
  'max',
  '-0',
  '+5',
  '5.5',
  ' 7 ',
];

export class Fuzzer {
  private readonly rng: Rng;
  constructor(
    seed: number,
    private readonly seeds: FuzzSeeds,
  ) {
    this.rng = Rng.of('fuzz', seed);
  }

  int(n: number): number {
    return this.rng.int(n);
  }

  chance(p: number): boolean {
    return this.rng.chance(p);
  }

  /** One value of any kind; `depth` bounds nesting so generation stays cheap. */
  value(depth = 0): unknown {
    const r = this.rng;
    switch (r.int(depth > 2 ? 6 : 10)) {
      case 0:
        return r.pick([
          undefined,
          null,
          true,
          false,
          0,
          -0,
          -1,
          1,
          2.5,
          -2.5,
          50,
          51,
          100,
          101,
          1e21,
          -1e21,
          Number.MAX_SAFE_INTEGER + 2,
          Number.MIN_VALUE,
        ]);
      case 1:
        return r.pick([NaN, Infinity, -Infinity, 1 / 0, Number.EPSILON]);
      case 2:
        return r.pick(WEIRD_TEXT);
      case 3:
        return this.id();
      case 4:
        return this.reference();
      case 5:
        return this.longString();
      case 6:
        return this.array(depth);
      case 7:
        return this.object(depth);
      case 8:
        return this.exotic();
      default:
        return this.valid();
    }
  }

  /** Something a node should accept: a real track, playlist, album or artist, alone or in a list. */
  valid(): unknown {
    const r = this.rng;
    const s = this.seeds;
    switch (r.int(6)) {
      case 0:
        return r.pick(s.trackUris);
      case 1:
        return r.pick(s.playlistIds);
      case 2:
        return [r.pick(s.trackUris), r.pick(s.trackUris)];
      case 3:
        return r.pick(s.albumUris);
      case 4:
        return `https://open.spotify.com/artist/${r.pick(s.artistIds)}?si=x`;
      default:
        return { uri: r.pick(s.trackUris) };
    }
  }

  private id(): string {
    const r = this.rng;
    const len = r.pick([0, 1, 21, 22, 22, 22, 23, 64]);
    let out = '';
    for (let i = 0; i < len; i++) out += r.chance(0.03) ? r.pick(['-', '_', ' ', 'é', '/', '%', '.']) : B62[r.int(62)];
    return out;
  }

  private reference(): string {
    const r = this.rng;
    const type = r.pick(TYPES);
    const id = this.id();
    switch (r.int(4)) {
      case 0:
        return `spotify:${type}:${id}`;
      case 1:
        return `https://open.spotify.com/${r.chance(0.3) ? 'intl-de/' : ''}${type}/${id}${r.chance(0.5) ? '?si=abc' : ''}`;
      case 2:
        return `${this.id()},${type}:${id}\n${r.pick(WEIRD_TEXT)}`;
      default:
        return `spotify:${type}:${id}`.toUpperCase();
    }
  }

  private longString(): string {
    const r = this.rng;
    const unit = r.pick(['a', '🎵', 'spotify:track:4iV5W9uYEdYUVa79Axb7Rh,', ',', '\n', ' ', 'é', '\u0000']);
    return unit.repeat(r.pick([1_000, 20_000, 300_000]) / unit.length);
  }

  private array(depth: number): unknown[] {
    const r = this.rng;
    const kind = r.int(6);
    if (kind === 0) return [];
    if (kind === 1) {
      // Huge: more than any batch or the nodes' caps.
      const n = r.pick([101, 1_001, 10_001, 60_000]);
      const item = r.chance(0.5) ? r.pick(this.seeds.trackUris) : r.pick(WEIRD_TEXT);
      return new Array<unknown>(n).fill(item);
    }
    if (kind === 2) return new Array<unknown>(r.range(1, 5)); // holes
    if (kind === 3) return [[[[[r.pick(this.seeds.trackUris)]]]]];
    const n = r.range(1, 8);
    return Array.from({ length: n }, () => this.value(depth + 1));
  }

  private object(depth: number): Record<string, unknown> {
    const r = this.rng;
    switch (r.int(7)) {
      case 0:
        return JSON.parse('{"__proto__": {"polluted": "yes"}, "uri": "spotify:track:4iV5W9uYEdYUVa79Axb7Rh"}') as Record<string, unknown>;
      case 1:
        return { constructor: { prototype: { polluted: 'yes' } }, id: this.id() };
      case 2:
        return { uri: this.value(depth + 1), id: this.value(depth + 1), item: this.value(depth + 1) };
      case 3:
        return nested(r.pick([10, 100, 2_000]));
      case 4:
        return { toString: 'not a function', valueOf: 42, length: -1, type: 'track' };
      case 5:
        return { track: { uri: this.value(depth + 1) }, item: null, added_at: this.value(depth + 1) };
      default: {
        const out: Record<string, unknown> = {};
        for (let i = r.range(0, 6); i > 0; i--) {
          const key = r.pick([
            'uri',
            'id',
            'name',
            'type',
            'items',
            '__proto__',
            'prototype',
            'hasOwnProperty',
            'x'.repeat(r.range(1, 200)),
          ]);
          // An own property even for "__proto__", as JSON.parse makes it (assignment would swap the prototype).
          Object.defineProperty(out, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
    }
  }

  private exotic(): unknown {
    const r = this.rng;
    switch (r.int(7)) {
      case 0:
        return new Date(NaN);
      case 1:
        return new Date(r.pick([0, -1, 8.64e15, Date.UTC(2026, 0, 1)]));
      case 2:
        return Buffer.from(r.pick(['spotify:track:4iV5W9uYEdYUVa79Axb7Rh', '\u00ff\u00fe', '']), 'utf8');
      case 3:
        return new Map([['uri', 'spotify:track:4iV5W9uYEdYUVa79Axb7Rh']]);
      case 4:
        return new Set([1, 2, 3]);
      case 5:
        return /spotify:track:.*/g;
      default:
        return BigInt(r.pick([0, 1, 2 ** 53]));
    }
  }
}

function nested(depth: number): Record<string, unknown> {
  let o: Record<string, unknown> = { uri: 'spotify:track:4iV5W9uYEdYUVa79Axb7Rh' };
  // One key per level: shared references would make anything that serialises the message exponential.
  for (let i = 0; i < depth; i++) o = { item: o };
  return o;
}
