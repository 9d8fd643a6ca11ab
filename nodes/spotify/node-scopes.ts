// Which operations each node type may call, and so which scopes its account needs: the account dialog names a
// scope the account's nodes need but the authorization lacks. The scopes themselves come from the operation table.
import { OPERATIONS, type OperationName } from './operations';
import { CREATED_PUBLIC, createScopes, PLAYLIST_NAME_TYPE } from './playlist-names';
import { requirementWithOptions, uniqueRequirement, type OptionScopes, type ScopeRequirement } from './scopes';

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
  'spotify-play': ['play', 'volume', 'devices'],
  'spotify-player-control': ['transferPlayback', 'play', 'pause', 'next', 'previous', 'seek', 'repeat', 'volume', 'shuffle', 'devices'],
  'spotify-add-to-queue': ['addToQueue', 'devices'],
  'spotify-search': ['search'],
  'spotify-get-item': ['track'],
  'spotify-item-contents': ['albumTracks'],
  'spotify-request': [],
  // The Dashboard 2 card polls the player and its buttons drive it (nodes/spotify/player-remote.ts).
  'spotify-ui-player': [
    'playbackState',
    'devices',
    'play',
    'pause',
    'next',
    'previous',
    'shuffle',
    'repeat',
    'volume',
    'seek',
    'transferPlayback',
  ],
};

export type { OptionScopes } from './scopes';

const scopesOf = (op: OperationName): ScopeRequirement => (OPERATIONS[op] as { scopes?: ScopeRequirement }).scopes ?? [];

// A playlist field set to "by name" reads the user's playlists; Create when missing may also create one.
const BY_NAME: OptionScopes = { when: { playlistType: PLAYLIST_NAME_TYPE }, needs: scopesOf('myPlaylists') };
const CREATE_MISSING: OptionScopes = {
  when: { createMissing: true },
  needs: [...scopesOf('myPlaylists'), ...createScopes(CREATED_PUBLIC)],
};

const OPTION_SCOPES: Record<string, readonly OptionScopes[]> = {
  'spotify-get-playlist': [BY_NAME],
  'spotify-playlist-tracks': [BY_NAME],
  'spotify-update-playlist': [BY_NAME],
  'spotify-add-tracks': [BY_NAME, CREATE_MISSING],
  'spotify-remove-tracks': [BY_NAME],
  'spotify-replace-tracks': [BY_NAME, CREATE_MISSING],
  'spotify-reorder-tracks': [BY_NAME],
  'spotify-playlist-cover': [BY_NAME],
};

/** Each node type's scope requirement (entries that are lists: any one of them), without repeats. */
export function nodeScopeRequirements(): Record<string, ScopeRequirement> {
  const out: Record<string, ScopeRequirement> = {};
  for (const [type, ops] of Object.entries(NODE_OPERATIONS)) out[type] = uniqueRequirement(ops.flatMap(scopesOf));
  return out;
}

/** What node types need beyond nodeScopeRequirements() with some settings (for the account dialog). */
export function nodeOptionScopes(): Readonly<Record<string, readonly OptionScopes[]>> {
  return OPTION_SCOPES;
}

/** The scope requirement of one node with its settings. */
export function nodeScopeRequirement(type: string, config: Readonly<Record<string, unknown>>): ScopeRequirement {
  return requirementWithOptions(nodeScopeRequirements()[type] ?? [], OPTION_SCOPES[type] ?? [], config);
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
