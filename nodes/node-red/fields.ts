// One source for each dialog field that can be wrong: its default, its limits and the catalog key of its label.
// The runtime reads, checks and names fields with it; the editor gets the same table through registerType's
// `settings` (RED.settings.<nodeTypeInCamelCase>Fields) and marks fields red before Deploy. Stored property
// names never change here: flows users already have must keep working.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { InputError } from '../spotify/errors';
import { ALBUM_GROUPS } from '../spotify/catalog';
import { expectedInt, optionalMarket } from '../spotify/inputs';
import { LIBRARY_ORDERS } from '../spotify/library';
import { OPERATIONS } from '../spotify/operations';
import { EXPECTED_ENTRY_FIELDS, entryFieldsProblem } from '../spotify/playlist-entries';
import { MAX_POSITION_MS } from '../spotify/player';
import { phrase, type Phrase } from '../spotify/phrase';
import { phraseText } from '../spotify/words';
import { UNWRITABLE_MODES } from '../spotify/writable';
import { fieldLabelText } from './field-labels';
import { settingsName, type ExportedField, type FieldSpec } from './field-spec';
import { OUTPUT_FORMATS, TRIGGER_EMITS } from './list-output';
import { useNodeCatalog } from './messages';
import { registerNode } from './register-node';
import { EXPECTED_TIME_OF_DAY, parseTimeOfDay, REPEATS, type TimeOfDay } from './repeat-rules';
import { DEFAULT_MIN_POLL_SECONDS, packSettings } from './pack-settings';
import { typedValue, type TypedValue } from './typed-input';

export type NodeFields = Readonly<Record<string, FieldSpec>>;

const MAX_LIST = 100_000;
const MAX_POSITION = 1_000_000;
const MAX_POLL_SECONDS = 86_400;

const limit = (value = '', max = MAX_LIST): FieldSpec => ({ label: 'label.limit', value, type: 'num', int: { min: 1, max } });
const market: FieldSpec = { label: 'label.market', value: '', type: 'str', market: true };
/** Where a listing starts (Spotify's `offset`): the first N entries skipped; "At most" counts from there. */
const offset = (max = MAX_LIST): FieldSpec => ({ label: 'label.offset', value: '', type: 'num', int: { min: 0, max } });
const interval = (value: string): FieldSpec => ({
  label: 'label.interval',
  value,
  seconds: { min: DEFAULT_MIN_POLL_SECONDS, max: MAX_POLL_SECONDS },
  required: true,
});

const libraryOrder: FieldSpec = { label: 'label.order', value: 'kept', choice: LIBRARY_ORDERS };
/** Each item as Spotify's object or as a flat row for a table. */
const format: FieldSpec = { label: 'label.format', value: 'objects', choice: OUTPUT_FORMATS };
/** Entries a write cannot take (local files, unavailable items): skipped and counted, or the message refused. */
const unwritable: FieldSpec = { label: 'label.unwritable', value: 'skip', choice: UNWRITABLE_MODES };
/** A trigger's new items: one message each, or the latest N (at most one page of Spotify's) as one list. */
const emit: FieldSpec = { label: 'label.emit', value: 'each', choice: TRIGGER_EMITS };
const latest: FieldSpec = { label: 'label.latest', value: '10', int: { min: 1, max: 50 }, required: true };

