// The editor and the runtime share one field table (nodes/node-red/fields.ts). This test runs the editor bundle and
// each node's built HTML the way the editor does (against a fake RED that records registerType) and fails
// when a default or a limit in the HTML differs from the runtime's, or when the editor's check accepts a value
// the runtime rejects (or the other way round).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorSettings, FIELDS, NodeFieldReader, type FieldNodeType } from '../../nodes/node-red/fields';
import { settingsName, type FieldSpec } from '../../nodes/node-red/field-spec';
import { InputError } from '../../nodes/spotify/errors';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import { catalogLookup } from '../support/catalog-lookup';
import { FakeEditor } from '../support/editor-bundle';
import { BUILD_ROOT } from '../support/node-red-process';

type Validate = (this: Record<string, unknown>, v: unknown, opt?: object) => boolean | string;
interface Defaults {
  [name: string]: { value: unknown; required?: boolean; validate?: Validate } | undefined;
}

/**
 * Runs the shipped editor bundle, then the node's HTML scripts, with RED.settings holding what the runtime exports;
 * returns the registered defaults.
 */
function loadEditor(type: FieldNodeType, settings: Record<string, unknown>, lang?: string): Defaults {
  const editor = new FakeEditor(settings, lang);
  editor.loadBundle();
  // The account node is always there, as in the editor: its catalog holds the words of the checks.
  const types: string[] = type === 'spotify-account' ? [type] : ['spotify-account', type];
  for (const t of types) {
    const file = path.join(BUILD_ROOT, 'nodes', `${t.replace(/^spotify-/, '')}.html`);
    const html = fs.readFileSync(file, 'utf8');
    const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n;\n');
    editor.run(scripts, file);
  }
  const def = editor.defs.get(type);
  assert.ok(def, `${type}: registerType was called`);
  return def.defaults as Defaults;
}

/** Whether the runtime accepts `value` for the field (literal typed-input value or plain property). */
function runtimeAccepts(type: FieldNodeType, name: string, spec: FieldSpec, value: string): boolean {
  const reader = new NodeFieldReader(type, {});
  // A literal of a num typed input reaches the node as Node-RED's evaluateNodeProperty gives it: Number(value).
  const input = spec.type === 'num' && value !== '' ? Number(value) : value;
  try {
    if (spec.int) {
      if (spec.required) reader.requiredInt(name, input);
      else reader.int(name, input);
    } else if (spec.market) reader.market(name, value);
    else if (spec.choice) reader.choice(name, value);
    else if (spec.list) reader.list(name, value);
    else if (spec.entryFields) reader.entryFields(name, value);
    else if (spec.timeOfDay) reader.timeOfDay(name, value);
    else if (spec.seconds) {
      // Triggers: below the minimum the runtime raises the interval (and warns); the editor must flag it.
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) && n >= spec.seconds.min && n <= spec.seconds.max;
    } else if (spec.required) return value.trim() !== '';
    return true;
  } catch (err) {
    if (err instanceof InputError) return false;
    throw err;
  }
}

function samples(spec: FieldSpec): string[] {
  const out = [
    '',
    ' ',
    'abc',
    '1.5',
    '-5',
    '0',
    '1',
    '12',
    'DE',
    'de',
    'xyz',
    'from_token',
    '/me',
    ...(spec.choice ?? []),
    ...(spec.list ?? []),
  ];
  if (spec.list) out.push(spec.list.join(','), `${spec.list[0]}, ${spec.list[1]}`, `${spec.list[0]},`, `${spec.list[0]},xyz`);
  if (spec.timeOfDay) out.push('08:00', '7:05', ' 23:59 ', '24:00', '8', '08:60', '8am');
  if (spec.entryFields) out.push('added_at,item(name,uri)', 'item.name', '!added_by', 'item(name', 'a,,b', 'item()', 'x'.repeat(501));
  const range = spec.int ?? spec.seconds;
  if (range) out.push(...[range.min - 1, range.min, range.min + 0.5, range.max, range.max + 1].map(String));
  return out;
}

describe("the account dialog's scopes are the runtime's", function () {
  // The dialog's checklist is nodes/spotify/scopes.ts itself, bundled; the default is written out in the HTML.
  it('ticks DEFAULT_SCOPES for a new account', function () {
    const defaults = loadEditor('spotify-account', {}) as Record<string, { value?: unknown }>;
    assert.equal(defaults.scopes.value, DEFAULT_SCOPES.join(' '));
  });
});

