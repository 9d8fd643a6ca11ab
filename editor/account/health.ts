// The account dialog's health box: what each node of the account needs, in plain words, checked against the
// scopes Spotify granted and the ones ticked in the dialog now; how the ticked scopes differ from the granted
// ones; the consent and when Spotify stops accepting it, the app's rate-limit cooldown and the requests of the
// last hour.
import {
  needsByNode,
  scopeChanges,
  shortfalls,
  shortfallText,
  type NeedState,
  type NodeUse,
  type Shortfall,
} from '../../nodes/spotify/scope-health';
import { requirementWithOptions, scopeWords } from '../../nodes/spotify/scopes';
import type { AccountStatus } from '../account-status';
import { formatDate, formatTime } from '../dates';
import { accountText } from '../i18n';

const ICONS: Record<NeedState, string> = {
  granted: 'fa-check-square-o',
  unticked: 'fa-minus-square-o',
  ticked: 'fa-clock-o',
  missing: 'fa-square-o',
};

/** The nodes of the flows (subflows included) that use this account, each with what it needs with its settings. */
function nodeUses(accountId: string, ev: AccountStatus): NodeUse[] {
  const uses: NodeUse[] = [];
  RED.nodes.eachNode((n) => {
    if (n.account !== accountId) return;
    const def = RED.nodes.getType(n.type);
    uses.push({
      label: def ? RED.utils.getPaletteLabel(n.type, def) : n.type,
      requirement: requirementWithOptions(ev.nodeScopes?.[n.type] ?? [], ev.nodeOptionScopes?.[n.type] ?? [], n),
    });
  });
  return uses;
}

function renderChecklist(groups: ReturnType<typeof needsByNode>): void {
  const $list = $('#node-config-tunewire-checklist').empty();
  if (groups.length === 0) {
    $('<div class="tunewire-needs-none"></div>').text(accountText('health.noNodes')).appendTo($list);
    return;
  }
  for (const group of groups) {
    const $group = $('<div class="tunewire-node-needs"></div>').attr('data-label', group.label);
    $('<span class="tunewire-node-label"></span>')
      .text(accountText('health.nodeNeeds', { node: group.label }))
      .appendTo($group);
    const $needs = $('<ul class="tunewire-needs"></ul>').appendTo($group);
    for (const need of group.needs) {
      const $li = $('<li class="tunewire-need"></li>')
        .addClass('tunewire-need-' + need.state)
        .attr('data-scopes', need.scopes.join(' '))
        .attr('title', need.scopes.join(' ' + accountText('health.or') + ' '));
      $('<i class="fa" aria-hidden="true"></i>').addClass(ICONS[need.state]).appendTo($li);
      $('<span class="tunewire-need-words"></span>').text(need.words).appendTo($li);
      if (need.state !== 'granted')
        $('<span class="tunewire-need-state"></span>')
          .text(accountText('health.state.' + need.state))
          .appendTo($li);
      $li.appendTo($needs);
    }
    $group.appendTo($list);
  }
}

/** Marks the scope list's rows Spotify granted, so the list reads as granted vs ticked too. */
function markGranted(granted: readonly string[]): void {
  $('#node-config-tunewire-scopes .tunewire-scope').each((_i, row) => {
    const scope = String($(row).find('input').val() ?? '');
    $(row).toggleClass('tunewire-scope-is-granted', granted.includes(scope));
  });
}

/**
 * Shows the health box for the account, checked against the scopes ticked in the dialog now; returns the needs
 * Spotify has not granted (for "Tick them and authorize again").
 */
export function showHealth(accountId: string, ev: AccountStatus, ticked: readonly string[]): Shortfall[] {
  const authorized = ev.state === 'authorized' || ev.state === 'authorize_again';
  const granted = authorized ? (ev.scopes ?? []) : [];
  const groups = needsByNode(nodeUses(accountId, ev), granted, ticked, accountText('health.or'));
  renderChecklist(groups);
  markGranted(granted);

  const missing = authorized ? shortfalls(groups) : [];
  const $m = $('#node-config-tunewire-missing');
  if (missing.length) {
    $m.find('.tunewire-missing-text').text(accountText('health.missing', { needs: shortfallText(missing) }));
    $m.show();
  } else $m.hide();

  const changes = authorized ? scopeChanges(granted, ticked) : { added: [], removed: [] };
  const $added = $('#node-config-tunewire-added');
  if (changes.added.length) $added.text(accountText('health.added', { scopes: changes.added.map(scopeWords).join(', ') })).show();
  else $added.hide();
  const $removed = $('#node-config-tunewire-removed');
  if (changes.removed.length) $removed.text(accountText('health.removed', { scopes: changes.removed.map(scopeWords).join(', ') })).show();
  else $removed.hide();

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
