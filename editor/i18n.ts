// Texts of the pack's editor code that belong to no single node (the account line, the pickers, the run-once
// button) live in the account node's catalog. Node-RED namespaces catalogs by node set, so they are read through
// the account type's own `_` (the global RED._ reads Node-RED's catalog, not the pack's).

/** A text of the account catalog by its full key below "spotify-account." ("picker.loading"). */
export function accountText(key: string, vars?: NodeRedEditor.I18nVars): string {
  const def = RED.nodes.getType('spotify-account');
  return def?._ ? def._('spotify-account.' + key, vars) : key;
}
