// What a playlist name given "by name" must be, for the runtime (playlist-target.ts) and the editor's check alike.
// Imports nothing but phrase.ts: the editor bundle reads it too.
import { phrase, type Phrase } from './phrase';

/** A playlist field's typed-input type "by name", as nodes store it in `playlistType`: its value is a playlist's
 *  name ("Saved this week"), typed text like a 'str', looked up among the user's playlists at run time. */
export const PLAYLIST_NAME_TYPE = 'spotify-name';

/** Longest playlist name looked up or created (the create playlist node's limit too). */
export const MAX_PLAYLIST_NAME = 1000;

// eslint-disable-next-line no-control-regex -- a name is one line of text: control characters are a mistake
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What a playlist name must be ("a playlist name (one line of 1 to 1000 characters)"), worded by the runtime or the editor. */
export const EXPECTED_PLAYLIST_NAME: Phrase = phrase('playlistName', { max: MAX_PLAYLIST_NAME });

/** Whether a value can name a playlist: one line of text, not blank, not too long. */
export function isPlaylistName(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_PLAYLIST_NAME && !CONTROL.test(value);
}
