// The pack's pickers, in the manner of n8n's resource locator: a playlist, device or item field keeps its typed
// input (msg, flow, global, env, …) and gains a "from list" type, which a field that no wire feeds opens in. Its
// value is a Spotify ID (a URI for fields that take several kinds), shown by the picked item's name (the ID in its
// tooltip); a click opens a searchable list fed by the account the node uses: the user's playlists (only the ones
// the user may change, for the write nodes), the Spotify Connect devices, or the user's playlists then a catalog
// search. A link, URI or ID pasted into the list's search box is taken too. Playlist fields also offer "by name",
// resolved at run time (nodes/node-red/playlist-target.ts). Lists come from the runtime (POST tunewire/pick/…).
// Pickers come first in a new node: its first empty pick opens its list as the dialog opens, and a pick opens the
// next empty one (play: what, then on which device), so building a flow takes clicks, not trips through menus.
import { PICKED_TYPE } from '../nodes/node-red/field-spec';
import { idOf, isReference, normalise, opensInPicker, type PickerKind } from '../nodes/node-red/picker-rules';
import { PLAYLIST_NAME_TYPE } from '../nodes/spotify/playlist-name-rules';
import { undeployedStoreKey } from './account-key';
import { AdminError, postJson, wordsOf } from './admin-api';
import { accountText, routeText } from './i18n';
import { MESSAGE_OR_TEXT, TEXT, labelTypedInput } from './typed-fields';

export type { PickerKind };

/** How long typing may pause before the catalog is searched: one request per burst of keys, not per key. */
const SEARCH_DELAY_MS = 300;

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
  /** Playlist fields the runtime resolves by name: offer "by name" after "from list". */
  byName?: boolean;
  /** Items: the user's own playlists (matching the search text) come before the catalog's results. */
  ownPlaylists?: boolean;
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
  /** The message by its catalog key, said in the editor's language (routeText). */
  words?: unknown;
  /** A missing scope by Spotify's name, which the account dialog shows beside its words. */
  scope?: string;
  /** With a missing scope: each unmet entry as its alternatives. */
  unmet?: unknown;
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
  return [item.by, multiType && item.type ? accountText('picker.types.' + item.type) : ''].filter(Boolean).join(' · ');
}

/** A dialog's picker fields, in form order: fresh ones (a new node's, opened in "from list") open by themselves. */
interface DialogPicker {
  kind: PickerKind;
  fresh: boolean;
  isEmpty(): boolean;
  open(): void;
}

/** The picker fields of each open dialog, by its form (a dialog opened again builds a new form). */
const dialogPickers = new WeakMap<HTMLElement, DialogPicker[]>();

/** Frames the dialog may take to slide in before a list opens anyway (the tray's slide takes about 25). */
const SETTLE_MAX_FRAMES = 120;
/** Frames an element must stand still to count as settled. */
const SETTLE_FRAMES = 3;

/** Calls `then(true)` once the element stands still on screen (the tray has slid in), so a list opens beside it;
 *  `then(false)` when it never does within SETTLE_MAX_FRAMES. */
