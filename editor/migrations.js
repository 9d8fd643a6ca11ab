/* Editor side of the versioned node configs. The steps come from the runtime's own table
 * (nodes/node-red/migrations.ts), exported per node type as RED.settings.<nodeTypeInCamelCase>Migrations, so a
 * node an older release saved is brought up to date in the editor exactly as the runtime does it: when it is
 * loaded, imported or pasted. A node of an old type name (tunewire-*) becomes the node of today's type; the
 * changed nodes are marked so that the next Deploy saves them. */
(function () {
  'use strict';
  if (window.tunewireMigrations) {
    return;
  }

  /** Migration info by current type, and current type by old type name. */
  var byType = {};
  var byLegacy = {};
  var pending = 0;

  function settingsName(type) {
    return (
      type.replace(/-(\w)/g, function (m, c) {
        return c.toUpperCase();
      }) + 'Migrations'
    );
  }

  function versionOf(node) {
    var v = Number(node.version);
    return Math.floor(v) === v && v > 0 ? v : 0;
  }

  /** Applies one step; true when it changed a value the node already had (a new field only fills a gap). */
  function applyStep(node, step) {
    if (step.add !== undefined) {
      if (node[step.add] === undefined) {
        node[step.add] = step.value;
      }
      return false;
    }
    if (step.rename !== undefined) {
      var had = node[step.rename] !== undefined;
      if (had && node[step.to] === undefined) {
        node[step.to] = node[step.rename];
      }
      delete node[step.rename];
      return had;
    }
    if (step.split !== undefined && typeof node[step.split] === 'string') {
      node[step.split] = node[step.split]
        .split(',')
        .map(function (s) {
          return s.trim();
        })
        .filter(function (s) {
          return s !== '';
        });
      return true;
    }
    return false;
  }

  /**
   * Brings a node (or a plain config object) up to date, in place. Returns 'renamed' or 'changed' when the
   * node must be saved again, '' when nothing a user would notice changed (a new empty field, the version).
   */
  function migrate(node) {
    var type = byLegacy[node.type] || node.type;
    var info = byType[type];
    if (!info) {
      return '';
    }
    var from = versionOf(node);
    var result = '';
    info.migrations.forEach(function (m) {
      if (m.version <= from) {
        return;
      }
      m.steps.forEach(function (step) {
        if (applyStep(node, step)) {
          result = 'changed';
        }
      });
    });
    if (node.type !== type) {
      node.type = type;
      result = 'renamed';
    }
    node.version = Math.max(from, info.version);
    return result;
  }

  /** An editor node of an old type or version: migrated, and switched over to today's node definition. */
  function onAdd(node) {
    var legacy = !!byLegacy[node.type];
    if (!legacy && !byType[node.type]) {
      return;
    }
    var result = migrate(node);
    if (legacy) {
      var def = RED.nodes.getType(node.type);
      node._def = def;
      node._ = def._;
    }
    if (result) {
      node.changed = true;
      node.dirty = true;
      pending++;
      // After the load or import that added it: marking the flows changed from inside it would be undone.
      setTimeout(flush, 0);
    }
  }

  function flush() {
    if (pending === 0) {
      return;
    }
    pending = 0;
    RED.nodes.dirty(true);
    RED.view.redraw(true);
  }

  /**
   * Called by each node's HTML after its registerType: the node's defaults get the current version (new nodes
   * are saved with it), and its old type name is registered, hidden from the palette, so that flows exported
   * before the rename import as nodes of today's type.
   */
  function register(type) {
    var info = RED.settings[settingsName(type)];
    var def = RED.nodes.getType(type);
    if (!info || !def || byType[type]) {
      return;
    }
    byType[type] = info;
    byLegacy[info.legacyType] = type;
    def.defaults.version = { value: info.version };
    if (!RED.nodes.getType(info.legacyType)) {
      var alias = $.extend(true, {}, def);
      delete alias.set;
      delete alias._;
      delete alias.type;
      if (alias.category !== 'config') {
        alias.category = 'deprecated'; // the palette leaves this category out
      }
      RED.nodes.registerType(info.legacyType, alias);
    }
  }

  RED.events.on('nodes:add', onAdd);
  window.tunewireMigrations = { register: register, migrate: migrate };
})();
