// Catalogue reads, one id per call (the "get several" batch GETs are gone): tracks, albums (+ tracks),
// artists (+ albums, limit ≤10), shows (+ episodes), episodes, audiobooks (+ chapters), chapters.

import type { CatalogKind } from '../catalog';
import { ApiError } from '../errors';
import { json } from '../http';
import { offsetPage, otherParams, parseLimit, parseOffset } from '../paging';
import { endpointUrl, requireId, type ApiContext } from './context';
import type { Router } from './router';
import { csv } from './values';

const GROUPS = ['album', 'single', 'appears_on', 'compilation'];

export function register(router: Router): void {
  router.add('GET', '/tracks/:id', (ctx) => json(200, ctx.render.track(ctx.store.catalogue.track(find(ctx, 'track')))));
  router.add('GET', '/albums/:id', (ctx) => json(200, ctx.render.album(ctx.store.catalogue.album(find(ctx, 'album')))));
  router.add('GET', '/albums/:id/tracks', (ctx) => {
    const album = ctx.store.catalogue.album(find(ctx, 'album'));
    return json(200, ctx.render.albumTracks(album, otherParams(ctx.query), parseOffset(ctx.query), parseLimit(ctx.query, 20, 50)));
  });
  router.add('GET', '/artists/:id', (ctx) => json(200, ctx.render.artist(ctx.store.catalogue.artist(find(ctx, 'artist')))));
  router.add('GET', '/artists/:id/albums', artistAlbums);
  router.add('GET', '/shows/:id', (ctx) => json(200, ctx.render.show(ctx.store.catalogue.show(find(ctx, 'show')))));
  router.add('GET', '/shows/:id/episodes', (ctx) => {
    const show = ctx.store.catalogue.show(find(ctx, 'show'));
    return json(200, ctx.render.showEpisodes(show, otherParams(ctx.query), parseOffset(ctx.query), parseLimit(ctx.query, 20, 50)));
  });
  router.add('GET', '/episodes/:id', (ctx) => json(200, ctx.render.episode(ctx.store.catalogue.episode(find(ctx, 'episode')))));
  router.add('GET', '/audiobooks/:id', (ctx) => json(200, ctx.render.audiobook(ctx.store.catalogue.audiobook(find(ctx, 'audiobook')))));
  router.add('GET', '/audiobooks/:id/chapters', (ctx) => {
    const book = ctx.store.catalogue.audiobook(find(ctx, 'audiobook'));
    return json(200, ctx.render.audiobookChapters(book, otherParams(ctx.query), parseOffset(ctx.query), parseLimit(ctx.query, 20, 50)));
  });
  router.add('GET', '/chapters/:id', (ctx) => json(200, ctx.render.chapter(ctx.store.catalogue.chapter(find(ctx, 'chapter')))));
}

/** The catalogue index behind the path id: malformed is 400, unknown is 404. */
function find(ctx: ApiContext, kind: CatalogKind): number {
  const index = ctx.store.catalogue.indexOf(kind, requireId(ctx.params.id));
  if (index === undefined) throw new ApiError(404, 'Resource not found');
  return index;
}

function artistAlbums(ctx: ApiContext) {
  const c = ctx.store.catalogue;
  const artist = find(ctx, 'artist');
  const limit = parseLimit(ctx.query, 5, 10);
  const offset = parseOffset(ctx.query);
  const groups = ctx.query.include_groups === undefined ? GROUPS : csv(ctx.query.include_groups);
  if (groups.some((g) => !GROUPS.includes(g))) throw new ApiError(400, 'Invalid include_groups');
  // The simulator's artists only appear as the main artist, so appears_on is always empty.
  const albums = c
    .albumsOfArtist(artist)
    .map((i) => c.album(i))
    .filter((a) => groups.includes(a.albumType));
  return json(
    200,
    offsetPage(endpointUrl(ctx), otherParams(ctx.query), albums.length, offset, limit, (s, e) =>
      albums.slice(s, e).map((a) => ctx.render.albumSimple(a)),
    ),
  );
}
