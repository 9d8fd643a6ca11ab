// Spotify's JSON objects, built from catalogue records and store state. Fields removed for new apps in
// 2026 (popularity, available_markets, label, followers, publisher, …) are left out, as Spotify leaves them out.

import type { AlbumRec, ArtistRec, AudiobookRec, Catalog, ChapterRec, EpisodeRec, ShowRec, TrackRec } from './catalog';
import { PlaylistRecord, type SimStore } from './data';
import { hash32, hex, Rng } from './prng';
import { parseUri } from './ids';
import { offsetPage, type OffsetPage } from './paging';
import type { SimPlaylistEntry, SimUser } from './types';

export type Json = Record<string, unknown>;

export class Render {
  private readonly c: Catalog;

  constructor(
    private readonly store: SimStore,
    private readonly apiUrl: string,
  ) {
    this.c = store.catalogue;
  }

  private link(type: string, id: string): { external_urls: { spotify: string }; href: string; id: string; uri: string } {
    return {
      external_urls: { spotify: `https://open.spotify.com/${type}/${id}` },
      href: `${this.apiUrl}/${type}s/${id}`,
      id,
      uri: `spotify:${type}:${id}`,
    };
  }

  private images(kind: string, id: string): { url: string; height: number; width: number }[] {
    const h = hex(Rng.of(this.store.seed, 'image', kind, id), 24);
    return [
      [640, 'b273'],
      [300, '1e02'],
      [64, '4851'],
    ].map(([size, tag]) => ({ url: `https://i.scdn.co/image/ab67616d0000${tag}${h}`, height: Number(size), width: Number(size) }));
  }

  user(u: SimUser): Json {
    return {
      display_name: u.display_name,
      external_urls: { spotify: `https://open.spotify.com/user/${u.id}` },
      href: `${this.apiUrl}/users/${u.id}`,
      id: u.id,
      type: 'user',
      uri: u.uri,
    };
  }

  /** /me: the public profile plus account_id; email, country and product are gone. */
  me(): Json {
    const u = this.store.me;
    return { ...this.user(u), account_id: hex(Rng.of(this.store.seed, 'account'), 32), images: [] };
  }

  artistSimple(a: ArtistRec): Json {
    return { ...this.link('artist', a.id), name: a.name, type: 'artist' };
  }

  artist(a: ArtistRec): Json {
    return { ...this.artistSimple(a), genres: a.genres, images: this.images('artist', a.id) };
  }

  albumSimple(a: AlbumRec): Json {
    return {
      album_type: a.albumType,
      total_tracks: a.trackCount,
      ...this.link('album', a.id),
      images: this.images('album', a.id),
      name: a.name,
      release_date: a.releaseDate,
      release_date_precision: 'day',
      type: 'album',
      artists: a.artists.map((i) => this.artistSimple(this.c.artist(i))),
    };
  }

  album(a: AlbumRec): Json {
    return {
      ...this.albumSimple(a),
      tracks: this.albumTracks(a, {}, 0, 50),
      copyrights: [
        { text: `© ${a.releaseDate.slice(0, 4)} Simulated Records`, type: 'C' },
        { text: `℗ ${a.releaseDate.slice(0, 4)} Simulated Records`, type: 'P' },
      ],
      external_ids: { upc: a.upc },
      genres: [],
    };
  }

  albumTracks(a: AlbumRec, keep: Record<string, string>, offset: number, limit: number): OffsetPage<Json> {
    return offsetPage(`${this.apiUrl}/albums/${a.id}/tracks`, keep, a.trackCount, offset, limit, (s, e) =>
      range(s, e).map((k) => this.trackSimple(this.c.track(a.firstTrack + k))),
    );
  }

  trackSimple(t: TrackRec): Json {
    return {
      artists: t.artists.map((i) => this.artistSimple(this.c.artist(i))),
      disc_number: 1,
      duration_ms: t.durationMs,
      explicit: t.explicit,
      ...this.link('track', t.id),
      is_local: false,
      is_playable: true,
      name: t.name,
      preview_url: null,
      track_number: t.trackNumber,
      type: 'track',
    };
  }

  track(t: TrackRec): Json {
    return { album: this.albumSimple(this.c.album(t.album)), ...this.trackSimple(t), external_ids: { isrc: t.isrc } };
  }

  showSimple(s: ShowRec): Json {
    return {
      copyrights: [],
      description: s.description,
      html_description: `<p>${s.description}</p>`,
      explicit: s.explicit,
      ...this.link('show', s.id),
      images: this.images('show', s.id),
      is_externally_hosted: false,
      languages: ['en'],
      media_type: s.mediaType,
      name: s.name,
      type: 'show',
      total_episodes: s.episodeCount,
    };
  }

  show(s: ShowRec): Json {
    return { ...this.showSimple(s), episodes: this.showEpisodes(s, {}, 0, 50) };
  }

