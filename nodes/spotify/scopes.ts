// Every scope Spotify knows, what each lets the pack do in plain words, and the ones the pack's nodes need out of
// the box. The account dialog, a node's status and the editor's account line all name scopes by these words.

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

/** What each scope lets the pack do, as a user says it: "playlist cover needs *upload images*". */
export const SCOPE_WORDS: Readonly<Record<Scope, string>> = {
  'app-remote-control': 'control the Spotify app',
  'playlist-read-private': 'read private playlists',
  'playlist-read-collaborative': 'read collaborative playlists',
  'playlist-modify-public': 'change public playlists',
  'playlist-modify-private': 'change private playlists',
  'user-library-read': 'read the library',
  'user-library-modify': 'change the library',
  'user-read-private': 'read the profile',
  'user-read-email': 'read the email address',
  'user-follow-read': 'read who you follow',
  'user-follow-modify': 'follow and unfollow',
  'user-top-read': 'read top artists and tracks',
  'user-read-playback-position': 'read where you stopped listening',
  'user-read-playback-state': 'read the player and devices',
  'user-read-recently-played': 'read recently played',
  'user-read-currently-playing': 'read what is playing',
  'user-modify-playback-state': 'control playback',
  'ugc-image-upload': 'upload images',
  streaming: 'play in the browser',
};

/** A text of the catalog in the language shown, or undefined when it has none. */
type Lookup = (key: string) => string | undefined;
let localWords: Lookup | undefined;

/**
 * Scopes in the words of the language the texts around them are shown in: the editor and the runtime each
 * hand over their catalog ("spotify-account.scopes.<scope>", "spotify-account.health.or"); SCOPE_WORDS (English,
 * the en-US catalog's source) until then and for a scope the catalog lacks.
 */
export function useScopeWords(lookup: Lookup): void {
  localWords = lookup;
}

function englishWords(scope: string): string {
  return Object.prototype.hasOwnProperty.call(SCOPE_WORDS, scope) ? SCOPE_WORDS[scope as Scope] : scope;
}

/** A scope in plain words; a name Spotify does not know (a newer scope) as it is. */
export function scopeWords(scope: string): string {
  return localWords?.(`scopes.${scope}`) ?? englishWords(scope);
}

/** A requirement: every entry must be granted; an entry that is a list is satisfied by any one of its scopes. */
export type ScopeRequirement = readonly (string | readonly string[])[];

/** One entry of a requirement as its alternatives: a scope on its own, or a list of which any one will do. */
export type Alternatives = readonly string[];

export function alternativesOf(need: string | readonly string[]): Alternatives {
  return typeof need === 'string' ? [need] : need;
}

/**
 * "change public or private playlists": any one of the alternatives, in plain words. English words after the
 * first drop the verb they share with it ("read what is playing or the player and devices"); another language's
 * words are joined whole (its verb need not lead).
 */
export function requirementWords(alt: Alternatives, or = localWords?.('health.or') ?? 'or'): string {
  const words = alt.map(scopeWords);
  const verb = words[0].split(' ')[0] + ' ';
  const english = alt.every((s) => scopeWords(s) === englishWords(s));
  const shared = english && words.every((w) => w.startsWith(verb));
  return words.map((w, i) => (i > 0 && shared ? w.slice(verb.length) : w)).join(` ${or} `);
}

/** The entries of `required` no granted scope satisfies, each as its alternatives. */
export function unmetRequirements(granted: readonly string[], required: ScopeRequirement): Alternatives[] {
  const have = new Set(granted);
  return required.map(alternativesOf).filter((alt) => !alt.some((s) => have.has(s)));
}

/** The scopes to add (for the message to the user), or an empty list when the grant covers the requirement. */
export function missingScopes(granted: readonly string[], required: ScopeRequirement): string[] {
  return unmetRequirements(granted, required).map((alt) => alt.join(' or '));
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

/** The requirement of one node: its type's, plus what its settings add (the options whose `when` all match). */
export function requirementWithOptions(
  base: ScopeRequirement,
  options: readonly OptionScopes[],
  config: Readonly<Record<string, unknown>>,
): ScopeRequirement {
  const matching = options.filter((o) => Object.entries(o.when).every(([k, v]) => config[k] === v));
  return uniqueRequirement([...base, ...matching.flatMap((o) => o.needs)]);
}

/**
 * A requirement without repeats: alternatives in another order are the same entry, and an entry another one
 * implies goes ("public or private playlists" beside "private playlists" asks nothing more).
 */
export function uniqueRequirement(needs: ScopeRequirement): ScopeRequirement {
  const seen = new Map<string, string | readonly string[]>();
  for (const need of needs) seen.set([...alternativesOf(need)].sort().join(' '), need);
  const entries = [...seen.values()];
  const implied = (need: string | readonly string[]): boolean => {
    const alt = alternativesOf(need);
    return entries.some((other) => {
      const o = alternativesOf(other);
      return o.length < alt.length && o.every((s) => alt.includes(s));
    });
  };
  return entries.filter((need) => !implied(need));
}
