// GET /search: q with free words and artist:/album:/track:/year:/genre: filters, several types at once,
// limit 1..10 (default 5) and offset ≤1000 since 2026.

import type { Catalog } from '../catalog';
import type { PlaylistRecord } from '../data';
import { ApiError } from '../errors';
import { json } from '../http';
import { offsetPage, otherParams, parseLimit, parseOffset } from '../paging';
import { endpointUrl, type ApiContext } from './context';
import type { Router } from './router';
import { csv } from './values';

const TYPES = ['album', 'artist', 'playlist', 'track', 'show', 'episode', 'audiobook'] as const;
type SearchType = (typeof TYPES)[number];

/** What a query can match, lower-cased. */
interface Doc {
  index: number;
  name: string;
  artist: string;
  album: string;
  year: string;
  genre: string;
}

interface Query {
  words: string[];
  fields: Partial<Record<'artist' | 'album' | 'track' | 'year' | 'genre', string>>;
}

const indexes = new WeakMap<Catalog, Map<string, Doc[]>>();

export function register(router: Router): void {
  router.add('GET', '/search', search);
}

function search(ctx: ApiContext) {
  const q = ctx.query.q;
  if (q === undefined || q.trim() === '') throw new ApiError(400, 'No search query');
  if (ctx.query.type === undefined) throw new ApiError(400, 'Missing parameter type');
  const types = csv(ctx.query.type);
  if (types.length === 0 || types.some((t) => !(TYPES as readonly string[]).includes(t))) throw new ApiError(400, 'Bad search type field');
  const limit = parseLimit(ctx.query, 5, 10);
  const offset = parseOffset(ctx.query, 1000);
  // The one value Spotify documents: the client can play externally hosted audio.
  if (ctx.query.include_external !== undefined && ctx.query.include_external !== 'audio')
    throw new ApiError(400, 'Invalid include_external');
  const query = parseQuery(q);
  const answer: Record<string, unknown> = {};
  for (const type of types as SearchType[]) {
    const matches =
      type === 'playlist'
        ? playlistMatches(ctx, query)
        : docs(ctx.store.catalogue, type)
            .filter((d) => matchesQuery(d, query))
            .map((d) => d.index);
    answer[`${type}s`] = offsetPage(endpointUrl(ctx), otherParams(ctx.query), matches.length, offset, limit, (s, e) =>
      matches.slice(s, e).map((i) => render(ctx, type, i)),
    );
  }
  return json(200, answer);
}

function parseQuery(q: string): Query {
  const out: Query = { words: [], fields: {} };
  const re = /(?:(artist|album|track|year|genre):)?(?:"([^"]*)"|(\S+))/gi;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    const value = (m[2] ?? m[3] ?? '').toLowerCase();
    const field = m[1]?.toLowerCase() as keyof Query['fields'] | undefined;
    if (field) out.fields[field] = value;
    else if (value) out.words.push(value);
  }
  return out;
}

function matchesQuery(d: Doc, q: Query): boolean {
  const text = `${d.name} ${d.artist} ${d.album}`;
  if (!q.words.every((w) => text.includes(w))) return false;
  const f = q.fields;
  if (f.artist !== undefined && !d.artist.includes(f.artist)) return false;
  if (f.album !== undefined && !d.album.includes(f.album)) return false;
  if (f.track !== undefined && !d.name.includes(f.track)) return false;
  if (f.genre !== undefined && !d.genre.includes(f.genre)) return false;
  if (f.year !== undefined) {
    const [from, to = from] = f.year.split('-');
    if (!d.year || d.year < from || d.year > to) return false;
  }
  return true;
}

/** Builds every search index now (what the first search of each type would): for a test measuring memory, whose
 *  process holds the simulator too. */
export function buildSearchIndexes(c: Catalog): void {
  for (const type of TYPES) if (type !== 'playlist') docs(c, type);
}

/** Built once per catalogue and type on first search. */
function docs(c: Catalog, type: Exclude<SearchType, 'playlist'>): Doc[] {
  let byType = indexes.get(c);
  if (!byType) indexes.set(c, (byType = new Map<string, Doc[]>()));
  let list = byType.get(type);
  if (list) return list;
  const artistNames = c.names('artist').map((n) => n.toLowerCase());
  list = [];
  for (let i = 0; i < c.count(type); i++) {
    const doc: Doc = { index: i, name: '', artist: '', album: '', year: '', genre: '' };
    if (type === 'track') {
      const t = c.track(i);
      const a = c.album(t.album);
      Object.assign(doc, {
        name: t.name,
        artist: t.artists.map((x) => artistNames[x]).join(' '),
        album: a.name,
        year: a.releaseDate.slice(0, 4),
      });
    } else if (type === 'album') {
      const a = c.album(i);
      Object.assign(doc, {
        name: a.name,
        artist: a.artists.map((x) => artistNames[x]).join(' '),
        album: a.name,
        year: a.releaseDate.slice(0, 4),
      });
    } else if (type === 'artist') {
      const a = c.artist(i);
      Object.assign(doc, { name: a.name, artist: a.name, genre: a.genres.join(' ') });
    } else if (type === 'episode') {
      const e = c.episode(i);
      Object.assign(doc, { name: e.name, album: c.show(e.show).name, year: e.releaseDate.slice(0, 4) });
    } else if (type === 'audiobook') {
      const b = c.audiobook(i);
      Object.assign(doc, { name: b.name, artist: b.authors.join(' ') });
    } else {
      doc.name = c.show(i).name;
    }
    doc.name = doc.name.toLowerCase();
    doc.artist = doc.artist.toLowerCase();
    doc.album = doc.album.toLowerCase();
    list.push(doc);
  }
  byType.set(type, list);
  return list;
}

/** Public playlists by name; their index is their position in the store. */
function playlistMatches(ctx: ApiContext, q: Query): number[] {
  const all: PlaylistRecord[] = [...ctx.store.playlistMap.values()];
  const out: number[] = [];
  all.forEach((p, i) => {
    const name = p.name.toLowerCase();
    const owner = p.owner.display_name.toLowerCase();
    if (p.public && q.words.every((w) => name.includes(w) || owner.includes(w)) && Object.keys(q.fields).length === 0) out.push(i);
  });
  return out;
}

function render(ctx: ApiContext, type: SearchType, index: number): unknown {
  const c = ctx.store.catalogue;
  const r = ctx.render;
  switch (type) {
    case 'track':
      return r.track(c.track(index));
    case 'album':
      return r.albumSimple(c.album(index));
    case 'artist':
      return r.artist(c.artist(index));
    case 'show':
      return r.showSimple(c.show(index));
    case 'episode': {
      const e = c.episode(index);
      // "By default externally hosted audio content is marked as unplayable in the response" (Spotify).
      return e.externallyHosted && ctx.query.include_external !== 'audio'
        ? { ...r.episodeSimple(e), is_playable: false }
        : r.episodeSimple(e);
    }
    case 'audiobook':
      return r.audiobookSimple(c.audiobook(index));
    case 'playlist':
      return r.playlistSimple([...ctx.store.playlistMap.values()][index]);
  }
}
