/* Editor checks for the Spotify nodes' dialog fields. The limits come from the runtime's own field table
 * (nodes/node-red/fields.ts), exported per node type as RED.settings.<nodeTypeInCamelCase>Fields, so the
 * editor marks a field red for exactly what the runtime would reject. */
(function () {
  'use strict';
  if (window.tunewireFields) {
    return;
  }

  function settingsName(type) {
    return (
      type.replace(/-(\w)/g, function (m, c) {
        return c.toUpperCase();
      }) + 'Fields'
    );
  }

  function specOf(type, name) {
    var all = RED.settings[settingsName(type)];
    return all && all[name];
  }

  /** The typed input's current type: the open dialog's, else the node's, else the default. */
  function typeOf(node, spec, name, prefix) {
    if (!spec.type) {
      return undefined;
    }
    return $('#node-' + prefix + '-' + name + 'Type').val() || node[name + 'Type'] || spec.type;
  }

  function literalProblem(spec, value) {
    // Only the empty string means "not set" (as at run time); blanks are a value, and a wrong one.
    var raw = value === undefined || value === null ? '' : String(value);
    if (raw === '') {
      return spec.required ? spec.expected : undefined;
    }
    var text = raw.trim();
    if (spec.required && !spec.int && text === '') {
      return spec.expected;
    }
    var n = Number(raw); // as Node-RED reads a num literal (blanks are 0)
    if (spec.int && !(Number.isInteger(n) && n >= spec.int.min && n <= spec.int.max)) {
      return spec.expected;
    }
    if (spec.seconds && !(isFinite(n) && n >= spec.seconds.min && n <= spec.seconds.max)) {
      return spec.expected;
    }
    if (spec.market && !/^[A-Za-z]{2}$/.test(text) && text.toLowerCase() !== 'from_token') {
      return spec.expected;
    }
    if (spec.choice && spec.choice.indexOf(raw) < 0) {
      return spec.expected;
    }
    return undefined;
  }

  /**
   * A `validate` function for defaults: msg, flow, global, env (and other non-literal types) get the core
   * typed-input check; literal values are checked against the runtime's limits.
   */
  function check(node, type, name, value, opt, isConfig) {
    var spec = specOf(type, name);
    if (!spec) {
      return true;
    } // settings not (yet) known: the runtime still checks at run time
    var ptype = typeOf(node, spec, name, isConfig ? 'config-input' : 'input');
    if (ptype && ptype !== 'num' && ptype !== 'str') {
      if (!RED.utils.validateTypedProperty) {
        return true;
      } // Node-RED before 3.1
      var result = RED.utils.validateTypedProperty(value, ptype, opt);
      return result === true || opt ? result : false;
    }
    var problem = literalProblem(spec, value);
    if (problem === undefined) {
      return true;
    }
    return opt ? spec.labelText + ': expected ' + problem : false;
  }

  window.tunewireFields = { check: check };
})();
