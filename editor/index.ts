// The pack's editor code, bundled by scripts/build.js into resources/editor.js, which the editor plugin
// (editor/plugin.html) loads once, before the node definitions. Each node's .html keeps its registerType literal,
// template and help, and reaches this code through the one global `tunewire`, only from functions the editor
// calls later (dialogs, validation, buttons), never while the .html is parsed: a pack installed from the
// palette may load its node definitions before this script.
import { startAccountDefaults } from './account-default';
import { showSpotifyLogTextWhole } from './debug-text';
import { check, picked } from './fields';
import { migrate, startMigrations } from './migrations';
import { nodes } from './nodes';
import { enabled, onclick } from './run-once';
import { accountText } from './i18n';
import { useScopeWords } from '../nodes/spotify/scopes';

// Scopes in the editor's language, from the account catalog (looked up when shown: the catalog loads later).
useScopeWords((key) => {
  const text = accountText(key);
  return text && !text.endsWith(key) ? text : undefined;
});

const tunewire = {
  /** registerType `validate` functions: tunewire.fields.check(this, '<type>', '<field>', v, opt), and
   *  tunewire.fields.picked(this, '<field>', '<playlist|device|item>', v, opt) for picker fields. */
  fields: { check, picked },
  /** The editor's migration of a stored node (the tests call it). */
  migrations: { migrate },
  /** registerType `button` of the nodes that only read. */
  runOnce: { enabled, onclick },
  nodes,
};

declare global {
  interface Window {
    tunewire?: typeof tunewire;
  }
}

// Loaded a second time (the pack installed again from the palette without a restart): the first copy keeps
// listening; a second would migrate and hook everything twice.
if (!window.tunewire) {
  window.tunewire = tunewire;
  startMigrations();
  startAccountDefaults();
  showSpotifyLogTextWhole();
}
