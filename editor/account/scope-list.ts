// The dialog's checklist of every scope Spotify knows, in plain words (nodes/spotify/scopes.ts, bundled in).
import { ALL_SCOPES, scopeWords } from '../../nodes/spotify/scopes';
import { accountText } from '../i18n';

/** Always requested, so the dialog can show who authorized: ticked and greyed. */
const ALWAYS = 'user-read-private';

/** Fills the checklist, ticking the account's stored scopes. */
export function renderScopes($scopes: JQuery, stored: string | undefined): void {
  const selected = (stored || '').split(/\s+/);
  for (const scope of ALL_SCOPES) {
    const id = 'node-config-tunewire-scope-' + scope;
    const $row = $('<div class="tunewire-scope"></div>');
    $('<input type="checkbox">')
      .attr('id', id)
      .attr('value', scope)
      .prop('checked', selected.includes(scope) || scope === ALWAYS)
      .prop('disabled', scope === ALWAYS)
      .appendTo($row);
    // Plain words first, Spotify's name beside them: the words say what it allows, the name is what Spotify's
    // consent page and documentation use.
    const $label = $('<label></label>')
      .attr('for', id)
      .text(scopeWords(scope) + ' ');
    $('<code class="tunewire-scope-id"></code>').text(scope).appendTo($label);
    $label.appendTo($row);
    $('<span class="tunewire-scope-granted"></span>').text(accountText('health.grantedTag')).appendTo($row);
    $row.appendTo($scopes);
  }
}

/** The ticked scopes, in list order. */
export function tickedScopes($scopes: JQuery): string[] {
  return $scopes
    .find('input:checked')
    .map((_i, el) => (el as HTMLInputElement).value)
    .get();
}

/**
 * The stored order first, newly ticked scopes after it: an untouched dialog saves exactly what it loaded, so
 * opening an account and pressing Update does not mark it changed.
 */
export function keepOrder(stored: string | undefined, ticked: readonly string[]): string {
  const before = (stored || '').split(/\s+/).filter((s) => s && ticked.includes(s));
  const added = ticked.filter((s) => !before.includes(s));
  return before.concat(added).join(' ');
}
