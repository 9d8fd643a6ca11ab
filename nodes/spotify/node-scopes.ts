// Which operations each node type may call, and so which scopes its account needs: the account dialog names a
// scope the account's nodes need but the authorization lacks. The scopes themselves come from the operation table.
import { OPERATIONS, type OperationName } from './operations';
import type { ScopeRequirement } from './scopes';

const NODE_OPERATIONS: Record<string, readonly OperationName[]> = {
  'spotify-my-profile': ['me'],
  'spotify-top-items': ['topItems'],
  'spotify-get-playlists': ['myPlaylists'],
  'spotify-get-playlist': ['playlist'],
  'spotify-playlist-tracks': ['playlistItems'],
  'spotify-create-playlist': ['createPlaylist'],
  'spotify-update-playlist': ['updatePlaylist'],
  'spotify-add-tracks': ['addPlaylistItems'],
  'spotify-remove-tracks': ['removePlaylistItems'],
  'spotify-replace-tracks': ['replacePlaylistItems'],
  'spotify-reorder-tracks': ['reorderPlaylistItems'],
  'spotify-playlist-cover': ['playlistCover', 'uploadPlaylistCover'],
  'spotify-saved-items': ['savedItems'],
  'spotify-save-to-library': ['saveToLibrary'],
  'spotify-remove-from-library': ['removeFromLibrary'],
  'spotify-check-library': ['libraryContains'],
  'spotify-followed-artists': ['followedArtists'],
  'spotify-recently-played': ['recentlyPlayed'],
  'spotify-new-plays': ['recentlyPlayed'],
  'spotify-new-saved': ['savedItems'],
  'spotify-playlist-changed': ['myPlaylists', 'playlist', 'playlistItems'],
  'spotify-playback-state': ['playbackState', 'currentlyPlaying', 'devices', 'queue'],
  'spotify-now-playing': ['playbackState'],
  'spotify-play': ['play', 'devices'],
  'spotify-player-control': ['transferPlayback', 'play', 'pause', 'next', 'previous', 'seek', 'repeat', 'volume', 'shuffle', 'devices'],
  'spotify-add-to-queue': ['addToQueue', 'devices'],
  'spotify-search': ['search'],
  'spotify-get-item': ['track'],
  'spotify-item-contents': ['albumTracks'],
  'spotify-request': [],
};

/** Each node type's scope requirement (entries that are lists: any one of them), without repeats. */
export function nodeScopeRequirements(): Record<string, ScopeRequirement> {
  const out: Record<string, ScopeRequirement> = {};
  for (const [type, ops] of Object.entries(NODE_OPERATIONS)) {
    const seen = new Map<string, string | readonly string[]>();
    for (const op of ops) {
      const scopes: ScopeRequirement = (OPERATIONS[op] as { scopes?: ScopeRequirement }).scopes ?? [];
      for (const need of scopes) seen.set(typeof need === 'string' ? need : need.join(' '), need);
    }
    out[type] = [...seen.values()];
  }
  return out;
}

/**
 * The node types that only read: every operation they may call is a GET. The editor offers these a button
 * that runs the node once with an empty message (a read cannot change the user's data by a stray click).
 */
export function readOnlyNodeTypes(): string[] {
  return Object.entries(NODE_OPERATIONS)
    .filter(([, ops]) => ops.length > 0 && ops.every((op) => OPERATIONS[op].method === 'GET'))
    .map(([type]) => type);
}
