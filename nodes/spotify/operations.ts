// The Web API operations the nodes use, declared once: method, path, scopes, paging and batch limits as
// Spotify documents them for new (development-mode) apps in 2026.
import type { HttpMethod } from './http-client';
import type { ScopeRequirement } from './scopes';

export interface Operation {
  method: HttpMethod;
  /** With `{name}` placeholders filled from path parameters. */
  path: string;
  scopes?: ScopeRequirement;
  paging?: { kind: 'offset' | 'cursor'; limit: number; maxOffset?: number };
  /** Spotify's maximum number of items per write. */
  batchSize?: number;
  idempotent?: boolean;
  forbiddenHint?: string;
}

const MODIFY_PLAYLIST = [['playlist-modify-public', 'playlist-modify-private']] as const;
const NOT_YOUR_PLAYLIST = 'you can only change playlists you own or collaborate on (or the user is not on the app\'s allow-list)';

export const OPERATIONS = {
  me: { method: 'GET', path: '/me', scopes: ['user-read-private'] },
  myPlaylists: {
    method: 'GET',
    path: '/me/playlists',
    scopes: ['playlist-read-private'],
    paging: { kind: 'offset', limit: 50 },
  },
  playlist: { method: 'GET', path: '/playlists/{playlist_id}' },
  playlistItems: {
    method: 'GET',
    path: '/playlists/{playlist_id}/items',
    scopes: ['playlist-read-private'],
    paging: { kind: 'offset', limit: 50 },
    forbiddenHint: 'Spotify only lists the items of playlists the user owns or collaborates on',
  },
  addPlaylistItems: {
    method: 'POST',
    path: '/playlists/{playlist_id}/items',
    scopes: MODIFY_PLAYLIST,
    batchSize: 100,
    forbiddenHint: NOT_YOUR_PLAYLIST,
  },
  recentlyPlayed: {
    method: 'GET',
    path: '/me/player/recently-played',
    scopes: ['user-read-recently-played'],
    paging: { kind: 'cursor', limit: 50 },
  },
} as const satisfies Record<string, Operation>;

export type OperationName = keyof typeof OPERATIONS;

export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}