function whenSettled(el: HTMLElement, then: (settled: boolean) => void): void {
  let last = NaN;
  let still = 0;
  let frames = 0;
  const step = (): void => {
    if (!el.isConnected) return;
    if (++frames > SETTLE_MAX_FRAMES) return then(false);
    const box = el.getBoundingClientRect();
    const onScreen = box.width > 0 && box.right <= window.innerWidth && box.left >= 0;
    still = onScreen && box.left === last ? still + 1 : 0;
    last = box.left;
    if (still >= SETTLE_FRAMES) then(true);
    else requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

/** The first fresh pick still empty after `from` (-1: from the start); devices only after a pick (empty is fine). */
function nextFresh(list: DialogPicker[], from: number): DialogPicker | undefined {
  return list.slice(from + 1).find((p) => p.fresh && p.isEmpty() && (from >= 0 || p.kind !== 'device'));
}

/** The node's incoming wires' sources, for opensInPicker. */
function wireSources(node: NodeRedEditor.EditorNode): { type: string; payloadType?: unknown }[] {
  return RED.nodes.filterLinks({ target: node }).map((l) => ({ type: l.source.type, payloadType: l.source.payloadType }));
}

/**
 * Makes the dialog field `name` a typed input with a picker: its value in #node-input-<name>, its type in the
 * hidden #node-input-<name>Type, the picked item's name in the hidden #node-input-<name>Name (the node's
 * `<name>Name`, which its label and the field show).
 */
export function pickerField(node: NodeRedEditor.EditorNode, name: string, opts: PickerOptions): void {
  const $input = $('#node-input-' + name);
  const $name = $('#node-input-' + name + 'Name');
  let picked = String($input.val() ?? '');
  const expand = Object.assign(
    function (this: NodeRedEditor.TypedInputWidget): void {
      openFor(this);
    },
    // Node-RED shows its expand button for a type with `expand`; as a function it lets the picker own the panel.
    { icon: 'fa-list' },
  );
  const pickType: NodeRedEditor.TypedInputType = {
    value: PICKED_TYPE,
    label: accountText('picker.fromList'),
    icon: 'fa fa-spotify',
    expand,
    // The pick is shown by its name, the ID in the tooltip; a click on it opens the list.
    valueLabel: function (this: NodeRedEditor.TypedInputWidget, container: JQuery, value: string): void {
      const open = (): void => openFor(this);
      const shown = String($name.val() ?? '');
      const $label = $('<span class="tunewire-picked"></span>')
        .css({
          display: 'inline-block',
          padding: '0 6px',
          lineHeight: '32px',
          whiteSpace: 'nowrap',
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          maxWidth: '100%',
        })
        .appendTo(container);
      if (value === '') {
        $label.text(accountText(opts.kind === 'device' ? 'picker.activeDevice' : 'picker.choose')).addClass('tunewire-picked-empty');
        $label.css('color', 'var(--red-ui-secondary-text-color, #777)');
      } else {
        $label.text(shown || value).attr('title', value);
      }
      container.css('cursor', 'pointer').off('click.tunewire').on('click.tunewire', open);
    },
  };
  const types: (string | NodeRedEditor.TypedInputType)[] = [pickType];
  if (opts.byName) types.push({ value: PLAYLIST_NAME_TYPE, label: accountText('picker.byName'), icon: 'fa fa-font' });
  types.push(...opts.types);
  $input.typedInput({ default: opts.types[0], typeField: '#node-input-' + name + 'Type', types });
  labelTypedInput(name);
  const defaults = node._def.defaults;
  const fresh = opensInPicker(
    {
      value: node[name],
      type: node[name + 'Type'],
      defaultValue: defaults[name]?.value,
      defaultType: defaults[name + 'Type']?.value,
    },
    wireSources(node),
  );
  if (fresh) {
    $input.typedInput('type', PICKED_TYPE);
    $input.typedInput('value', ''); // the default msg property is no pick
  }
  const form = $input.closest('form')[0] ?? document.body;
  const siblings = dialogPickers.get(form) ?? [];
  dialogPickers.set(form, siblings);
  const self: DialogPicker = {
    kind: opts.kind,
    fresh,
    isEmpty: () => $input.typedInput('type') === PICKED_TYPE && String($input.typedInput('value')).trim() === '',
    open: () => {
      const widget = $input.typedInput('instance');
      if (widget && $input.typedInput('type') === PICKED_TYPE) openFor(widget);
    },
  };
  siblings.push(self);
  if (siblings.length === 1) {
    // Once every field of the dialog is built: the first fresh pick opens as soon as the dialog stands still.
    setTimeout(() => {
      const first = nextFresh(siblings, -1);
      const anchor = $input.next('.red-ui-typedInput-container')[0] ?? $input[0];
      // Not over a list the user opened already (a quick click on the field), nor once something is picked.
      const userOpened = (): boolean => $('.tunewire-picker:visible').length > 0;
      // Said on the form once decided (data-tunewire-pickers="settled"), so a test knows the dialog is done moving.
      const decided = (): void => {
        form.dataset.tunewirePickers = 'settled';
      };
      if (!first || !anchor) return decided();
      whenSettled(anchor, (settled) => {
        if (settled && first.isEmpty() && !userOpened()) first.open();
        decided();
      });
    }, 0);
  }
  let lastType = $input.typedInput('type');
  $input.on('change', () => {
    // Switched here from msg/flow/…: a property name is not an ID; start empty rather than keep it.
    const before = lastType;
    const switched = lastType !== $input.typedInput('type');
    lastType = $input.typedInput('type');
    if (switched && lastType === PICKED_TYPE && opts.kind !== 'device' && !isReference($input.typedInput('value'))) {
      $input.typedInput('value', '');
    }
    // Switched to "by name": a property name ("playlist" of msg.playlist) or an ID is no playlist's name. A pick
    // keeps its playlist by the name it showed; typed text stays as it is.
    if (switched && lastType === PLAYLIST_NAME_TYPE && before !== 'str') {
      $input.typedInput('value', before === PICKED_TYPE ? String($name.val() ?? '') : '');
    }
    if ($input.typedInput('type') !== PICKED_TYPE) return;
    const value = $input.typedInput('value');
    const clean = opts.kind === 'device' ? value.trim() : normalise(value, opts.keepUri);
    if (clean !== value) $input.typedInput('value', clean);
    // Typed by hand: the remembered name no longer describes it.
    if (clean !== picked) $name.val('');
  });

  function openFor(widget: NodeRedEditor.TypedInputWidget): void {
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

    $filter.attr(
      'placeholder',
      opts.kind === 'item' ? accountText(opts.ownPlaylists ? 'picker.searchMine' : 'picker.searchCatalog') : accountText('picker.search'),
    );

    const say = (text: string | undefined, tooltip?: string): void => {
      $status.text(text || '').toggle(!!text);
      if (tooltip) $status.attr('title', tooltip);
      else $status.removeAttr('title');
    };

    const filterText = (): string => String($filter.val() ?? '');

    /** The user's own playlists, for an item field that offers them before the catalog. */
    let own: PickItem[] = [];

    /** What a pasted link, URI or ID stands for: the listed item with that ID (its name), else the bare ID. */
    const pasted = (q: string): { value: string; name: string; item: PickItem } | undefined => {
      if (opts.kind === 'device' || !isReference(q)) return undefined;
      const value = normalise(q, opts.keepUri);
      const id = idOf(value);
      const known = [...own, ...items].find((it) => it.id === id);
      const name = known?.name ?? '';
      return { value, name, item: { id, name: name || accountText('picker.pasted', { id }), by: id } };
    };

    const row = (it: PickItem, onChoose: () => void): void => {
      const $li = $('<li class="tunewire-picker-item" tabindex="0" style="padding:4px 6px; cursor:pointer; border-radius:2px"></li>').attr(
        'data-id',
        it.id,
      );
      $('<div class="tunewire-picker-name" style="font-weight:500"></div>').text(it.name).appendTo($li);
      $('<div class="tunewire-picker-detail" style="font-size:0.85em; color:var(--red-ui-secondary-text-color, #777)"></div>')
        .text(rowText(opts.kind, it, multiType || it.type === 'playlist'))
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
          onChoose();
        });
      $li.appendTo($list);
    };

    const matches = (it: PickItem, q: string): boolean =>
      !q || it.name.toLowerCase().includes(q) || rowText(opts.kind, it, false).toLowerCase().includes(q);

    const render = (): void => {
      const q = filterText().trim().toLowerCase();
      // Items: the user's own playlists (all of them before anything is typed), then the catalog's results.
      const shown = opts.kind === 'item' ? [...own.filter((it) => matches(it, q)), ...items] : items.filter((it) => matches(it, q));
      $list.empty();
      const paste = pasted(filterText());
      if (paste) row(paste.item, () => choose(paste.value, paste.name));
      for (const it of shown) row(it, () => choose(opts.keepUri && it.type ? 'spotify:' + it.type + ':' + it.id : it.id, it.name));
      if (paste) say('');
      else if ((items.length || own.length) && !shown.length && q) say(accountText('picker.noMatch'));
      else if (shown.length) say('');
    };

    const choose = (value: string, shownName: string): void => {
      picked = value;
      $name.val(shownName); // before the value: the field shows the name as soon as the value is set
      $input.typedInput('value', value);
      $input.trigger('change');
      panel.hide();
      // The next empty pick of a new node (play: on which device) asks at once; a click elsewhere closes it.
      nextFresh(siblings, siblings.indexOf(self))?.open();
    };

    const failed = (err: unknown): void => {
      items = [];
      render();
      say((err instanceof AdminError && (routeText(err.words) ?? err.error)) || accountText('picker.failed'));
    };

    const answered = (res: PickAnswer | undefined): void => {
      items = res?.items ?? [];
      render();
      if (!items.length && !$list.children().length) say(routeText(wordsOf(res), res?.unmet) ?? res?.message, res?.scope);
    };

    const accountId = String($('#node-input-account').val() ?? '');
    if (!accountId || accountId === '_ADD_') {
      say(accountText('picker.noAccount'));
    } else if (opts.kind === 'item') {
      say(searchType ? accountText('picker.typeToSearch') : accountText('picker.noSearch'));
      if (opts.ownPlaylists) {
        // The user's playlists first: "Road Trip" is theirs, and the catalog would not find it.
        postJson<PickAnswer>('tunewire/pick/playlists', { ...accountRequest(accountId), writable: false }).then(
          (res) => {
            own = (res?.items ?? []).map((it) => ({ ...it, type: 'playlist', by: it.owner }));
            render();
          },
          () => undefined, // the catalog still answers; its own failure says why
        );
      }
      $filter.on('input', () => {
        clearTimeout(searchTimer);
        const q = filterText().trim();
        items = [];
        render();
        if (!q || !searchType || isReference(q)) {
          if (!$list.children().length) say(searchType ? accountText('picker.typeToSearch') : accountText('picker.noSearch'));
          return;
        }
        searchTimer = window.setTimeout(() => {
          const seq = ++searchSeq;
          if (!$list.children().length) say(accountText('picker.loading'));
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
export function playlistField(node: NodeRedEditor.EditorNode, opts: { writable: boolean; byName?: boolean }): void {
  pickerField(node, 'playlist', { types: MESSAGE_OR_TEXT, kind: 'playlist', writable: opts.writable, byName: opts.byName !== false });
}

/** The device field of the player nodes: the active device when empty, or one picked among the user's. */
export function deviceField(node: NodeRedEditor.EditorNode): void {
  pickerField(node, 'device', { types: TEXT, kind: 'device' });
}
