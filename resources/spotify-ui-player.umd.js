// The now-playing card's client code for Node-RED Dashboard 2 (widget type spotify-ui-player). Dashboard 2
// loads it from this package's resources/ folder and takes the component from window['spotify-ui-player'].
// Plain JavaScript with Vue's render functions (Dashboard 2 puts its Vue on window.Vue), so no build tool is
// needed. The card only shows what the runtime sends ("spotify-player:<id>" events: plain facts, no token)
// and sends button presses back as Dashboard 2 widget actions; every Spotify request is made by Node-RED.
(function () {
  'use strict';
  var Vue = window.Vue;
  var h = Vue.h;

  var STYLE_ID = 'spotify-ui-player-style';
  var CSS = [
    // The card fills the space Dashboard 2 gives its widget (a fixed number of rows, or its content's height)
    // and never draws outside it: what does not fit scrolls inside the card, and the device list opens over it.
    '.spotify-card{position:relative;display:flex;flex-direction:column;gap:10px;padding:4px 2px;width:100%;height:100%;min-height:0;' +
      'box-sizing:border-box;overflow:hidden auto;}',
    '.spotify-card .sc-top{display:flex;gap:14px;align-items:center;min-width:0;}',
    '.spotify-card .sc-cover{flex:0 0 112px;width:112px;height:112px;border-radius:6px;overflow:hidden;' +
      'background:linear-gradient(135deg,#1db954,#191414);display:flex;align-items:center;justify-content:center;color:#fff;font-size:40px;}',
    '.spotify-card .sc-cover img{width:100%;height:100%;object-fit:cover;display:block;}',
    '.spotify-card .sc-info{min-width:0;display:flex;flex-direction:column;gap:3px;}',
    '.spotify-card .sc-title{font-size:1.15rem;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}',
    '.spotify-card .sc-artists,.spotify-card .sc-album{opacity:.8;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}',
    '.spotify-card .sc-device{opacity:.7;font-size:.85rem;}',
    '.spotify-card .sc-message{font-weight:500;}',
    '.spotify-card .sc-problem{color:rgb(var(--v-theme-error,176,0,32));font-size:.85rem;}',
    '.spotify-card .sc-progress{display:flex;align-items:center;gap:8px;font-size:.8rem;font-variant-numeric:tabular-nums;}',
    '.spotify-card .sc-bar{flex:1;height:4px;border-radius:2px;background:rgba(127,127,127,.3);overflow:hidden;}',
    '.spotify-card .sc-fill{height:100%;background:rgb(var(--v-theme-primary,29,185,84));}',
    '.spotify-card .sc-buttons{display:flex;justify-content:center;align-items:center;gap:6px;}',
    '.spotify-card button{border:none;background:transparent;color:inherit;cursor:pointer;border-radius:50%;' +
      'width:40px;height:40px;font-size:22px;display:inline-flex;align-items:center;justify-content:center;}',
    '.spotify-card button:hover{background:rgba(127,127,127,.15);}',
    '.spotify-card button:disabled{opacity:.35;cursor:default;}',
    '.spotify-card button.sc-on{color:rgb(var(--v-theme-primary,29,185,84));}',
    '.spotify-card button.sc-main{width:52px;height:52px;font-size:30px;background:rgb(var(--v-theme-primary,29,185,84));color:#fff;}',
    '.spotify-card .sc-extra{display:flex;align-items:center;gap:8px;}',
    '.spotify-card .sc-extra input[type=range]{flex:1;min-width:0;accent-color:rgb(var(--v-theme-primary,29,185,84));}',
    '.spotify-card .sc-buttons{flex-wrap:wrap;}',
    '.spotify-card .sc-devices{position:absolute;inset:0;z-index:1;display:flex;flex-direction:column;gap:2px;padding:4px 2px;' +
      'box-sizing:border-box;overflow:hidden auto;background:rgb(var(--v-theme-group-background,255,255,255));}',
    '.spotify-card .sc-devices-head{display:flex;align-items:center;justify-content:space-between;gap:8px;font-weight:600;padding-left:10px;}',
    '.spotify-card .sc-devices button[data-device]{width:100%;height:auto;flex:0 0 auto;border-radius:4px;font-size:.9rem;padding:6px 10px;' +
      'justify-content:flex-start;gap:8px;min-width:0;}',
    '.spotify-card .sc-devices button[data-device] span{min-width:0;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;}',
  ].join('\n');

  function ensureStyle() {
    if (document.getElementById(STYLE_ID)) return;
    var style = document.createElement('style');
    style.id = STYLE_ID;
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function clock(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return m + ':' + (s < 10 ? '0' : '') + s;
  }

  function icon(name) {
    return h('i', { class: 'mdi mdi-' + name, 'aria-hidden': 'true' });
  }

  var REPEAT_ICON = { off: 'repeat-off', context: 'repeat', track: 'repeat-once' };
  var DEVICE_ICON = { Smartphone: 'cellphone', Computer: 'laptop', Speaker: 'speaker', TV: 'television' };

  // The card's words as it shows them before Node-RED sends its own (props.words, in the runtime's language from
  // the node's catalog): English, as the en-US catalog has them.
  var WORDS = {
    connecting: 'Connecting…',
    noActiveDevice: 'No active device',
    openSpotify: 'Open Spotify on a phone, computer or speaker',
    nothingPlaying: 'Nothing playing',
    paused: 'paused',
    shuffle: 'Shuffle',
    previous: 'Previous',
    pause: 'Pause',
    play: 'Play',
    next: 'Next',
    repeat: 'Repeat',
    volume: 'Volume',
    playOnAnother: 'Play on another device',
    noDevices: 'No devices: open Spotify on one',
    lookingForDevices: 'Looking for devices…',
    playOn: 'Play on',
    closeDevices: 'Close the device list',
  };

  var SpotifyUIPlayer = {
    name: 'SpotifyUIPlayer',
    inject: ['$socket'],
    props: {
      id: { type: String, required: true },
      props: {
        type: Object,
        default: function () {
          return {};
        },
      },
      state: {
        type: Object,
        default: function () {
          return {};
        },
      },
    },
    data: function () {
      return { view: null, receivedAt: 0, now: Date.now(), picking: false, coverFailed: '', volume: null };
    },
    computed: {
      event: function () {
        return 'spotify-player:' + this.id;
      },
      item: function () {
        return this.view && this.view.item;
      },
      playing: function () {
        return !!this.view && this.view.mode === 'playing';
      },
      /** Moves on between polls while playing, from the time the view arrived. */
      progress: function () {
        if (!this.view || !this.item) return 0;
        var p = this.view.progress_ms + (this.playing ? Math.max(0, this.now - this.receivedAt) : 0);
        return this.item.duration_ms ? Math.min(p, this.item.duration_ms) : p;
      },
    },
    mounted: function () {
      ensureStyle();
      this.$socket.on(this.event, this.onView);
      this.$socket.on('connect', this.hello);
      this.hello();
      var self = this;
      this.ticker = setInterval(function () {
        self.now = Date.now();
      }, 500);
    },
    unmounted: function () {
      this.$socket.off(this.event, this.onView);
      this.$socket.off('connect', this.hello);
      clearInterval(this.ticker);
    },
    methods: {
      /** A word of the card in the language Node-RED speaks (its props), English until they come. */
      w: function (key) {
        var words = (this.props && this.props.words) || {};
        return typeof words[key] === 'string' ? words[key] : WORDS[key];
      },
      hello: function () {
        this.send('hello');
      },
      onView: function (view) {
        if (!view || typeof view !== 'object') return;
        this.view = view;
        this.receivedAt = Date.now();
        this.now = this.receivedAt;
        if (this.volume === null || !this.dragging) this.volume = view.device ? view.device.volume_percent : null;
      },
      send: function (command, value) {
        this.$socket.emit('widget-action', this.id, { spotifyCard: { command: command, value: value } });
      },
      press: function (command, value) {
        this.send(command, value);
      },
      toggleDevices: function () {
        this.picking = !this.picking;
        if (this.picking) this.send('devices');
        // The list opens over the button that opened it: the keyboard goes with it, and back when it closes.
        var self = this;
        var target = this.picking ? 'close-devices' : 'devices';
        this.$nextTick(function () {
          var el = self.$el && self.$el.querySelector('button[data-command=' + target + ']');
          if (el) el.focus();
        });
      },
      button: function (command, iconName, label, opts) {
        var self = this;
        opts = opts || {};
        return h(
          'button',
          {
            type: 'button',
            class: [opts.cls || '', opts.on ? 'sc-on' : ''],
            title: label,
            'aria-label': label,
            'aria-pressed': opts.on === undefined ? undefined : String(!!opts.on),
            'data-command': command,
            disabled: !!opts.disabled,
            onClick: function () {
              if (opts.onClick) opts.onClick();
              else self.press(command, opts.value);
            },
          },
          [icon(iconName)],
        );
      },
      renderCover: function () {
        var self = this;
        var src = this.item && this.item.image;
        if (src && this.coverFailed !== src) {
          return h('div', { class: 'sc-cover' }, [
            h('img', {
              src: src,
              alt: this.item.album || this.item.name,
              'data-role': 'cover',
              onError: function () {
                self.coverFailed = src;
              },
            }),
          ]);
        }
        return h('div', { class: 'sc-cover', 'data-role': 'cover-placeholder' }, [icon('music-note')]);
      },
      renderInfo: function () {
        var v = this.view;
        var lines = [];
        if (!v) {
          lines.push(h('div', { class: 'sc-message', 'data-role': 'message' }, this.w('connecting')));
        } else if (v.mode === 'no-device') {
          lines.push(h('div', { class: 'sc-message', 'data-role': 'message' }, this.w('noActiveDevice')));
          lines.push(h('div', { class: 'sc-album' }, this.w('openSpotify')));
        } else if (!this.item) {
          lines.push(h('div', { class: 'sc-message', 'data-role': 'message' }, this.w('nothingPlaying')));
        } else {
          lines.push(h('div', { class: 'sc-title', 'data-role': 'title', title: this.item.name }, this.item.name));
          lines.push(h('div', { class: 'sc-artists', 'data-role': 'artists' }, this.item.artists.join(', ')));
          if (this.item.album) lines.push(h('div', { class: 'sc-album', 'data-role': 'album' }, this.item.album));
        }
        if (v && v.device) {
          lines.push(
            h('div', { class: 'sc-device', 'data-role': 'device' }, [
              icon(DEVICE_ICON[v.device.type] || 'speaker-wireless'),
              ' ' + v.device.name + (v.mode === 'paused' ? ' · ' + this.w('paused') : ''),
            ]),
          );
        }
        if (v && v.problem) lines.push(h('div', { class: 'sc-problem', 'data-role': 'problem' }, v.problem));
        return h('div', { class: 'sc-info' }, lines);
      },
      renderProgress: function () {
        var duration = (this.item && this.item.duration_ms) || 0;
        var pct = duration ? Math.min(100, (100 * this.progress) / duration) : 0;
        return h('div', { class: 'sc-progress' }, [
          h('span', { 'data-role': 'position' }, clock(this.progress)),
          h('div', { class: 'sc-bar' }, [h('div', { class: 'sc-fill', 'data-role': 'progress', style: { width: pct.toFixed(2) + '%' } })]),
          h('span', { 'data-role': 'duration' }, clock(duration)),
        ]);
      },
      renderButtons: function () {
        var v = this.view;
        var active = !!v && v.mode !== 'no-device';
        var loaded = active && !!this.item;
        var repeat = (v && v.repeat) || 'off';
        return h('div', { class: 'sc-buttons' }, [
          this.button('shuffle', v && v.shuffle ? 'shuffle' : 'shuffle-disabled', this.w('shuffle'), {
            on: !!(v && v.shuffle),
            disabled: !active,
          }),
          this.button('previous', 'skip-previous', this.w('previous'), { disabled: !loaded }),
          this.playing
            ? this.button('pause', 'pause', this.w('pause'), { cls: 'sc-main', disabled: !loaded })
            : this.button('play', 'play', this.w('play'), { cls: 'sc-main', disabled: !active }),
          this.button('next', 'skip-next', this.w('next'), { disabled: !loaded }),
          this.button('repeat', REPEAT_ICON[repeat] || 'repeat', this.w('repeat') + ': ' + repeat, {
            on: repeat !== 'off',
            disabled: !active,
          }),
        ]);
      },
      renderExtra: function () {
        var self = this;
        var v = this.view;
        var canVolume = !!(v && v.device && v.device.volume_percent !== null);
        var row = h('div', { class: 'sc-extra' }, [
          icon('volume-high'),
          h('input', {
            type: 'range',
            min: 0,
            max: 100,
            step: 1,
            value: this.volume === null ? 0 : this.volume,
            disabled: !canVolume,
            'aria-label': this.w('volume'),
            'data-command': 'volume',
            onInput: function (e) {
              self.dragging = true;
              self.volume = Number(e.target.value);
            },
            onChange: function (e) {
              self.dragging = false;
              self.press('volume', Number(e.target.value));
            },
          }),
          this.button('devices', 'cast', this.w('playOnAnother'), { on: this.picking, onClick: this.toggleDevices }),
        ]);
        if (!this.picking) return [row];
        var devices = (v && v.devices) || [];
        var list = devices.length
          ? devices.map(function (d) {
              return h(
                'button',
                {
                  type: 'button',
                  class: d.is_active ? 'sc-on' : '',
                  'data-device': d.name,
                  onClick: function () {
                    self.picking = false;
                    self.press('transfer', d.id);
                  },
                },
                [icon(DEVICE_ICON[d.type] || 'speaker-wireless'), h('span', d.name)],
              );
            })
          : [h('div', { class: 'sc-album' }, v && v.devices ? this.w('noDevices') : this.w('lookingForDevices'))];
        // Over the card, not below it: the card keeps the height its widget has, on every screen.
        var head = h('div', { class: 'sc-devices-head' }, [
          h('span', { id: this.id + '-devices-title' }, this.w('playOn')),
          this.button('close-devices', 'close', this.w('closeDevices'), { onClick: this.toggleDevices }),
        ]);
        return [
          row,
          h(
            'div',
            { class: 'sc-devices', 'data-role': 'devices', role: 'group', 'aria-labelledby': this.id + '-devices-title' },
            [head].concat(list),
          ),
        ];
      },
    },
    render: function () {
      return h(
        'div',
        { class: 'spotify-card', 'data-mode': this.view ? this.view.mode : 'connecting' },
        [h('div', { class: 'sc-top' }, [this.renderCover(), this.renderInfo()]), this.renderProgress(), this.renderButtons()].concat(
          this.renderExtra(),
        ),
      );
    },
  };

  window['spotify-ui-player'] = { SpotifyUIPlayer: SpotifyUIPlayer };
})();
