// The account node's dialog: the app's credentials, the scopes, the redirect address, Authorize Access (a popup
// to Spotify's consent page, completed by the runtime's callback, which tells the dialog over comms), clearing the
// authorization, and the account's health.
import { authTopic } from '../../nodes/node-red/account-answers';
import { KEEP_SECRET } from '../account-key';
import type { Shortfall } from '../../nodes/spotify/scope-health';
import type { AccountStatus } from '../account-status';
import { AdminError, postJson } from '../admin-api';
import { accountText } from '../i18n';
import { showHealth } from './health';
import { computedRedirect, pasteApplies, redirectProblem } from './redirect';
import { keepOrder, renderScopes, tickedScopes } from './scope-list';
import { newStoreKey } from './store-key';

type StatusKind = 'ok' | 'error' | 'pending';

/** What an open dialog holds until it closes: its comms subscription. */
interface OpenDialog {
  topic: string;
  handler: (topic: string, data: unknown) => void;
}

const open = new WeakMap<NodeRedEditor.EditorNode, OpenDialog>();

/** The status line under the buttons; provider data (display names) is shown as text, never as HTML. */
function show(kind: StatusKind, text: string): void {
  $('#node-config-tunewire-status')
    .removeClass('tunewire-ok tunewire-error tunewire-pending')
    .addClass('tunewire-' + kind)
    .text(text);
}

function showEvent(ev: AccountStatus | undefined): void {
  if (!ev) return;
  if (ev.ok === false) show('error', ev.error || accountText('status.failed'));
  else if (ev.state === 'authorized') {
    let text = accountText('status.authorizedAs', { name: ev.displayName || '?' });
    // Authorize Access repaired a damaged token file: say so, and what became of the old one.
    if (ev.damagedFileKeptAs) text += '. ' + accountText('status.repaired', { file: ev.damagedFileKeptAs });
    show('ok', text);
  } else if (ev.state === 'authorize_again') show('error', accountText('status.authorizeAgain'));
  else show('pending', accountText('status.notAuthorized'));
}

function failure(err: unknown): string {
  return (err instanceof AdminError && err.error) || accountText('status.failed');
}

function post<T>(path: string, body: unknown): Promise<T> {
  return postJson<T>('tunewire/' + path, body);
}

function inputText(selector: string): string {
  return String($(selector).val() ?? '');
}

