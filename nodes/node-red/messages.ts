// Texts the runtime shows (node status, warnings, errors) come from the message catalogs, like the editor's.
// Node-RED scopes a module's RED._ to that module's own catalog (locales/<lang>/<file>.json, namespace = the node
// set's id), so each text lives where the code that shows it can read it:
// - a node's own texts in its own catalog, under its type: "spotify-play.status.playingCount" in play.json, read
//   through nodeTexts('spotify-play') with the RED._ its module handed over when it registered (register-node.ts);
// - texts many nodes share (the runners' statuses, the pickers', the playlist lookups) once, in the account node's
//   catalog under "spotify-account.runtime", read through runtimeText with the account module's RED._.
import type { NodeAPI } from 'node-red';
import { englishText } from '../spotify/english-catalog';
import { useWords, wordsLocale } from '../spotify/words';

type Vars = Record<string, string | number>;
export type Translate = (key: string, vars?: Vars) => string;
/** One node's text lookup: key within its type, e.g. text('status.playingCount', { count: 3 }). */
export type NodeText = (key: string, vars?: Vars) => string;

const SHARED_TYPE = 'spotify-account';
const SHARED_PREFIX = `${SHARED_TYPE}.runtime.`;
/** Each node type's RED._ (the account's reads the shared texts). */
const translators = new Map<string, Translate>();
/** The RED each lookup reads through. */
const translatorOwners = new WeakMap<Translate, NodeAPI>();

/** Called by the account node's module: its RED._ reads account.json in the runtime's language. */
export function useAccountCatalog(RED: NodeAPI): void {
  useNodeCatalog(RED, SHARED_TYPE);
  // The Spotify library's words (its errors) are in this catalog too, under "spotify-account.library".
  useWords((key, vars) => RED._(key, vars));
}

/** Called when a node type registers (register-node.ts): its module's RED._ reads its own catalog. */
export function useNodeCatalog(RED: NodeAPI, type: string): void {
  // Handed over again by the same module (registerWithFields, then registerNode): the lookup stays the same one,
  // so what was cached for it (field labels) stays valid.
  if (translators.has(type) && translatorOwners.get(translators.get(type) as Translate) === RED) return;
  const translate: Translate = (key, vars) => RED._(key, vars);
  translatorOwners.set(translate, RED);
  translators.set(type, translate);
}

/** Node type `type`'s RED._ (its catalog in the runtime's language), once the type registered; undefined before. */
export function nodeCatalog(type: string): Translate | undefined {
  return translators.get(type);
}

/** A shared runtime text, e.g. runtimeText('status.notAuthorized') or runtimeText('status.badInput', {field: 'Tracks'}). */
export function runtimeText(key: string, vars?: Vars): string {
  return lookUp(SHARED_TYPE, SHARED_PREFIX + key, vars);
}

/** The text lookup of one node type, in its own catalog: nodeTexts('spotify-play')('status.playing'). */
export function nodeTexts(type: string): NodeText {
  return (key, vars) => lookUp(type, `${type}.${key}`, vars);
}

/** The catalog file a node type's texts are in (Node-RED names it after the node's .js file). */
export function catalogFile(type: string): string {
  return `${type.replace(/^spotify-/, '')}.json`;
}

function lookUp(type: string, full: string, vars?: Vars): string {
  let text: unknown;
  try {
    text = translators.get(type)?.(full, vars);
  } catch {
    text = undefined;
  }
  // Node-RED answers a key it cannot resolve with the key itself (the test helper always does): use the
  // English catalog shipped beside this file, so a status never shows "spotify-play.status.…".
  if (typeof text !== 'string' || text === '' || text.endsWith(full)) text = englishText(catalogFile(type), full, vars);
  return text as string;
}

/**
 * The locale the runtime's texts are written in, for the dates among them: the account catalog says it
 * ("spotify-account.locale"), so a date never reads in another language than the sentence around it. The
 * library's words read the same catalog (useAccountCatalog hands it over), so this is their locale too.
 */
export const runtimeLocale = wordsLocale;

/** A text of the account catalog in the runtime's language by its key below "spotify-account.", or undefined
 *  when Node-RED does not resolve it (no English fallback: the caller has its own). */
export function accountCatalogText(key: string): string | undefined {
  const full = `${SHARED_TYPE}.${key}`;
  let text: unknown;
  try {
    text = translators.get(SHARED_TYPE)?.(full);
  } catch {
    text = undefined;
  }
  return typeof text === 'string' && text !== '' && !text.endsWith(full) ? text : undefined;
}
