// The Web API operations a new (development-mode) Spotify app may call in 2026, declared once: method, path,
// scopes, paging and batch limits exactly as Spotify documents them. Nodes pick an operation from here; the
// client applies the rest. Endpoints Spotify removed are not here (see removed-endpoints.ts).
import type { HttpMethod } from './http-client';
import type { ScopeRequirement } from './scopes';

export interface Operation {
  method: HttpMethod;
  /** With `{name}` placeholders filled from path parameters. */
  path: string;
  scopes?: ScopeRequirement;
  paging?: { kind: 'offset' | 'cursor'; limit: number; maxOffset?: number };
  /** Spotify's maximum number of items per write (or per lookup for `?uris=` reads). */
  batchSize?: number;
  /** Override: is repeating it after a lost answer harmless? (default: all but POST) */
  idempotent?: boolean;
  /** What a 403 most likely means for it: the key of its words ("spotify.forbidden.<hint>" in the account catalog). */
  forbiddenHint?: ForbiddenHint;
}

/** The likely causes of a 403 an operation knows of (their words: explain.ts). */
export type ForbiddenHint = 'notYourPlaylist' | 'ownPlaylistItems' | 'player' | 'allowList';

const MODIFY_PLAYLIST: ScopeRequirement = [['playlist-modify-public', 'playlist-modify-private']];
const NOT_YOUR_PLAYLIST: ForbiddenHint = 'notYourPlaylist';
const PLAYBACK = ['user-modify-playback-state'];
const PLAYER_HINT: ForbiddenHint = 'player';

export const OPERATIONS = {
  // You
  me: { method: 'GET', path: '/me', scopes: ['user-read-private'] },
  topItems: { method: 'GET', path: '/me/top/{type}', scopes: ['user-top-read'], paging: { kind: 'offset', limit: 50 } },

  // Playlists
  myPlaylists: { method: 'GET', path: '/me/playlists', scopes: ['playlist-read-private'], paging: { kind: 'offset', limit: 50 } },
  createPlaylist: { method: 'POST', path: '/me/playlists', scopes: MODIFY_PLAYLIST },
  playlist: { method: 'GET', path: '/playlists/{playlist_id}' },
  updatePlaylist: { method: 'PUT', path: '/playlists/{playlist_id}', scopes: MODIFY_PLAYLIST, forbiddenHint: NOT_YOUR_PLAYLIST },
  playlistItems: {
    method: 'GET',
    path: '/playlists/{playlist_id}/items',
    scopes: ['playlist-read-private'],
    paging: { kind: 'offset', limit: 50 },
    forbiddenHint: 'ownPlaylistItems',
  },
  addPlaylistItems: {
    method: 'POST',
    path: '/playlists/{playlist_id}/items',
    scopes: MODIFY_PLAYLIST,
    batchSize: 100,
    forbiddenHint: NOT_YOUR_PLAYLIST,
  },
  removePlaylistItems: {
    method: 'DELETE',
    path: '/playlists/{playlist_id}/items',
    scopes: MODIFY_PLAYLIST,
    batchSize: 100,
    forbiddenHint: NOT_YOUR_PLAYLIST,
  },
  replacePlaylistItems: {
    method: 'PUT',
    path: '/playlists/{playlist_id}/items',
    scopes: MODIFY_PLAYLIST,
    batchSize: 100,
    forbiddenHint: NOT_YOUR_PLAYLIST,
  },
  // A reorder applied twice moves the range twice: not safe to repeat blindly.
  reorderPlaylistItems: {
    method: 'PUT',
    path: '/playlists/{playlist_id}/items',
    scopes: MODIFY_PLAYLIST,
    idempotent: false,
    forbiddenHint: NOT_YOUR_PLAYLIST,
  },
  playlistCover: { method: 'GET', path: '/playlists/{playlist_id}/images' },
  uploadPlaylistCover: {
    method: 'PUT',
    path: '/playlists/{playlist_id}/images',
    scopes: ['ugc-image-upload', ['playlist-modify-public', 'playlist-modify-private']],
    forbiddenHint: NOT_YOUR_PLAYLIST,
  },

  // Library
  savedItems: { method: 'GET', path: '/me/{type}', scopes: ['user-library-read'], paging: { kind: 'offset', limit: 50 } },
  saveToLibrary: { method: 'PUT', path: '/me/library', scopes: ['user-library-modify'], batchSize: 40 },
  removeFromLibrary: { method: 'DELETE', path: '/me/library', scopes: ['user-library-modify'], batchSize: 40 },
  libraryContains: { method: 'GET', path: '/me/library/contains', scopes: ['user-library-read'], batchSize: 40 },
  followedArtists: { method: 'GET', path: '/me/following', scopes: ['user-follow-read'], paging: { kind: 'cursor', limit: 50 } },

  // Player
  playbackState: { method: 'GET', path: '/me/player', scopes: ['user-read-playback-state'] },
  currentlyPlaying: {
    method: 'GET',
    path: '/me/player/currently-playing',
    scopes: [['user-read-currently-playing', 'user-read-playback-state']],
  },
  devices: { method: 'GET', path: '/me/player/devices', scopes: ['user-read-playback-state'] },
  queue: { method: 'GET', path: '/me/player/queue', scopes: [['user-read-playback-state', 'user-read-currently-playing']] },
  recentlyPlayed: {
    method: 'GET',
    path: '/me/player/recently-played',
    scopes: ['user-read-recently-played'],
    paging: { kind: 'cursor', limit: 50 },
  },
  transferPlayback: { method: 'PUT', path: '/me/player', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  play: { method: 'PUT', path: '/me/player/play', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  pause: { method: 'PUT', path: '/me/player/pause', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  next: { method: 'POST', path: '/me/player/next', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  previous: { method: 'POST', path: '/me/player/previous', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  seek: { method: 'PUT', path: '/me/player/seek', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  repeat: { method: 'PUT', path: '/me/player/repeat', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  volume: { method: 'PUT', path: '/me/player/volume', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  shuffle: { method: 'PUT', path: '/me/player/shuffle', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },
  addToQueue: { method: 'POST', path: '/me/player/queue', scopes: PLAYBACK, forbiddenHint: PLAYER_HINT },

  // Search and catalog (one id per call: the batch GETs are gone for new apps)
  // Spotify serves search results to a depth of 1,000 (offset + limit ≤ 1000), 10 per page.
  search: { method: 'GET', path: '/search', paging: { kind: 'offset', limit: 10, maxOffset: 990 } },
  track: { method: 'GET', path: '/tracks/{id}' },
  album: { method: 'GET', path: '/albums/{id}' },
  albumTracks: { method: 'GET', path: '/albums/{id}/tracks', paging: { kind: 'offset', limit: 50 } },
  artist: { method: 'GET', path: '/artists/{id}' },
  artistAlbums: { method: 'GET', path: '/artists/{id}/albums', paging: { kind: 'offset', limit: 10 } },
  show: { method: 'GET', path: '/shows/{id}' },
  showEpisodes: { method: 'GET', path: '/shows/{id}/episodes', paging: { kind: 'offset', limit: 50 } },
  episode: { method: 'GET', path: '/episodes/{id}' },
  audiobook: { method: 'GET', path: '/audiobooks/{id}' },
  audiobookChapters: { method: 'GET', path: '/audiobooks/{id}/chapters', paging: { kind: 'offset', limit: 50 } },
  chapter: { method: 'GET', path: '/chapters/{id}' },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}
