// What an admin route says to the editor, by catalog key as well as in words: the runtime words it in its own
// language (`message`/`error`, for any client), and the editor words the same key in the editor's language, which
// may differ (a German browser on a runtime with no LANG, as in most containers).
import { runtimeText } from './messages';

/** A shared runtime text by its key below "spotify-account.runtime." and its values. */
export interface RouteWords {
  key: string;
  vars?: Record<string, string | number>;
}

/** The runtime's text for `key` and the key itself, for an answer's `message`/`error` and `words`. */
export function routeWords(key: string, vars?: Record<string, string | number>): { text: string; words: RouteWords } {
  return { text: runtimeText(key, vars), words: vars ? { key, vars } : { key } };
}
