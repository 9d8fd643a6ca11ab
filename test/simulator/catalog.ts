// The generated catalogue: artists, albums and tracks; shows and episodes; audiobooks and chapters.
// Nothing is stored per entity: each one is rebuilt from (seed, kind, index) when asked for, so a
// 40,000-track catalogue costs a few arrays of counts.

import { Rng } from './prng';
import { idIndex, makeId } from './ids';
import { words } from './words';

export type CatalogKind = 'artist' | 'album' | 'track' | 'show' | 'episode' | 'audiobook' | 'chapter';

export interface ArtistRec {
  kind: 'artist';
  index: number;
  id: string;
  name: string;
  genres: string[];
}
export interface AlbumRec {
  kind: 'album';
  index: number;
  id: string;
  name: string;
  albumType: 'album' | 'single' | 'compilation';
  artists: number[];
  releaseDate: string;
  trackCount: number;
  firstTrack: number;
  upc: string;
}
export interface TrackRec {
  kind: 'track';
  index: number;
  id: string;
  name: string;
  album: number;
  artists: number[];
  durationMs: number;
  explicit: boolean;
  trackNumber: number;
  isrc: string;
}
export interface ShowRec {
  kind: 'show';
  index: number;
  id: string;
  name: string;
  description: string;
  explicit: boolean;
  episodeCount: number;
  firstEpisode: number;
  mediaType: 'audio' | 'mixed';
}
export interface EpisodeRec {
  kind: 'episode';
  index: number;
  id: string;
  name: string;
  show: number;
  number: number;
  durationMs: number;
  releaseDate: string;
  description: string;
  explicit: boolean;
  /** Audio hosted outside Spotify (an RSS feed's): search marks it unplayable unless include_external=audio. */
  externallyHosted: boolean;
}
export interface AudiobookRec {
  kind: 'audiobook';
  index: number;
  id: string;
  name: string;
  authors: string[];
  narrators: string[];
  publisher: string;
  description: string;
  chapterCount: number;
  firstChapter: number;
  edition: string;
  explicit: boolean;
}
export interface ChapterRec {
  kind: 'chapter';
  index: number;
  id: string;
  name: string;
  audiobook: number;
  number: number;
  durationMs: number;
}
export type CatalogRec = ArtistRec | AlbumRec | TrackRec | ShowRec | EpisodeRec | AudiobookRec | ChapterRec;

/** Parents with a variable number of children, stored as prefix sums so child i -> parent is a binary search. */
class Groups {
  readonly first: number[] = [];
  readonly total: number;
  constructor(readonly counts: number[]) {
    let sum = 0;
    for (const c of counts) {
      this.first.push(sum);
      sum += c;
    }
    this.total = sum;
  }
  parentOf(child: number): number {
    let lo = 0;
    let hi = this.first.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.first[mid] <= child) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

const ARTISTS = 400;
const ALBUMS = 3200;
const SHOWS = 60;
const AUDIOBOOKS = 40;
const DAY = 86_400_000;
/** Release dates are spread up to this day, so the data does not depend on when the tests run. */
const LATEST_RELEASE = Date.UTC(2026, 5, 30);

export class Catalog {
  private readonly albumTypes: AlbumRec['albumType'][] = [];
  private readonly tracks: Groups;
  private readonly episodes: Groups;
  private readonly chapters: Groups;
  private readonly nameCache = new Map<CatalogKind, string[]>();

  constructor(readonly seed: number) {
    const trackCounts: number[] = [];
    for (let a = 0; a < ALBUMS; a++) {
      const rng = Rng.of(seed, 'album-shape', a);
      const roll = rng.float();
      const type = roll < 0.2 ? 'single' : roll < 0.28 ? 'compilation' : 'album';
      this.albumTypes.push(type);
      trackCounts.push(type === 'single' ? rng.range(1, 3) : type === 'compilation' ? rng.range(10, 18) : rng.range(7, 15));
    }
    this.tracks = new Groups(trackCounts);
    this.episodes = new Groups(Array.from({ length: SHOWS }, (_, s) => Rng.of(seed, 'show-shape', s).range(6, 40)));
    this.chapters = new Groups(Array.from({ length: AUDIOBOOKS }, (_, b) => Rng.of(seed, 'book-shape', b).range(5, 25)));
  }

  count(kind: CatalogKind): number {
    switch (kind) {
      case 'artist':
        return ARTISTS;
      case 'album':
        return ALBUMS;
      case 'track':
        return this.tracks.total;
      case 'show':
        return SHOWS;
      case 'episode':
        return this.episodes.total;
      case 'audiobook':
        return AUDIOBOOKS;
      case 'chapter':
        return this.chapters.total;
    }
  }

  id(kind: CatalogKind, index: number): string {
    return makeId(this.seed, kind, index);
  }

  /** The index behind a catalogue id, or undefined for an id the catalogue does not have. */
  indexOf(kind: CatalogKind, id: string): number | undefined {
    return idIndex(this.seed, kind, id, this.count(kind));
  }

  artist(i: number): ArtistRec {
    const rng = Rng.of(this.seed, 'artist', i);
    return {
      kind: 'artist',
      index: i,
      id: this.id('artist', i),
      name: words.artistName(rng),
      genres: [rng.pick(words.genres), rng.pick(words.genres)].filter((g, k, all) => all.indexOf(g) === k),
    };
  }

