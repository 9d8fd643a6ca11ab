// Checks for the Spotify nodes' dialog fields, as registerType `validate` functions. The limits come from the
// runtime's own field table (nodes/node-red/fields.ts), exported per node type as RED.settings.<type>Fields
// (camelCase), so the editor marks a field red for exactly what the runtime would reject, by the same words: the
// same catalog entries (a field's expectation is a key and values), worded in the editor's language.
// The reason shows under the field (and, from Node-RED 3.1, as its tooltip and in the node's warning).
import { PICKED_TYPE, settingsName, type ExportedField } from '../nodes/node-red/field-spec';
import { pickProblem, type PickerKind } from '../nodes/node-red/picker-rules';
import { entryFieldsProblem } from '../nodes/spotify/playlist-entries';
import { PLAYLIST_NAME_TYPE } from '../nodes/spotify/playlist-name-rules';
import { parseTimeOfDay } from '../nodes/node-red/repeat-rules';
import type { Phrase } from '../nodes/spotify/phrase';
import { libraryText } from './i18n';

function specOf(type: string, name: string): ExportedField | undefined {
  const all = RED.settings[settingsName(type)] as Record<string, ExportedField> | undefined;
  return all?.[name];
}

/** The typed input's current type: the open dialog's, else the node's, else the default. */
function typeOf(node: Record<string, unknown>, name: string, prefix: string, fallback: string | undefined): string | undefined {
  const shown = $('#node-' + prefix + '-' + name + 'Type').val();
  const stored = node[name + 'Type'];
  return (typeof shown === 'string' && shown) || (typeof stored === 'string' && stored) || fallback;
}

/**
 * Shows why the open dialog's field is wrong, under it (Node-RED itself only gives the hidden input a tooltip);
 * no message clears it. Only when `value` is what the dialog's field holds: the canvas checks other nodes too.
 */
function showBeside(prefix: string, name: string, value: unknown, message: string | undefined): void {
  const $input = $('#node-' + prefix + '-' + name);
  if (!$input.length || asText($input.val()) !== asText(value)) return;
  const $row = $input.closest('.form-row');
  let $message = $row.children('.tunewire-field-error');
  if (!message) {
    $message.remove();
    return;
  }
  if (!$message.length) {
    $message = $('<div class="tunewire-field-error"></div>')
      .css({ marginLeft: '104px', marginTop: '4px', fontSize: '0.9em', color: 'var(--red-ui-text-color-error, #d6615f)' })
      .appendTo($row);
  }
  $message.text(message);
}

/** The answer of a validate function: the message from Node-RED 3.1 on (it passes `opt`), false before. */
function answer(prefix: string, name: string, value: unknown, message: string | undefined, opt: object | undefined): boolean | string {
  showBeside(prefix, name, value, message);
  if (message === undefined) return true;
  return opt ? message : false;
}

/** The core typed-input check of a value from elsewhere (msg, flow, …), with its message beside the field. */
function coreCheck(prefix: string, name: string, value: unknown, ptype: string, opt: object | undefined): boolean | string {
  if (!RED.utils.validateTypedProperty) return true; // Node-RED before 3.1
  const result = RED.utils.validateTypedProperty(value, ptype, opt);
  showBeside(prefix, name, value, typeof result === 'string' ? result : undefined);
  return result === true || opt ? result : false;
}

/** A stored value as text: the dialog stores text (a spinner, a number); null and undefined are no value. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Object.prototype.toString.call(value); // an object or array imported from a flow: "[object Object]"
}

/** What is wrong with a literal value (the spec's expectation), or undefined when it is fine. */
function literalProblem(spec: ExportedField, value: unknown): Phrase | undefined {
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
  const list = spec.list;
  if (list && raw.split(',').some((part) => !list.includes(part.trim()))) return spec.expected;
  if (spec.entryFields && entryFieldsProblem(raw) !== undefined) return spec.expected;
  if (spec.timeOfDay && !parseTimeOfDay(raw)) return spec.expected;
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
  const prefix = isConfig ? 'config-input' : 'input';
  const ptype = spec.type ? typeOf(node, name, prefix, spec.type) : undefined;
  if (ptype && ptype !== 'num' && ptype !== 'str') return coreCheck(prefix, name, value, ptype, opt);
  const problem = literalProblem(spec, value);
  const label = (): string => catalogLabel(type, spec.label) ?? spec.labelText;
  return answer(prefix, name, value, problem === undefined ? undefined : framed(label(), expectedWords(problem, spec.expectedText)), opt);
}

/**
 * A `validate` function for a picker field (editor/pickers.ts): "from list" must hold a pick (a device's empty
 * pick is the active device), "by name" a playlist name; other types get the core typed-input check.
 */
export function picked(node: Record<string, unknown>, name: string, kind: PickerKind, value: unknown, opt?: object): boolean | string {
  const ptype = typeOf(node, name, 'input', undefined) ?? '';
  const problem = pickProblem(kind, ptype, value);
  if (problem !== undefined) return answer('input', name, value, framed(labelOf(node, name), expectedWords(problem)), opt);
  if (ptype === '' || ptype === PICKED_TYPE || ptype === PLAYLIST_NAME_TYPE || ptype === 'str')
    return answer('input', name, value, undefined, opt);
  return coreCheck('input', name, value, ptype, opt);
}

/** A field's dialog label, from the node's catalog (where the runtime's errors take it too). */
function labelOf(node: Record<string, unknown>, name: string): string {
  const type = typeof node.type === 'string' ? node.type : '';
  return catalogLabel(type, 'label.' + name) ?? name;
}

/** The text at `key` ("label.limit") in node `type`'s catalog, in the editor's language; undefined when unknown. */
function catalogLabel(type: string, key: string): string | undefined {
  const translate = RED.nodes.getType(type)?._;
  const full = type + '.' + key;
  const text = translate ? translate(full) : full;
  return text === full ? undefined : text;
}

/** An expectation in the editor's language; the runtime's words (or the key) when the catalog is not there. */
function expectedWords(expected: Phrase, fallback?: string): string {
  return libraryText('expect.' + expected.key, expected.vars) ?? fallback ?? expected.key;
}

/** "<label>: expected <expectation>", framed as the runtime frames its errors (the same catalog entry). */
function framed(label: string, expected: string): string {
  return libraryText('input.expected', { field: label, expected }) ?? label + ': ' + expected;
}