export const FIELDS = {
  'spotify-account': { clientId: { label: 'label.clientId', value: '', required: true } },
  'spotify-get-playlists': { limit: limit(), offset: offset(), format },
  'spotify-followed-artists': { limit: limit(), format },
  'spotify-playlist-tracks': {
    limit: limit(),
    offset: offset(),
    market,
    fields: { label: 'label.fields', value: '', type: 'str', entryFields: true },
    format,
  },
  'spotify-saved-items': { limit: limit(), offset: offset(), market, format },
  'spotify-top-items': {
    limit: limit(),
    offset: offset(),
    format,
    repeat: { label: 'label.repeat', value: 'none', choice: REPEATS },
    at: { label: 'label.at', value: '08:00', timeOfDay: true },
  },
  'spotify-item-contents': {
    limit: limit(),
    offset: offset(),
    market,
    groups: { label: 'label.groups', value: '', type: 'str', list: ALBUM_GROUPS },
    format,
  },
  // Spotify serves search results to a depth of 1,000: the last page starts at the operation's maxOffset.
  'spotify-search': { limit: limit('50'), offset: offset(OPERATIONS.search.paging.maxOffset), market, format },
  'spotify-playback-state': { market },
  'spotify-recently-played': { limit: limit('20', 50), format },
  'spotify-request': {
    path: { label: 'label.path', value: '/me', type: 'str', required: true },
    limit: limit('', 1_000_000),
  },
  'spotify-get-item': { market },
  'spotify-save-to-library': { order: libraryOrder, unwritable },
  'spotify-remove-from-library': { order: libraryOrder, unwritable },
  'spotify-get-playlist': { market },
  'spotify-add-tracks': {
    position: { label: 'label.position', value: '', type: 'num', int: { min: 0, max: MAX_POSITION } },
    unwritable,
  },
  'spotify-replace-tracks': { unwritable },
  'spotify-add-to-queue': { unwritable },
  'spotify-play': {
    offset: { label: 'label.offset', value: '', type: 'num', int: { min: 0, max: MAX_POSITION } },
    positionMs: { label: 'label.positionMs', value: '', type: 'num', int: { min: 0, max: MAX_POSITION_MS } },
    volume: { label: 'label.volume', value: '', type: 'num', int: { min: 0, max: 100 } },
  },
  'spotify-reorder-tracks': {
    rangeStart: { label: 'label.rangeStart', value: '', type: 'num', int: { min: 0, max: MAX_POSITION }, required: true },
    insertBefore: { label: 'label.insertBefore', value: '', type: 'num', int: { min: 0, max: MAX_POSITION }, required: true },
    rangeLength: { label: 'label.rangeLength', value: '', type: 'num', int: { min: 1, max: MAX_POSITION } },
  },
  // Plays are mostly read by people (a log, a table, a message): rows by default; a row keeps the uri for writes.
  'spotify-new-plays': { interval: interval('60'), emit, latest, format: { ...format, value: 'rows' } },
  'spotify-new-saved': { interval: interval('60'), emit, latest, format },
  'spotify-playlist-changed': { interval: interval('60') },
  'spotify-now-playing': { interval: interval('15'), market: { label: 'label.market', value: '', market: true } },
  'spotify-ui-player': { pollEvery: interval('10') },
} as const satisfies Record<string, NodeFields>;

export type FieldNodeType = keyof typeof FIELDS;

/** What a field expects, by its catalog key: the runtime's errors word it in the runtime's language, the editor
 *  in the editor's (from the same catalog entry). */
export function expectation(spec: FieldSpec): Phrase | undefined {
  if (spec.int) return phrase('int', { min: spec.int.min, max: spec.int.max });
  if (spec.seconds) return phrase('seconds', { min: spec.seconds.min, max: spec.seconds.max });
  if (spec.market) return phrase('market');
  if (spec.timeOfDay) return EXPECTED_TIME_OF_DAY;
  if (spec.choice) return phrase('oneOf', { values: spec.choice.join(', ') });
  if (spec.list) return phrase('someOf', { values: spec.list.join(', ') });
  if (spec.entryFields) return EXPECTED_ENTRY_FIELDS;
  if (spec.required) return phrase('required');
  return undefined;
}

/** What a field expects in the runtime's language ("a value" for a field without limits). */
function expectationText(spec: FieldSpec): string {
  const expected = expectation(spec);
  return phraseText(expected ?? phrase('value'));
}

/** The fields of one node for the editor (its registerType `settings`); trigger minimums follow the operator's setting. */
export function editorSettings(type: FieldNodeType, minPollSeconds?: number): Record<string, { value: unknown; exportable: true }> {
  const fields: Record<string, ExportedField> = {};
  for (const [name, spec] of Object.entries(fieldsOf(type, minPollSeconds))) {
    const expected = expectation(spec);
    fields[name] = { ...spec, labelText: fieldLabelText(type, spec.label), expected, expectedText: expected && phraseText(expected) };
  }
  return { [settingsName(type)]: { value: fields, exportable: true } };
}

/** The specs of a node, with the poll minimum an operator set (it may be lower or higher than the default). */
export function fieldsOf(type: FieldNodeType, minPollSeconds?: number): Record<string, FieldSpec> {
  const specs: Record<string, FieldSpec> = { ...FIELDS[type] };
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.seconds && minPollSeconds !== undefined) specs[name] = { ...spec, seconds: { ...spec.seconds, min: minPollSeconds } };
  }
  return specs;
}

/** Reads and checks a node's fields, naming each by its dialog label. */
export class NodeFieldReader {
  constructor(
    private readonly type: FieldNodeType,
    private readonly def: object,
  ) {}

  spec(name: string): FieldSpec {
    const spec = (FIELDS[this.type] as Record<string, FieldSpec>)[name];
    if (!spec) throw new Error(`${this.type}: no field spec for ${name}`);
    return spec;
  }

  /** The dialog label ("At most"). */
  label(name: string): string {
    return fieldLabelText(this.type, this.spec(name).label);
  }

