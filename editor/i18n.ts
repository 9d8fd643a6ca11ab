// Texts of the pack's editor code that belong to no single node (the account line, the pickers, the run-once
// button) live in the account node's catalog. Node-RED namespaces catalogs by node set, so they are read through
// the account type's own `_` (the global RED._ reads Node-RED's catalog, not the pack's).

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
  const translate = RED.nodes.getType('spotify-account')?._;
  const full = 'spotify-account.library.' + key;
  const text = translate ? translate(full, vars) : undefined;
  return typeof text === 'string' && text !== '' && !text.endsWith(full) ? text : undefined;
}
