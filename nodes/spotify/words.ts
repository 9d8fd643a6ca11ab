// The words the Spotify library puts in its errors ("expected a whole number from 1 to 50", "Not found: …"), by
// key. The library knows no Node-RED: its English texts sit in the account catalog (locales/en-US/account.json,
// under "spotify-account.library"), read from the file; a host that speaks other languages hands over its
// lookup (useWords), and the Node-RED adapter hands over the account node's RED._, so the words follow the
// runtime's language.
import { englishText, type TextVars } from './english-catalog';
import type { Phrase } from './phrase';

export type { TextVars } from './english-catalog';
/** A lookup of a full catalog key ("spotify-account.library.input.expectedGot"); undefined when it has none. */
export type WordLookup = (fullKey: string, vars?: TextVars) => string | undefined;

const CATALOG_FILE = 'account.json';
const PREFIX = 'spotify-account.library.';
let lookup: WordLookup | undefined;

/** Hands over the host's lookup (the Node-RED adapter's: the account catalog in the runtime's language). */
export function useWords(words: WordLookup | undefined): void {
  lookup = words;
}

/** The library's text at `key` below "spotify-account.library." in the host's language, else in English. */
export function say(key: string, vars?: TextVars): string {
  const full = PREFIX + key;
  let text: string | undefined;
  try {
    text = lookup?.(full, vars);
  } catch {
    text = undefined;
  }
  return text !== undefined && text !== '' && !text.endsWith(full) ? text : englishText(CATALOG_FILE, full, vars);
}

/** The locale the host's words are in ("de-DE"), for the dates and times among them: the account catalog says it
 *  ("spotify-account.locale"); en-US when the host has no lookup or its catalog does not say. */
export function wordsLocale(): string {
  const full = 'spotify-account.locale';
  let text: string | undefined;
  try {
    text = lookup?.(full);
  } catch {
    text = undefined;
  }
  return text !== undefined && !text.endsWith(full) && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(text) ? text : 'en-US';
}

/** What a field expects ("a whole number from 1 to 50"), by its key below "spotify-account.library.expect.". */
export function expectText(key: string, vars?: TextVars): string {
  return say(`expect.${key}`, vars);
}

/** A phrase (phrase.ts) in the host's language. */
export function phraseText(p: Phrase): string {
  return expectText(p.key, p.vars);
}

/** Items as a list that ends in "or": "track, album or episode". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return say('expect.or', { first: items.slice(0, -1).join(say('expect.comma')), last: items[items.length - 1] });
}
