// Checks for the Spotify nodes' dialog fields, as registerType `validate` functions. The limits come from the
// runtime's own field table (nodes/node-red/fields.ts), exported per node type as RED.settings.<type>Fields
// (camelCase), so the editor marks a field red for exactly what the runtime would reject, by the same words.
import { settingsName, type ExportedField } from '../nodes/node-red/field-spec';

function specOf(type: string, name: string): ExportedField | undefined {
  const all = RED.settings[settingsName(type)] as Record<string, ExportedField> | undefined;
  return all?.[name];
}

/** The typed input's current type: the open dialog's, else the node's, else the default. */
function typeOf(node: Record<string, unknown>, spec: ExportedField, name: string, prefix: string): string | undefined {
  if (!spec.type) return undefined;
  const shown = $('#node-' + prefix + '-' + name + 'Type').val();
  const stored = node[name + 'Type'];
  return (typeof shown === 'string' && shown) || (typeof stored === 'string' && stored) || spec.type;
}

/** A stored value as text: the dialog stores text (a spinner, a number); null and undefined are no value. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Object.prototype.toString.call(value); // an object or array imported from a flow: "[object Object]"
}

/** What is wrong with a literal value (the spec's "expected …" text), or undefined when it is fine. */
function literalProblem(spec: ExportedField, value: unknown): string | undefined {
  // Only the empty string means "not set" (as at run time); blanks are a value, and a wrong one.
  const raw = asText(value);
  if (raw === '') return spec.required ? spec.expected : undefined;
  const text = raw.trim();
  if (spec.required && !spec.int && text === '') return spec.expected;
  const n = Number(raw); // as Node-RED reads a num literal (blanks are 0)
  if (spec.int && !(Number.isInteger(n) && n >= spec.int.min && n <= spec.int.max)) return spec.expected;
  if (spec.seconds && !(isFinite(n) && n >= spec.seconds.min && n <= spec.seconds.max)) return spec.expected;
  if (spec.market && !/^[A-Za-z]{2}$/.test(text) && text.toLowerCase() !== 'from_token') return spec.expected;
  if (spec.choice && !spec.choice.includes(raw)) return spec.expected;
  return undefined;
}

/**
 * A `validate` function for defaults: msg, flow, global, env (and other non-literal types) get the core typed-input
 * check; literal values are checked against the runtime's limits. With `opt` (Node-RED 3.1 and later) a wrong value
 * gets its reason ("At most: expected …"), shown as the field's tooltip.
 */
export function check(
  node: Record<string, unknown>,
  type: string,
  name: string,
  value: unknown,
  opt?: object,
  isConfig?: boolean,
): boolean | string {
  const spec = specOf(type, name);
  if (!spec) return true; // settings not (yet) known: the runtime still checks at run time
  const ptype = typeOf(node, spec, name, isConfig ? 'config-input' : 'input');
  if (ptype && ptype !== 'num' && ptype !== 'str') {
    if (!RED.utils.validateTypedProperty) return true; // Node-RED before 3.1
    const result = RED.utils.validateTypedProperty(value, ptype, opt);
    return result === true || opt ? result : false;
  }
  const problem = literalProblem(spec, value);
  if (problem === undefined) return true;
  return opt ? spec.labelText + ': expected ' + problem : false;
}
