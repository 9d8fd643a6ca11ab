// A text named by its catalog key and values, not yet put in words: what code shared with the editor (field rules,
// picker rules) hands back, so the runtime words it in the runtime's language and the editor in the editor's, from
// the same catalog entry. Imports nothing: the editor bundle reads it.
export interface Phrase {
  /** The key below "spotify-account.library.expect." ("int"). */
  key: string;
  vars?: Record<string, string | number>;
}

/** The phrase at `key` with `vars`. */
export function phrase(key: string, vars?: Record<string, string | number>): Phrase {
  return vars ? { key, vars } : { key };
}