  showEpisodes(s: ShowRec, keep: Record<string, string>, offset: number, limit: number): OffsetPage<Json> {
    // Newest first, as Spotify lists a show's episodes.
    return offsetPage(`${this.apiUrl}/shows/${s.id}/episodes`, keep, s.episodeCount, offset, limit, (a, b) =>
      range(a, b).map((k) => this.episodeSimple(this.c.episode(s.firstEpisode + s.episodeCount - 1 - k))),
    );
  }

  episodeSimple(e: EpisodeRec): Json {
    return {
      audio_preview_url: null,
      description: e.description,
      html_description: `<p>${e.description}</p>`,
      duration_ms: e.durationMs,
      explicit: e.explicit,
      ...this.link('episode', e.id),
      images: this.images('show', this.c.id('show', e.show)),
      is_externally_hosted: e.externallyHosted,
      is_playable: true,
      languages: ['en'],
      name: e.name,
      release_date: e.releaseDate,
      release_date_precision: 'day',
      type: 'episode',
    };
  }

  episode(e: EpisodeRec): Json {
    return { ...this.episodeSimple(e), show: this.showSimple(this.c.show(e.show)) };
  }

  audiobookSimple(b: AudiobookRec): Json {
    return {
      authors: b.authors.map((name) => ({ name })),
      copyrights: [],
      description: b.description,
      html_description: `<p>${b.description}</p>`,
      edition: b.edition,
      explicit: b.explicit,
      ...this.link('audiobook', b.id),
      images: this.images('audiobook', b.id),
      languages: ['en'],
      media_type: 'audio',
      name: b.name,
      narrators: b.narrators.map((name) => ({ name })),
      type: 'audiobook',
      total_chapters: b.chapterCount,
    };
  }

  audiobook(b: AudiobookRec): Json {
    return { ...this.audiobookSimple(b), chapters: this.audiobookChapters(b, {}, 0, 50) };
  }

  audiobookChapters(b: AudiobookRec, keep: Record<string, string>, offset: number, limit: number): OffsetPage<Json> {
    return offsetPage(`${this.apiUrl}/audiobooks/${b.id}/chapters`, keep, b.chapterCount, offset, limit, (s, e) =>
      range(s, e).map((k) => this.chapterSimple(this.c.chapter(b.firstChapter + k))),
    );
  }

  chapterSimple(ch: ChapterRec): Json {
    const description = `Chapter ${ch.number}.`;
    return {
      audio_preview_url: null,
      chapter_number: ch.number,
      description,
      html_description: `<p>${description}</p>`,
      duration_ms: ch.durationMs,
      explicit: false,
      ...this.link('chapter', ch.id),
      images: this.images('audiobook', this.c.id('audiobook', ch.audiobook)),
      is_playable: true,
      languages: ['en'],
      name: ch.name,
      release_date: '2025-01-01',
      release_date_precision: 'day',
      type: 'chapter',
    };
  }

  chapter(ch: ChapterRec): Json {
    return { ...this.chapterSimple(ch), audiobook: this.audiobookSimple(this.c.audiobook(ch.audiobook)) };
  }

  /**
   * The object for a stored URI (playlist entry, saved item, play). Ids that are well formed but not in the
   * catalogue were accepted on write, as Spotify accepts them, so they get stand-in metadata under their own id.
   */
  item(uri: string): Json | null {
    const parsed = parseUri(uri);
    if (typeof parsed === 'string') return null;
    if (parsed.type === 'local') return localTrack(uri);
    const kind = parsed.type;
    if (
      kind === 'track' ||
      kind === 'album' ||
      kind === 'artist' ||
      kind === 'show' ||
      kind === 'episode' ||
      kind === 'audiobook' ||
      kind === 'chapter'
    ) {
      const known = this.c.indexOf(kind, parsed.id);
      const rec = this.c.get(kind, known ?? hash32(parsed.id) % this.c.count(kind));
      const full = this.full(rec);
      return known !== undefined ? full : { ...full, ...this.link(kind, parsed.id) };
    }
    if (kind === 'playlist') {
      const p = this.store.playlistMap.get(parsed.id);
      return p ? this.playlistSimple(p) : null;
    }
    const u = this.store.userMap.get(parsed.id);
    return u ? this.user(u) : null;
  }

  full(rec: ArtistRec | AlbumRec | TrackRec | ShowRec | EpisodeRec | AudiobookRec | ChapterRec): Json {
    switch (rec.kind) {
      case 'artist':
        return this.artist(rec);
      case 'album':
        return this.album(rec);
      case 'track':
        return this.track(rec);
      case 'show':
        return this.show(rec);
      case 'episode':
        return this.episode(rec);
      case 'audiobook':
        return this.audiobook(rec);
      case 'chapter':
        return this.chapter(rec);
    }
  }

