// Texts of the pack's editor code that belong to no single node (the account line, the pickers, the run-once
// button) live in the account node's catalog. Node-RED namespaces catalogs by node set, so they are read through
// the account type's own `_` (the global RED._ reads Node-RED's catalog, not the pack's).
import type { RouteWords } from '../nodes/node-red/route-words';
import { requirementWords } from '../nodes/spotify/scopes';

/** A text of the account catalog by its full key below "spotify-account." ("picker.loading"). */
export function accountText(key: string, vars?: NodeRedEditor.I18nVars): string {
  const def = RED.nodes.getType('spotify-account');
  return def?._ ? def._('spotify-account.' + key, vars) : key;
}

/**
 * A text of the Spotify library's words (the account catalog under "spotify-account.library.", where the runtime
 * reads the same entries), or undefined when the editor cannot read it (no catalog, an unknown key).
 */
export function libraryText(key: string, vars?: NodeRedEditor.I18nVars): string | undefined {
  return knownText('spotify-account.library.' + key, vars);
}

/** The account catalog's text at the full key `full`, or undefined when the editor cannot read it. */
function knownText(full: string, vars?: NodeRedEditor.I18nVars): string | undefined {
  const translate = RED.nodes.getType('spotify-account')?._;
  const text = translate ? translate(full, vars) : undefined;
  return typeof text === 'string' && text !== '' && !text.endsWith(full) ? text : undefined;
}

/**
 * What an admin route said (its `words`: a key below "spotify-account.runtime." and values) in the editor's
 * language; undefined when the catalog does not have it (the caller shows the runtime's own words). A missing
 * scope is named from `unmet` in the editor's scope words, not the runtime's.
 */
export function routeText(words: RouteWords | undefined, unmet?: unknown): string | undefined {
  if (!words) return undefined;
  const vars: NodeRedEditor.I18nVars = { ...words.vars };
  if (Array.isArray(unmet) && unmet.every((alt) => Array.isArray(alt) && alt.every((s) => typeof s === 'string'))) {
    vars.needs = unmet.map((alt) => requirementWords(alt)).join(', ');
  }
  return knownText('spotify-account.runtime.' + words.key, vars);
}
