// How an account stands, as the runtime's status route (POST tunewire/status) and the authorization events
// (comms topic tunewire/auth/<account id>) tell it, and the words the editor shows for it.
import type { StatusAnswer } from '../nodes/node-red/account-answers';
import { requirementWords, unmetRequirements, type Alternatives } from '../nodes/spotify/scopes';
import { formatDate, formatTime } from './dates';
import { accountText } from './i18n';

/** The status route's answer or an authorization event, as the editor receives it: an error answer lacks fields. */
export type AccountStatus = Partial<StatusAnswer>;

/** The scopes needed in plain words, alternatives joined by the editor's "or". */
export function needsText(needs: readonly Alternatives[]): string {
  return needs.map((alt) => requirementWords(alt, accountText('health.or'))).join(', ');
}

export type LineKind = 'ok' | 'pending' | 'error';

/** The one line beside a node's Account field: who authorized, what this node type misses, what is coming. */
export function lineFor(ev: AccountStatus | undefined, type: string): { kind: LineKind; text: string } {
  if (!ev || ev.ok === false) return { kind: 'error', text: accountText('state.unreadable') };
  if (ev.state === 'authorize_again') return { kind: 'error', text: accountText('state.authorizeAgain') };
  if (ev.state === 'store_unreadable') return { kind: 'error', text: accountText('state.unreadable') };
  if (ev.state !== 'authorized') return { kind: 'pending', text: accountText('state.notAuthorized') };
  let text = accountText('state.authorizedAs', { name: ev.displayName || '?' });
  let kind: LineKind = 'ok';
  const missing = unmetRequirements(ev.scopes ?? [], ev.nodeScopes?.[type] ?? []);
  if (missing.length) {
    text += ' · ' + accountText('state.missingScope', { scopes: needsText(missing) });
    kind = 'error';
  }
  if (ev.reauthorizeSoon) {
    text += ' · ' + accountText('state.authorizeAgainBy', { date: formatDate(ev.refreshExpiresAt) });
    if (kind === 'ok') kind = 'pending';
  }
  if (ev.cooldownUntil) text += ' · ' + accountText('state.cooldown', { time: formatTime(ev.cooldownUntil) });
  return { kind, text };
}