  album(i: number): AlbumRec {
    const rng = Rng.of(this.seed, 'album', i);
    const main = i % ARTISTS; // each artist gets every ARTISTS-th album: artist -> albums needs no index
    const artists = this.albumTypes[i] === 'compilation' ? [main, (main + 1 + rng.int(ARTISTS - 1)) % ARTISTS] : [main];
    return {
      kind: 'album',
      index: i,
      id: this.id('album', i),
      name: words.title(rng),
      albumType: this.albumTypes[i],
      artists,
      releaseDate: dateBefore(rng, LATEST_RELEASE, 60 * 365),
      trackCount: this.tracks.counts[i],
      firstTrack: this.tracks.first[i],
      upc: String(rng.range(100000, 999999)) + String(rng.range(100000, 999999)),
    };
  }

  albumsOfArtist(artist: number): number[] {
    const out: number[] = [];
    for (let a = artist; a < ALBUMS; a += ARTISTS) out.push(a);
    return out;
  }

  track(i: number): TrackRec {
    const album = this.tracks.parentOf(i);
    const rng = Rng.of(this.seed, 'track', i);
    const main = album % ARTISTS;
    const artists = rng.chance(0.15) ? [main, (main + 1 + rng.int(ARTISTS - 1)) % ARTISTS] : [main];
    return {
      kind: 'track',
      index: i,
      id: this.id('track', i),
      name: words.title(rng),
      album,
      artists,
      durationMs: rng.range(95_000, 420_000),
      explicit: rng.chance(0.2),
      trackNumber: i - this.tracks.first[album] + 1,
      isrc: `SIM${String(rng.range(10, 99))}${String(rng.range(1000000, 9999999))}`,
    };
  }

  show(i: number): ShowRec {
    const rng = Rng.of(this.seed, 'show', i);
    const name = words.showName(rng);
    return {
      kind: 'show',
      index: i,
      id: this.id('show', i),
      name,
      description: `Conversations about ${words.topic(rng)}.`,
      explicit: rng.chance(0.3),
      episodeCount: this.episodes.counts[i],
      firstEpisode: this.episodes.first[i],
      mediaType: rng.chance(0.2) ? 'mixed' : 'audio',
    };
  }

  episode(i: number): EpisodeRec {
    const show = this.episodes.parentOf(i);
    const number = i - this.episodes.first[show] + 1;
    const rng = Rng.of(this.seed, 'episode', i);
    // Later episodes are newer: a weekly show whose latest episode is recent.
    const weeksAgo = this.episodes.counts[show] - number;
    return {
      kind: 'episode',
      index: i,
      id: this.id('episode', i),
      name: `#${number}: ${words.title(rng)}`,
      show,
      number,
      durationMs: rng.range(900_000, 5_400_000),
      releaseDate: isoDate(LATEST_RELEASE - weeksAgo * 7 * DAY - rng.int(7) * DAY),
      description: `This week: ${words.topic(rng)}.`,
      explicit: rng.chance(0.2),
      // Every fourth show publishes from its own feed (no draw: the other fields stay as they were).
      externallyHosted: show % 4 === 1,
    };
  }

  audiobook(i: number): AudiobookRec {
    const rng = Rng.of(this.seed, 'audiobook', i);
    return {
      kind: 'audiobook',
      index: i,
      id: this.id('audiobook', i),
      name: words.title(rng),
      authors: [words.personName(rng)],
      narrators: [words.personName(rng)],
      publisher: `${rng.pick(words.nouns)} House`,
      description: `A story about ${words.topic(rng)}.`,
      chapterCount: this.chapters.counts[i],
      firstChapter: this.chapters.first[i],
      edition: rng.pick(['Unabridged', 'Abridged']),
      explicit: rng.chance(0.1),
    };
  }

  chapter(i: number): ChapterRec {
    const audiobook = this.chapters.parentOf(i);
    const number = i - this.chapters.first[audiobook] + 1;
    const rng = Rng.of(this.seed, 'chapter', i);
    return {
      kind: 'chapter',
      index: i,
      id: this.id('chapter', i),
      name: `Chapter ${number}: ${words.title(rng)}`,
      audiobook,
      number,
      durationMs: rng.range(600_000, 3_000_000),
    };
  }

  get(kind: CatalogKind, i: number): CatalogRec {
    switch (kind) {
      case 'artist':
        return this.artist(i);
      case 'album':
        return this.album(i);
      case 'track':
        return this.track(i);
      case 'show':
        return this.show(i);
      case 'episode':
        return this.episode(i);
      case 'audiobook':
        return this.audiobook(i);
      case 'chapter':
        return this.chapter(i);
    }
  }

  /** Every name of a kind, built once on first search (about 40k short strings for tracks). */
  names(kind: CatalogKind): string[] {
    let names = this.nameCache.get(kind);
    if (!names) {
      names = [];
      for (let i = 0; i < this.count(kind); i++) names.push(this.get(kind, i).name);
      this.nameCache.set(kind, names);
    }
    return names;
  }
}

function dateBefore(rng: Rng, latest: number, spanDays: number): string {
  return isoDate(latest - rng.int(spanDays) * DAY);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