describe('field table: the editor agrees with the runtime', function () {
  for (const type of Object.keys(FIELDS) as FieldNodeType[]) {
    it(`${type}: HTML defaults equal the runtime's, and the editor's check accepts exactly what the runtime accepts`, function () {
      const exported = editorSettings(type);
      const settings = Object.fromEntries(Object.entries(exported).map(([k, v]) => [k, v.value]));
      assert.deepEqual(Object.keys(settings), [settingsName(type)]);
      assert.match(settingsName(type), new RegExp(`^${type.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())}`));
      const defaults = loadEditor(type, settings);
      for (const [name, spec] of Object.entries(FIELDS[type]) as [string, FieldSpec][]) {
        const d = defaults[name];
        assert.ok(d, `${type}: the HTML has a default for ${name}`);
        assert.equal(d.value, spec.value, `${type}.${name}: editor default equals the runtime's`);
        if (spec.type) assert.equal(defaults[`${name}Type`]?.value, spec.type, `${type}.${name}Type: editor default equals the runtime's`);
        assert.equal(typeof d.validate, 'function', `${type}.${name} has a validate function`);
        const node: Record<string, unknown> = { [`${name}Type`]: spec.type };
        for (const value of samples(spec)) {
          const editor: boolean | string = d.validate!.call(node, value);
          assert.equal(
            editor,
            runtimeAccepts(type, name, spec, value),
            `${type}.${name} = ${JSON.stringify(value)}: editor and runtime agree`,
          );
        }
        // The default itself is valid, unless it is an empty field the user must fill in (Client ID).
        assert.equal(d.validate!.call(node, spec.value), !(spec.required && spec.value === ''), `${type}.${name}: the default's validity`);
        // A message, flow or env property is checked when the message arrives, not in the editor.
        if (spec.type) assert.equal(d.validate!.call({ [`${name}Type`]: 'msg' }, 'some.prop'), true, `${type}.${name}: msg passes`);
      }
    });
  }

  it('the editor names the field by its dialog label, as the runtime does', function () {
    const type = 'spotify-get-playlists';
    const settings = { [settingsName(type)]: editorSettings(type)[settingsName(type)].value };
    const defaults = loadEditor(type, settings);
    assert.equal(defaults.limit!.validate!.call({ limitType: 'num' }, '-5', {}), 'At most: expected a whole number from 1 to 100000');
    assert.throws(
      () => new NodeFieldReader(type, {}).int('limit', -5),
      (err: Error) => err.message === 'At most: expected a whole number from 1 to 100000, got number -5',
    );
  });

  it("the editor words the check in the editor's language, from the catalog entries the runtime reads", function () {
    // The runtime exports its field table in English (its own language); the editor's is German or Japanese.
    const type = 'spotify-get-playlists';
    const settings = { [settingsName(type)]: editorSettings(type)[settingsName(type)].value };
    assert.equal(
      loadEditor(type, settings, 'de').limit!.validate!.call({ limitType: 'num' }, '-5', {}),
      'Höchstens: erwartet eine ganze Zahl von 1 bis 100000',
    );
    assert.equal(
      loadEditor(type, settings, 'ja').limit!.validate!.call({ limitType: 'num' }, '-5', {}),
      '最大件数: 1 から 100000 までの整数 が必要です',
    );
    const trigger = 'spotify-new-plays';
    const triggerSettings = { [settingsName(trigger)]: editorSettings(trigger, 30)[settingsName(trigger)].value };
    assert.equal(
      loadEditor(trigger, triggerSettings, 'de').interval!.validate!.call({}, '15', {}),
      `${catalogLookup('de', 'new-plays.json')('spotify-new-plays.label.interval')}: erwartet eine Anzahl Sekunden von 30 bis 86400`,
    );
  });

  it('the trigger minimum follows the operator setting (minPollSeconds)', function () {
    const type = 'spotify-now-playing';
    const settings = { [settingsName(type)]: editorSettings(type, 30)[settingsName(type)].value };
    const check = loadEditor(type, settings).interval!.validate!;
    assert.equal(check.call({}, '29'), false);
    assert.equal(check.call({}, '30'), true);
    assert.equal(check.call({}, '15', {}), 'Poll every: expected a number of seconds from 30 to 86400');
  });
});
