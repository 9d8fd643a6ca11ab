// How an account stands, as the runtime's status route (POST tunewire/status) and the authorization events
// (comms topic tunewire/auth/<account id>) tell it, and the words the editor shows for it.
import type { StatusAnswer } from '../nodes/node-red/account-answers';
import type { ScopeRequirement } from '../nodes/spotify/scopes';
import { formatDate, formatTime } from './dates';
import { accountText } from './i18n';

/** The status route's answer or an authorization event, as the editor receives it: an error answer lacks fields. */
export type AccountStatus = Partial<StatusAnswer>;

/** A scope requirement's alternatives: a scope on its own, or a list of which any one will do. */
export type Alternatives = readonly string[];

function alternatives(need: string | readonly string[]): Alternatives {
  return typeof need === 'string' ? [need] : need;
}

/** "a or b": a requirement as the account line and the dialog name it. */
export function requirementText(alt: Alternatives): string {
  return alt.join(' ' + accountText('health.or') + ' ');
}

/** The requirements among `needs` that no granted scope satisfies. */
export function unmet(needs: readonly Alternatives[], granted: readonly string[]): Alternatives[] {
  return needs.filter((alt) => !alt.some((s) => granted.includes(s)));
}

/** Each scope requirement of the nodes that use this account, without repeats. */
export function neededScopes(accountId: string, nodeScopes: Record<string, ScopeRequirement>): Alternatives[] {
  const types = new Set<string>();
  RED.nodes.eachNode((n) => {
    if (n.account === accountId) types.add(n.type);
  });
  const seen = new Set<string>();
  const needs: Alternatives[] = [];
  for (const type of types) {
    for (const need of nodeScopes[type] ?? []) {
      const alt = alternatives(need);
      const key = alt.join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        needs.push(alt);
      }
    }
  }
  return needs;
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
  const missing = unmet((ev.nodeScopes?.[type] ?? []).map(alternatives), ev.scopes ?? []).map(requirementText);
  if (missing.length) {
    text += ' · ' + accountText('state.missingScope', { scopes: missing.join(', ') });
    kind = 'error';
  }
  if (ev.reauthorizeSoon) {
    text += ' · ' + accountText('state.authorizeAgainBy', { date: formatDate(ev.refreshExpiresAt) });
    if (kind === 'ok') kind = 'pending';
  }
  if (ev.cooldownUntil) text += ' · ' + accountText('state.cooldown', { time: formatTime(ev.cooldownUntil) });
  return { kind, text };
}
