// The line beside Account in every Spotify node's dialog: how the picked account stands ("authorized as …",
// "not authorized", "authorize again", a scope this node needs and the account lacks).
import { accountsFor, onlyAccount } from './account-default';
import { undeployedStoreKey } from './account-key';
import { lineFor, type AccountStatus } from './account-status';
import { AdminError, postJson } from './admin-api';
import { accountText } from './i18n';

/** Adds the line under the dialog's Account field and keeps it current while another account is picked. */
export function attachAccountLine(node: NodeRedEditor.EditorNode): void {
  const $input = $('#node-input-account');
  if (!$input.length) return;
  const $line = $('<div class="form-tips tunewire-account-state" role="status"></div>').css({
    margin: '4px 0 0 104px',
    padding: '2px 8px',
    width: 'auto',
  });
  $input.closest('.form-row').append($line);
  let asked = 0;
  const update = (): void => {
    const id = String($input.val() ?? '');
    const mine = ++asked;
    if (!id || id === '_ADD_') {
      $line.text(accountText('state.noAccount'));
      return;
    }
    const storeKey = undeployedStoreKey(id);
    postJson<AccountStatus>('tunewire/status', storeKey ? { accountId: id, storeKey } : { accountId: id })
      // An error answer still says how the account stands when it carries a status ({ ok: false, … }).
      .catch((err: unknown) => (err instanceof AdminError ? (err.body as AccountStatus | undefined) : undefined))
      .then((ev) => {
        if (mine !== asked) return; // an answer for an account no longer selected
        const line = lineFor(ev, node.type);
        $line.text(line.text).attr('data-kind', line.kind); // provider data as text, never HTML
        $line.css('color', line.kind === 'error' ? 'var(--red-ui-text-color-error, #c00)' : '');
      })
      .catch(() => undefined);
  };
  // An empty Account field (a node added before its account, or imported without one): the only account is the
  // one to use; with none there is nothing to pick, so the account dialog opens straight away, as the + next to
  // Account would open it. With several the user chooses.
  const only = node.account ? '' : onlyAccount(node.z);
  if (only) $input.val(only);
  $input.on('change', update);
  update();
  if (!node.account && accountsFor(node.z).length === 0) addAccountWhenShown($input);
}

/**
 * Waits until the node's tray has slid fully in (a tray stacked on one still moving lands in the wrong place),
 * then clicks the editor's own "add new" button beside Account: 4.x and later "+", 3.x the pencil.
 */
function addAccountWhenShown($input: JQuery): void {
  let tries = 0;
  const wait = (): void => {
    const $tray = $input.closest('.red-ui-tray');
    let $add = $('#node-input-btn-account-add');
    if (!$add.length) $add = $('#node-input-lookup-account');
    const top = $('#red-ui-editor-stack > .red-ui-tray').last()[0];
    const ready =
      $tray.length > 0 && $add.length > 0 && document.body.contains($tray[0]) && top === $tray[0] && $tray.css('right') === '0px';
    if (ready && $input.val() === '_ADD_') $add.trigger('click');
    else if (!ready && ++tries < 200) setTimeout(wait, 50);
  };
  wait();
}
