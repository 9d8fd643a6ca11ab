/*
 * The pack's editor pickers, in the manner of n8n's resource locator: a node field keeps its typed input
 * (msg, flow, global, env, …) and gains a "from list" type whose value is a Spotify ID (a URI for fields that
 * take several kinds). Its button opens a searchable list fed by the account the node uses: the user's
 * playlists (only the ones the user may change, for the write nodes), the Spotify Connect devices, or a
 * catalog search. Pasted links, URIs and IDs are accepted too and kept as the ID.
 *
 * Served once by Node-RED from the package's resources/ folder and loaded by the account node's editor file.
 * Lists come from the runtime (POST tunewire/pick/…): the editor never talks to Spotify.
 */
(function () {
  'use strict';
  if (window.TunewirePickers) return;

  var TYPE = 'spotify-id';
  var ID = /^[0-9A-Za-z]{22}$/;
  var URI = /^spotify:([a-z]+):([0-9A-Za-z]{22})$/;
  var LINK =
    /^(?:https?:\/\/)?(?:open|play)\.spotify\.com\/(?:intl-[a-z]{2}(?:[-_][a-z]{2,4})?\/)?([a-z]+)\/([0-9A-Za-z]{22})(?:[/?#].*)?$/i;

  function t(key, vars) {
    var def = RED.nodes.getType('spotify-account');
    return def && def._ ? def._('spotify-account.picker.' + key, vars) : key;
  }

  /** A pasted link or URI as the ID (or as the URI when the field keeps URIs); anything else unchanged. */
  function normalise(value, keepUri) {
    var v = String(value || '').trim();
    var m = v.match(URI) || v.match(LINK);
    if (!m) return v;
    return keepUri ? 'spotify:' + m[1].toLowerCase() + ':' + m[2] : m[2];
  }

  function isReference(value) {
    var v = String(value || '').trim();
    return ID.test(v) || URI.test(v) || LINK.test(v);
  }

  function accountRequest(accountId) {
    var account = RED.nodes.node(accountId);
    var body = { accountId: accountId, clientId: (account && account.clientId) || '' };
    // A store key the dialog generated and that was not deployed yet: the runtime does not know it.
    var creds = account && account.credentials;
    if (creds && typeof creds.storeKey === 'string' && creds.storeKey && creds.storeKey !== '__PWRD__') body.storeKey = creds.storeKey;
    return body;
  }

  function post(path, body) {
    return $.ajax({
      url: 'tunewire/pick/' + path,
      type: 'POST',
      contentType: 'application/json',
      data: JSON.stringify(body),
      dataType: 'json',
    });
  }

  function rowText(kind, item, multiType) {
    if (kind === 'playlist') {
      var size = typeof item.size === 'number' ? t('items', { count: item.size }) : '';
      return [item.owner, size].filter(Boolean).join(' · ');
    }
    if (kind === 'device') return item.type + (item.active ? ' · ' + t('active') : '');
    // Several types in one list (play): say which each is.
    return [item.by, multiType ? t('types.' + item.type) : ''].filter(Boolean).join(' · ');
  }

  /**
   * Adds the picker to a typed input.
   * opts: input (selector), typeField (selector), types (the other typed-input types), default,
   *       kind ('playlist' | 'device' | 'item'), writable (playlists the user may change only),
   *       searchType (function returning 'track', 'album', 'artist' or several of them separated by commas,
   *       or null when the field cannot pick now),
   *       keepUri (store spotify:type:id), nameField (selector of the hidden input keeping the picked name),
   *       account (selector of the account field, default #node-input-account).
   */
  function attach(opts) {
    var $input = $(opts.input);
    var $name = opts.nameField ? $(opts.nameField) : $();
    var accountField = opts.account || '#node-input-account';
    var picked = $input.val();
    var lastType;
    var pickType = {
      value: TYPE,
      label: t('fromList'),
      icon: 'fa fa-spotify',
      // Node-RED shows its expand button for a type with `expand`; as a function it lets us own the panel.
      expand: function () {
        open(this);
      },
    };
    pickType.expand.icon = 'fa-list';
    var types = [pickType].concat(opts.types);
    $input.typedInput({ default: opts.default, typeField: opts.typeField, types: types });
    lastType = $input.typedInput('type');
    $input.on('change', function () {
      // Switched here from msg/flow/…: a property name is not an ID; start empty rather than keep it.
      var switched = lastType !== $input.typedInput('type');
      lastType = $input.typedInput('type');
      if (switched && lastType === TYPE && opts.kind !== 'device' && !isReference($input.typedInput('value'))) {
        $input.typedInput('value', '');
      }
      if ($input.typedInput('type') !== TYPE) return;
      var value = $input.typedInput('value');
      var clean = opts.kind === 'device' ? value.trim() : normalise(value, opts.keepUri);
      if (clean !== value) $input.typedInput('value', clean);
      // Typed by hand: the remembered name no longer describes it.
      if (clean !== picked) $name.val('');
    });

    function open(widget) {
      var container = $('<div class="tunewire-picker" style="padding:6px; min-width:320px"></div>');
      var $filter = $('<input type="text" class="tunewire-picker-filter" style="width:100%; box-sizing:border-box">').appendTo(container);
      var $status = $(
        '<div class="tunewire-picker-status" style="padding:6px 2px; color:var(--red-ui-secondary-text-color, #777)"></div>',
      ).appendTo(container);
      var $list = $(
        '<ul class="tunewire-picker-list" style="list-style:none; margin:0; padding:0; max-height:260px; overflow-y:auto"></ul>',
      ).appendTo(container);
      var panel = RED.popover.panel(container);
      var items = [];
      var searchTimer;
      var searchSeq = 0;
      var searchType = opts.kind === 'item' && opts.searchType ? opts.searchType() : null;
      var multiType = !!searchType && searchType.indexOf(',') !== -1;

      $filter.attr('placeholder', opts.kind === 'item' ? t('searchCatalog') : t('search'));

      function say(text) {
        $status.text(text || '').toggle(!!text);
      }

      function render() {
        var q = $filter.val().trim().toLowerCase();
        var shown =
          opts.kind === 'item'
            ? items
            : items.filter(function (it) {
                return !q || it.name.toLowerCase().indexOf(q) !== -1 || rowText(opts.kind, it, false).toLowerCase().indexOf(q) !== -1;
              });
        $list.empty();
        shown.forEach(function (it) {
          var $li = $(
            '<li class="tunewire-picker-item" tabindex="0" style="padding:4px 6px; cursor:pointer; border-radius:2px"></li>',
          ).attr('data-id', it.id);
          $('<div class="tunewire-picker-name" style="font-weight:500"></div>').text(it.name).appendTo($li);
          $('<div class="tunewire-picker-detail" style="font-size:0.85em; color:var(--red-ui-secondary-text-color, #777)"></div>')
            .text(rowText(opts.kind, it, multiType))
            .appendTo($li);
          $li
            .on('mouseenter', function () {
              $li.css('background', 'var(--red-ui-list-item-background-hover, #eee)');
            })
            .on('mouseleave', function () {
              $li.css('background', '');
            })
            .on('click keydown', function (evt) {
              if (evt.type === 'keydown' && evt.key !== 'Enter') return;
              choose(it);
            });
          $li.appendTo($list);
        });
        if (items.length && !shown.length) say(t('noMatch'));
        else if (items.length) say('');
      }

      function choose(it) {
        var value = opts.keepUri && it.type ? 'spotify:' + it.type + ':' + it.id : it.id;
        picked = value;
        $input.typedInput('value', value);
        $name.val(it.name);
        $input.trigger('change');
        panel.hide();
      }

      function failed(xhr) {
        items = [];
        render();
        say((xhr && xhr.responseJSON && xhr.responseJSON.error) || t('failed'));
      }

      function answered(res) {
        items = (res && res.items) || [];
        render();
        if (!items.length) say(res && res.message);
      }

      var accountId = $(accountField).val();
      if (!accountId || accountId === '_ADD_') {
        say(t('noAccount'));
      } else if (opts.kind === 'item') {
        if (!searchType) say(t('noSearch'));
        else say(t('typeToSearch'));
        $filter.on('input', function () {
          clearTimeout(searchTimer);
          var q = $filter.val().trim();
          if (!q || !searchType) {
            items = [];
            render();
            say(searchType ? t('typeToSearch') : t('noSearch'));
            return;
          }
          searchTimer = setTimeout(function () {
            var seq = ++searchSeq;
            say(t('loading'));
            var body = accountRequest(accountId);
            body.q = q;
            body.type = searchType;
            post('search', body).then(
              function (res) {
                if (seq !== searchSeq) return;
                answered(res);
              },
              function (xhr) {
                if (seq === searchSeq) failed(xhr);
              },
            );
          }, 300);
        });
      } else {
        say(t('loading'));
        var body = accountRequest(accountId);
        if (opts.kind === 'playlist') body.writable = !!opts.writable;
        post(opts.kind === 'playlist' ? 'playlists' : 'devices', body).then(answered, failed);
        $filter.on('input', render);
      }

      panel.container.css({ minWidth: '320px', width: Math.max(320, widget.elementDiv.width() || 0) + 'px' });
      panel.show({
        target: widget.optionExpandButton,
        align: 'left',
        onclose: function () {
          clearTimeout(searchTimer);
        },
      });
      setTimeout(function () {
        $filter.trigger('focus');
      }, 0);
    }
  }

  /** What an unnamed node's label shows: "add tracks → Road trip" once something was picked. */
  function label(base, type, name) {
    return type === TYPE && name ? base + ' → ' + name : base;
  }

  window.TunewirePickers = { TYPE: TYPE, attach: attach, label: label, normalise: normalise };
})();