  /** The `context` of a play or of the player: what the item was played from. */
  context(uri: string | null): Json | null {
    if (!uri) return null;
    const parsed = parseUri(uri);
    if (typeof parsed === 'string' || parsed.type === 'local') return null;
    return {
      type: parsed.type,
      href: `${this.apiUrl}/${parsed.type}s/${parsed.id}`,
      external_urls: { spotify: `https://open.spotify.com/${parsed.type}/${parsed.id}` },
      uri,
    };
  }

  /** Simplified playlist: `items` {href,total} is the new name, `tracks` the deprecated duplicate. */
  playlistSimple(p: PlaylistRecord): Json {
    const total = p.entries.length;
    return {
      collaborative: p.collaborative,
      description: p.description,
      ...this.link('playlist', p.id),
      images: [...p.images],
      name: p.name,
      owner: this.user(p.owner),
      primary_color: null,
      public: p.public,
      snapshot_id: p.snapshot_id,
      items: { href: `${this.apiUrl}/playlists/${p.id}/items`, total },
      tracks: { href: `${this.apiUrl}/playlists/${p.id}/tracks`, total },
      type: 'playlist',
    };
  }

  /** Full playlist; entries only for playlists the user may read (owned or collaborative). `episodes`: the
   *  client asked for them (additional_types=episode), else they come in the track-like form. */
  playlist(p: PlaylistRecord, withEntries: boolean, episodes: boolean): Json {
    const base = this.playlistSimple(p);
    const followers = { href: null, total: p.owner.id === this.store.me.id ? 0 : 1200 + (hash32(p.id) % 5000) };
    if (!withEntries) return { ...base, followers };
    const page = this.playlistItems(p, {}, 0, 100, episodes);
    return { ...base, followers, items: page, tracks: page };
  }

  playlistItems(p: PlaylistRecord, keep: Record<string, string>, offset: number, limit: number, episodes: boolean): OffsetPage<Json> {
    return offsetPage(`${this.apiUrl}/playlists/${p.id}/items`, keep, p.entries.length, offset, limit, (s, e) =>
      p.entries.slice(s, e).map((entry) => this.entry(entry, episodes)),
    );
  }

  /**
   * An episode as a playlist sends it to a client that did not ask for episodes (no additional_types=episode):
   * a track-like object, the show standing in for album and artist, flagged `episode: true, track: false`
   * (observed; the form from before podcasts reached the Web API).
   */
  episodeAsTrack(ep: Json): Json {
    const show = (ep.show ?? {}) as Json;
    const showRef = { external_urls: show.external_urls, href: show.href, id: show.id, name: show.name, type: 'show', uri: show.uri };
    return {
      album: { album_type: null, artists: [showRef], ...showRef, images: show.images, release_date: null, release_date_precision: null },
      artists: [showRef],
      disc_number: 0,
      duration_ms: ep.duration_ms,
      episode: true,
      explicit: ep.explicit,
      external_ids: { spotify: (ep.external_urls as Json | undefined)?.spotify },
      external_urls: ep.external_urls,
      href: ep.href,
      id: ep.id,
      is_local: false,
      is_playable: ep.is_playable,
      name: ep.name,
      preview_url: ep.audio_preview_url,
      track: false,
      track_number: 0,
      type: 'episode',
      uri: ep.uri,
    };
  }

  /** A playlist entry: `item` is the new name, `track` the deprecated duplicate. */
  entry(e: SimPlaylistEntry, episodes: boolean): Json {
    const found = this.item(e.uri);
    const item = !episodes && found?.type === 'episode' ? this.episodeAsTrack(found) : found;
    const adder = this.store.userMap.get(e.added_by);
    return {
      added_at: e.added_at,
      added_by: adder ? this.user(adder) : { id: e.added_by, type: 'user', uri: `spotify:user:${e.added_by}` },
      is_local: e.is_local,
      primary_color: null,
      item,
      track: item,
      video_thumbnail: { url: null },
    };
  }
}

/** spotify:local:artist:album:title:seconds, with '+' for spaces. */
function localTrack(uri: string): Json {
  const [artist = '', album = '', title = '', seconds = '0'] = uri
    .slice('spotify:local:'.length)
    .split(':')
    .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
  return {
    album: {
      album_type: null,
      artists: [],
      external_urls: {},
      href: null,
      id: null,
      images: [],
      name: album,
      release_date: null,
      release_date_precision: null,
      type: 'album',
      uri: null,
    },
    artists: [{ external_urls: {}, href: null, id: null, name: artist, type: 'artist', uri: null }],
    disc_number: 0,
    duration_ms: Number(seconds) * 1000 || 0,
    explicit: false,
    external_ids: {},
    external_urls: {},
    href: null,
    id: null,
    is_local: true,
    name: title,
    preview_url: null,
    track_number: 0,
    type: 'track',
    uri,
  };
}

export function range(start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) out.push(i);
  return out;
}