/** oneditprepare: fills the dialog and wires its buttons. */
export function prepare(node: NodeRedEditor.EditorNode): void {
  const $scopes = $('#node-config-tunewire-scopes');
  renderScopes($scopes, typeof node.scopes === 'string' ? node.scopes : undefined);
  let missing: Shortfall[] = [];
  /** The status route's last answer: the health box is checked again against each change of the ticks. */
  let lastStatus: AccountStatus | undefined;
  const renderHealth = (): void => {
    if (lastStatus) missing = showHealth(node.id, lastStatus, tickedScopes($scopes));
  };
  $scopes.on('change', 'input', renderHealth);

  const $key = $('#node-config-input-storeKey');
  if (!node.credentials || (!node.credentials.has_storeKey && !node.credentials.storeKey)) $key.val(newStoreKey());

  const $computed = $('#node-config-tunewire-redirect');
  const $override = $('#node-config-input-redirectUri');
  const effectiveRedirect = (): string => String($override.val() ?? '').trim() || computedRedirect();
  const refreshRedirect = (): void => {
    const uri = effectiveRedirect();
    $computed.text(uri);
    $('#node-config-tunewire-paste-row').toggle(pasteApplies(uri));
    $('#node-config-tunewire-pasted').attr('placeholder', uri + '?code=…');
    const problem = redirectProblem(uri);
    const $warn = $('#node-config-tunewire-redirect-warning');
    if (problem) {
      const port = location.port ? ':' + location.port : '';
      $warn.text(accountText('warn.' + problem, { loopback: 'http://127.0.0.1' + port + '/' })).show();
    } else {
      $warn.hide().text('');
    }
  };
  $override.on('input change', refreshRedirect);
  refreshRedirect();

  $('#node-config-tunewire-copy').on('click', (e) => {
    e.preventDefault();
    const uri = effectiveRedirect();
    const copied = (): void => void RED.notify(accountText('status.copied'), { type: 'success', timeout: 1500 });
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(uri).then(copied, () => undefined);
    } else {
      // Plain HTTP to a non-loopback editor has no clipboard API: the old way still works there.
      const $tmp = $('<textarea>').val(uri).appendTo('body').trigger('select');
      document.execCommand('copy');
      $tmp.remove();
      copied();
    }
  });

  /** The secrets typed in this dialog and not saved yet: the runtime needs them to authorize. */
  const secretsForRequest = (body: Record<string, unknown>): Record<string, unknown> => {
    const secret = inputText('#node-config-input-clientSecret');
    if (secret !== KEEP_SECRET) body.clientSecret = secret;
    const key = String($key.val() ?? '');
    if (key && key !== KEEP_SECRET) body.storeKey = key;
    return body;
  };

  const refreshHealth = (): Promise<void> =>
    post<AccountStatus>('status', secretsForRequest({ accountId: node.id })).then(
      (ev) => {
        showEvent(ev);
        lastStatus = ev;
        renderHealth();
      },
      (err: unknown) => show('error', failure(err)),
    );

  const handler = (_topic: string, data: unknown): void => {
    const ev = data as AccountStatus | undefined;
    showEvent(ev);
    if (ev && ev.ok !== false) void refreshHealth();
  };
  const topic = authTopic(node.id);
  RED.comms.subscribe(topic, handler);
  open.set(node, { topic, handler });

  void refreshHealth();

  $('#node-config-tunewire-add-missing').on('click', (e) => {
    e.preventDefault();
    for (const need of missing) {
      if (!need.ticked) $scopes.find('input[value="' + need.scopes[0] + '"]').prop('checked', true);
    }
    $('#node-config-tunewire-authorize').trigger('click');
  });

  $('#node-config-tunewire-authorize').on('click', (e) => {
    e.preventDefault();
    // Opened now, inside the click, or a popup blocker eats it; pointed at Spotify once the POST answers.
    const popup = window.open('', 'tunewire-authorize', 'width=520,height=720');
    // A window left open by an earlier attempt is reused by name: bring it to the front.
    popup?.focus();
    show('pending', accountText('status.waiting'));
    post<{ authorizeUrl: string }>(
      'authorize',
      secretsForRequest({
        accountId: node.id,
        clientId: inputText('#node-config-input-clientId').trim(),
        scopes: tickedScopes($scopes),
        redirectUri: effectiveRedirect(),
      }),
    ).then(
      (res) => {
        if (popup && !popup.closed) popup.location = res.authorizeUrl;
        else show('error', accountText('status.popupBlocked'));
        $('#node-config-tunewire-open-link').attr('href', res.authorizeUrl).show();
      },
      (err: unknown) => {
        popup?.close();
        show('error', failure(err));
      },
    );
  });

  $('#node-config-tunewire-clear').on('click', (e) => {
    e.preventDefault();
    // Asked first, as Node-RED asks before it deletes: the flows stop working until Authorize Access again.
    const confirm = RED.notify(accountText('confirm.clear'), {
      modal: true,
      fixed: true,
      type: 'warning',
      buttons: [
        { text: RED._('common.label.cancel'), click: () => confirm.close() },
        {
          text: accountText('label.clear'),
          class: 'primary',
          id: 'node-config-tunewire-clear-confirm',
          click: () => {
            confirm.close();
            post<AccountStatus>('clear', { accountId: node.id }).then(
              (ev) => {
                showEvent(ev);
                void refreshHealth();
              },
              (err: unknown) => show('error', failure(err)),
            );
          },
        },
      ],
    });
  });

  $('#node-config-tunewire-complete').on('click', (e) => {
    e.preventDefault();
    post<AccountStatus>('authorize/complete', { url: inputText('#node-config-tunewire-pasted').trim() }).then(
      (ev) => {
        $('#node-config-tunewire-pasted').val('');
        showEvent(ev);
      },
      (err: unknown) => show('error', failure(err)),
    );
  });
}

/** oneditsave: keeps the ticked scopes (in their stored order) and ends the dialog's subscription. */
export function save(node: NodeRedEditor.EditorNode): void {
  node.scopes = keepOrder(typeof node.scopes === 'string' ? node.scopes : undefined, tickedScopes($('#node-config-tunewire-scopes')));
  close(node);
}

/**
 * oneditcancel and oneditdelete: ends the dialog's comms subscription. (The dialog's Delete button calls
 * oneditdelete, not oneditcancel: without it the subscription outlived the node, and a late authorization event
 * for it was shown in whichever account dialog was open next.)
 */
export function close(node: NodeRedEditor.EditorNode): void {
  const dialog = open.get(node);
  if (dialog) RED.comms.unsubscribe(dialog.topic, dialog.handler);
  open.delete(node);
}
