// Every scope Spotify knows, and the ones the pack's nodes need out of the box.

export const ALL_SCOPES = [
  'app-remote-control',
  'playlist-read-private',
  'playlist-read-collaborative',
  'playlist-modify-public',
  'playlist-modify-private',
  'user-library-read',
  'user-library-modify',
  'user-read-private',
  'user-read-email',
  'user-follow-read',
  'user-follow-modify',
  'user-top-read',
  'user-read-playback-position',
  'user-read-playback-state',
  'user-read-recently-played',
  'user-read-currently-playing',
  'user-modify-playback-state',
  'ugc-image-upload',
  'streaming',
] as const;

export type Scope = (typeof ALL_SCOPES)[number];

export const DEFAULT_SCOPES: readonly Scope[] = [
  'user-read-private',
  'playlist-read-private',
  'playlist-read-collaborative',
  'playlist-modify-public',
  'playlist-modify-private',
  'user-read-recently-played',
  'user-library-read',
  'user-library-modify',
  'user-read-playback-state',
  'user-read-currently-playing',
  'user-modify-playback-state',
  'user-top-read',
  'user-follow-read',
];

/** Every scope some node of the pack can use: the defaults, plus following users and playlists through the
 *  library nodes and uploading a playlist cover, which few flows need. */
export const PACK_SCOPES: readonly Scope[] = [...DEFAULT_SCOPES, 'user-follow-modify', 'ugc-image-upload'];

/** A requirement: every entry must be granted; an entry that is a list is satisfied by any one of its scopes. */
export type ScopeRequirement = readonly (string | readonly string[])[];

/** The scopes to add (for the message to the user), or an empty list when the grant covers the requirement. */
export function missingScopes(granted: readonly string[], required: ScopeRequirement): string[] {
  const have = new Set(granted);
  const missing: string[] = [];
  for (const need of required) {
    if (typeof need === 'string') {
      if (!have.has(need)) missing.push(need);
    } else if (!need.some((s) => have.has(s))) {
      missing.push(need.join(' or '));
    }
  }
  return missing;
}

export function parseScopes(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  const known = new Set<string>(ALL_SCOPES);
  return [...new Set(list.filter((s): s is string => typeof s === 'string' && known.has(s)))];
}

/** A requirement a node has only with some of its settings: `when` lists node properties that must all match. */
export interface OptionScopes {
  when: Readonly<Record<string, string | boolean>>;
  needs: ScopeRequirement;
}
