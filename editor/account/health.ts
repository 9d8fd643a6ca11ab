// The account dialog's health box: scopes granted beside the ones its nodes need, the consent and when Spotify
// stops accepting it, the app's rate-limit cooldown and the requests of the last hour.
import { neededScopes, requirementText, unmet, type AccountStatus, type Alternatives } from '../account-status';
import { formatDate, formatTime } from '../dates';
import { accountText } from '../i18n';

/** Shows the health box for the account; returns the requirements no granted scope meets (for "add missing"). */
export function showHealth(accountId: string, ev: AccountStatus): Alternatives[] {
  const granted = ev.scopes ?? [];
  const authorized = ev.state === 'authorized' || ev.state === 'authorize_again';
  const needs = neededScopes(accountId, ev.nodeScopes ?? {});
  $('#node-config-tunewire-granted').text(authorized ? accountText('health.granted', { scopes: granted.join(', ') || '—' }) : '');
  $('#node-config-tunewire-needed').text(accountText('health.needed', { scopes: needs.map(requirementText).join(', ') || '—' }));
  const missing = authorized ? unmet(needs, granted) : [];
  const $m = $('#node-config-tunewire-missing');
  if (missing.length) {
    $m.find('.tunewire-missing-text').text(accountText('health.missing', { scopes: missing.map(requirementText).join(', ') }));
    $m.show();
  } else $m.hide();
  const $c = $('#node-config-tunewire-consent');
  if (authorized && ev.authorizedAt) {
    $c.text(accountText('health.consent', { given: formatDate(ev.authorizedAt), until: formatDate(ev.refreshExpiresAt) })).show();
  } else $c.hide();
  const $x = $('#node-config-tunewire-expiry');
  if (ev.state === 'authorized' && ev.reauthorizeSoon)
    $x.text(accountText('health.expiresSoon', { date: formatDate(ev.refreshExpiresAt) })).show();
  else $x.hide();
  const $r = $('#node-config-tunewire-cooldown');
  if (ev.cooldownUntil) $r.text(accountText('health.cooldown', { time: formatTime(ev.cooldownUntil) })).show();
  else $r.hide();
  const $q = $('#node-config-tunewire-requests');
  if (typeof ev.requestsLastHour === 'number') $q.text(accountText('health.requests', { count: ev.requestsLastHour })).show();
  else $q.hide();
  $('#node-config-tunewire-health').show();
  return missing;
}