  /** A typed-input property; a flow that lacks it gets the editor's default. */
  typed(name: string): TypedValue {
    const spec = this.spec(name);
    const def = this.def as Record<string, unknown>;
    return typedValue(def[name], def[`${name}Type`], { value: spec.value, type: spec.type ?? 'str' });
  }

  /** A whole number within the field's limits; undefined when empty. */
  int(name: string, value: unknown): number | undefined {
    const { int } = this.spec(name);
    if (!int) throw new Error(`${this.type}.${name} is not a whole-number field`);
    if (value === undefined || value === null || value === '') return undefined;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < int.min || n > int.max) {
      throw new InputError(this.label(name), expectedInt(int.min, int.max), value);
    }
    return n;
  }

  /** A market (country code or from_token); undefined when empty. */
  market(name: string, value: unknown): string | undefined {
    return optionalMarket(value, this.label(name));
  }

  /** One of the field's choices; empty (a flow that lacks the property) is the default. */
  choice<T extends string>(name: string, value: unknown): T {
    const spec = this.spec(name);
    if (!spec.choice) throw new Error(`${this.type}.${name} is not a choice field`);
    if (value === undefined || value === null || value === '') return spec.value as T;
    if (typeof value !== 'string' || !spec.choice.includes(value)) throw new InputError(this.label(name), expectationText(spec), value);
    return value as T;
  }

  /** Comma-separated values of the field's list, as Spotify takes them ("album,single"); undefined when empty. */
  list(name: string, value: unknown): string | undefined {
    const spec = this.spec(name);
    if (!spec.list) throw new Error(`${this.type}.${name} is not a list field`);
    if (value === undefined || value === null || value === '') return undefined;
    const parts = typeof value === 'string' ? value.split(',').map((v) => v.trim()) : [];
    if (parts.length === 0 || parts.some((p) => !spec.list?.includes(p))) {
      throw new InputError(this.label(name), expectationText(spec), value);
    }
    return [...new Set(parts)].join(',');
  }

  /** A playlist entry filter in Spotify's `fields` syntax; undefined when empty. */
  entryFields(name: string, value: unknown): string | undefined {
    const spec = this.spec(name);
    if (!spec.entryFields) throw new Error(`${this.type}.${name} is not an entry-fields field`);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' || entryFieldsProblem(value) !== undefined) {
      throw new InputError(this.label(name), phraseText(EXPECTED_ENTRY_FIELDS), value);
    }
    return value;
  }

  /** A time of day (HH:MM); empty (a flow that lacks the property) is the default. */
  timeOfDay(name: string, value: unknown): TimeOfDay {
    const spec = this.spec(name);
    const given = value === undefined || value === null || value === '' ? spec.value : value;
    const time = parseTimeOfDay(given);
    if (!time) throw new InputError(this.label(name), phraseText(EXPECTED_TIME_OF_DAY), value);
    return time;
  }

  /** Like int(), but an empty value fails too. */
  requiredInt(name: string, value: unknown): number {
    const n = this.int(name, value);
    if (n === undefined) throw new InputError(this.label(name), expectationText(this.spec(name)), value ?? undefined);
    return n;
  }
}

/** The node types that have a field table (every other node type has none). */
export function hasFields(type: string): type is FieldNodeType {
  return Object.prototype.hasOwnProperty.call(FIELDS, type);
}

/** Registers a node type with its field table exported to the editor. */
export function registerWithFields<TDef extends NodeDef>(
  RED: NodeAPI,
  type: FieldNodeType,
  constructor: (this: Node, def: TDef) => void,
  minPollSeconds?: number,
): void {
  // The node's catalog first: the exported labels are in the runtime's language.
  useNodeCatalog(RED, type);
  registerNode(RED, type, constructor, { settings: editorSettings(type, minPollSeconds) });
}

type TriggerType = 'spotify-new-plays' | 'spotify-new-saved' | 'spotify-playlist-changed' | 'spotify-now-playing';

/** A trigger's (or the player card's) Poll every default, in seconds. */
export function defaultIntervalSeconds(type: TriggerType | 'spotify-ui-player'): number {
  return Number(type === 'spotify-ui-player' ? FIELDS[type].pollEvery.value : FIELDS[type].interval.value);
}

/** Registers a trigger: the editor's Poll every minimum is the operator's minPollSeconds. */
export function registerTrigger<TDef extends NodeDef>(RED: NodeAPI, type: TriggerType, constructor: (this: Node, def: TDef) => void): void {
  registerWithFields(RED, type, constructor, packSettings(RED).minPollSeconds);
}
