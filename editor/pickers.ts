// The pack's "from list" pickers, in the manner of n8n's resource locator: a node field keeps its typed input
// (msg, flow, global, env, …) and gains a "from list" type whose value is a Spotify ID (a URI for fields that take
// several kinds). Its button opens a searchable list fed by the account the node uses: the user's playlists (only
// the ones the user may change, for the write nodes), the Spotify Connect devices, or a catalog search. Pasted
// links, URIs and IDs are accepted too and kept as the ID. Lists come from the runtime (POST tunewire/pick/…).
import { PICKED_TYPE } from '../nodes/node-red/field-spec';
import { undeployedStoreKey } from './account-key';
import { AdminError, postJson } from './admin-api';
import { accountText } from './i18n';
import { MESSAGE_OR_TEXT, TEXT, labelTypedInput } from './typed-fields';

const ID = /^[0-9A-Za-z]{22}$/;
const URI = /^spotify:([a-z]+):([0-9A-Za-z]{22})$/;
const LINK =
  /^(?:https?:\/\/)?(?:open|play)\.spotify\.com\/(?:intl-[a-z]{2}(?:[-_][a-z]{2,4})?\/)?([a-z]+)\/([0-9A-Za-z]{22})(?:[/?#].*)?$/i;

/** How long typing may pause before the catalog is searched: one request per burst of keys, not per key. */
const SEARCH_DELAY_MS = 300;

export type PickerKind = 'playlist' | 'device' | 'item';

export interface PickerOptions {
  /** The other typed-input types, in menu order after "from list"; the first is a new node's. */
  types: readonly string[];
  kind: PickerKind;
  /** Playlists the user may change only (the write nodes). */
  writable?: boolean;
  /** For items: 'track', 'album', 'artist' or several of them separated by commas; null when the field cannot pick now. */
  searchType?: () => string | null;
  /** Store spotify:type:id rather than the ID. */
  keepUri?: boolean;
}

/** A row of a picker's list, as the runtime's pick routes answer. */
interface PickItem {
  id: string;
  name: string;
  type?: string;
  /** Playlists: owner and size. */
  owner?: string;
  size?: number;
  /** Devices: active or not. */
  active?: boolean;
  /** Catalog items: artists or owner. */
  by?: string;
}

interface PickAnswer {
  items?: PickItem[];
  /** Why the list is empty, in the user's terms. */
  message?: string;
}

/** A pasted link or URI as the ID (or as the URI when the field keeps URIs); anything else unchanged. */
export function normalise(value: string, keepUri?: boolean): string {
  const v = value.trim();
  const m = URI.exec(v) ?? LINK.exec(v);
  if (!m) return v;
  return keepUri ? 'spotify:' + m[1].toLowerCase() + ':' + m[2] : m[2];
}

function isReference(value: string): boolean {
  const v = value.trim();
  return ID.test(v) || URI.test(v) || LINK.test(v);
}

function accountRequest(accountId: string): Record<string, unknown> {
  const account = RED.nodes.node(accountId);
  const body: Record<string, unknown> = { accountId, clientId: account?.clientId || '' };
  const storeKey = undeployedStoreKey(accountId);
  if (storeKey) body.storeKey = storeKey;
  return body;
}

function rowText(kind: PickerKind, item: PickItem, multiType: boolean): string {
  if (kind === 'playlist') {
    const size = typeof item.size === 'number' ? accountText('picker.items', { count: item.size }) : '';
    return [item.owner, size].filter(Boolean).join(' · ');
  }
  if (kind === 'device') return String(item.type) + (item.active ? ' · ' + accountText('picker.active') : '');
  // Several types in one list (play): say which each is.
  return [item.by, multiType ? accountText('picker.types.' + String(item.type)) : ''].filter(Boolean).join(' · ');
}

/**
 * Makes the dialog field `name` a typed input with a picker: its value in #node-input-<name>, its type in the
 * hidden #node-input-<name>Type, the picked item's name in the hidden #node-input-<name>Name (the node's
 * `<name>Name`, which its label shows).
 */
export function pickerField(name: string, opts: PickerOptions): void {
  const $input = $('#node-input-' + name);
  const $name = $('#node-input-' + name + 'Name');
  let picked = String($input.val() ?? '');
  const expand = Object.assign(
    function (this: NodeRedEditor.TypedInputWidget): void {
      open(this);
    },
    // Node-RED shows its expand button for a type with `expand`; as a function it lets the picker own the panel.
    { icon: 'fa-list' },
  );
  const pickType: NodeRedEditor.TypedInputType = {
    value: PICKED_TYPE,
    label: accountText('picker.fromList'),
    icon: 'fa fa-spotify',
    expand,
  };
  $input.typedInput({ default: opts.types[0], typeField: '#node-input-' + name + 'Type', types: [pickType, ...opts.types] });
  labelTypedInput(name);
  let lastType = $input.typedInput('type');
  $input.on('change', () => {
    // Switched here from msg/flow/…: a property name is not an ID; start empty rather than keep it.
    const switched = lastType !== $input.typedInput('type');
    lastType = $input.typedInput('type');
    if (switched && lastType === PICKED_TYPE && opts.kind !== 'device' && !isReference($input.typedInput('value'))) {
      $input.typedInput('value', '');
    }
    if ($input.typedInput('type') !== PICKED_TYPE) return;
    const value = $input.typedInput('value');
    const clean = opts.kind === 'device' ? value.trim() : normalise(value, opts.keepUri);
    if (clean !== value) $input.typedInput('value', clean);
    // Typed by hand: the remembered name no longer describes it.
    if (clean !== picked) $name.val('');
  });

  function open(widget: NodeRedEditor.TypedInputWidget): void {
    const container = $('<div class="tunewire-picker" style="padding:6px; min-width:320px"></div>');
    const $filter = $('<input type="text" class="tunewire-picker-filter" style="width:100%; box-sizing:border-box">').appendTo(container);
    const $status = $(
      '<div class="tunewire-picker-status" style="padding:6px 2px; color:var(--red-ui-secondary-text-color, #777)"></div>',
    ).appendTo(container);
    const $list = $(
      '<ul class="tunewire-picker-list" style="list-style:none; margin:0; padding:0; max-height:260px; overflow-y:auto"></ul>',
    ).appendTo(container);
    const panel = RED.popover.panel(container);
    let items: PickItem[] = [];
    let searchTimer: number | undefined;
    let searchSeq = 0;
    const searchType = opts.kind === 'item' && opts.searchType ? opts.searchType() : null;
    const multiType = !!searchType && searchType.includes(',');

    $filter.attr('placeholder', opts.kind === 'item' ? accountText('picker.searchCatalog') : accountText('picker.search'));

    const say = (text: string | undefined): void => {
      $status.text(text || '').toggle(!!text);
    };

    const filterText = (): string => String($filter.val() ?? '');

    const render = (): void => {
      const q = filterText().trim().toLowerCase();
      const shown =
        opts.kind === 'item'
          ? items
          : items.filter((it) => !q || it.name.toLowerCase().includes(q) || rowText(opts.kind, it, false).toLowerCase().includes(q));
      $list.empty();
      for (const it of shown) {
        const $li = $(
          '<li class="tunewire-picker-item" tabindex="0" style="padding:4px 6px; cursor:pointer; border-radius:2px"></li>',
        ).attr('data-id', it.id);
        $('<div class="tunewire-picker-name" style="font-weight:500"></div>').text(it.name).appendTo($li);
        $('<div class="tunewire-picker-detail" style="font-size:0.85em; color:var(--red-ui-secondary-text-color, #777)"></div>')
          .text(rowText(opts.kind, it, multiType))
          .appendTo($li);
        $li
          .on('mouseenter', () => {
            $li.css('background', 'var(--red-ui-list-item-background-hover, #eee)');
          })
          .on('mouseleave', () => {
            $li.css('background', '');
          })
          .on('click keydown', (evt) => {
            if (evt.type === 'keydown' && evt.key !== 'Enter') return;
            choose(it);
          });
        $li.appendTo($list);
      }
      if (items.length && !shown.length) say(accountText('picker.noMatch'));
      else if (items.length) say('');
    };

    const choose = (it: PickItem): void => {
      const value = opts.keepUri && it.type ? 'spotify:' + it.type + ':' + it.id : it.id;
      picked = value;
      $input.typedInput('value', value);
      $name.val(it.name);
      $input.trigger('change');
      panel.hide();
    };

    const failed = (err: unknown): void => {
      items = [];
      render();
      say((err instanceof AdminError && err.error) || accountText('picker.failed'));
    };

    const answered = (res: PickAnswer | undefined): void => {
      items = res?.items ?? [];
      render();
      if (!items.length) say(res?.message);
    };

    const accountId = String($('#node-input-account').val() ?? '');
    if (!accountId || accountId === '_ADD_') {
      say(accountText('picker.noAccount'));
    } else if (opts.kind === 'item') {
      say(searchType ? accountText('picker.typeToSearch') : accountText('picker.noSearch'));
      $filter.on('input', () => {
        clearTimeout(searchTimer);
        const q = filterText().trim();
        if (!q || !searchType) {
          items = [];
          render();
          say(searchType ? accountText('picker.typeToSearch') : accountText('picker.noSearch'));
          return;
        }
        searchTimer = window.setTimeout(() => {
          const seq = ++searchSeq;
          say(accountText('picker.loading'));
          const body = { ...accountRequest(accountId), q, type: searchType };
          postJson<PickAnswer>('tunewire/pick/search', body).then(
            (res) => {
              if (seq === searchSeq) answered(res);
            },
            (err: unknown) => {
              if (seq === searchSeq) failed(err);
            },
          );
        }, SEARCH_DELAY_MS);
      });
    } else {
      say(accountText('picker.loading'));
      const body = accountRequest(accountId);
      if (opts.kind === 'playlist') body.writable = !!opts.writable;
      postJson<PickAnswer>(opts.kind === 'playlist' ? 'tunewire/pick/playlists' : 'tunewire/pick/devices', body).then(answered, failed);
      $filter.on('input', render);
    }

    panel.container.css({ minWidth: '320px', width: Math.max(320, widget.elementDiv.width() || 0) + 'px' });
    panel.show({
      target: widget.optionExpandButton,
      align: 'left',
      onclose: () => {
        clearTimeout(searchTimer);
      },
    });
    setTimeout(() => {
      $filter.trigger('focus');
    }, 0);
  }
}

/** The playlist field of the playlist nodes: a message property by default, or picked among the user's playlists. */
export function playlistField(opts: { writable: boolean }): void {
  pickerField('playlist', { types: MESSAGE_OR_TEXT, kind: 'playlist', writable: opts.writable });
}

/** The device field of the player nodes: the active device when empty, or one picked among the user's. */
export function deviceField(): void {
  pickerField('device', { types: TEXT, kind: 'device' });
}
