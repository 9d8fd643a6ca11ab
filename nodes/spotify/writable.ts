// What a write can take from a list another node emitted: a playlist's entries hold local files and items
// Spotify no longer offers (an entry with `item: null`, a track with `is_playable: false` or without a uri),
// which no write endpoint accepts. They are skipped and counted, or the message is refused naming the first one.
// Anything else that is not a reference (a word, a number, an album where tracks go) is still an error: a
// mistake in the flow must not pass as "skipped". Knows nothing about Node-RED.
import { InputError } from './errors';
import { expectText } from './words';
import { carriesRef, isSpotifyType, listItems, ownValue, parseRef, wrapped, type SpotifyRef, type SpotifyType } from './ids';

export const UNWRITABLE_MODES = ['skip', 'refuse'] as const;
export type UnwritableMode = (typeof UNWRITABLE_MODES)[number];

export const SKIP_REASONS = ['local', 'unavailable'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type Skipped = Record<SkipReason, number>;

export interface WritableRefs {
  /** What can be written, in the order given. */
  refs: SpotifyRef[];
  /** What was left out, by reason (always both keys). */
  skipped: Skipped;
  /** Entries in the input. */
  given: number;
}

export interface WritableOptions {
  /** skip: leave out and count; refuse: an InputError naming the first one. */
  mode: UnwritableMode;
  /** Why a local file is refused ("local files cannot be added through the Web API"). */
  localWhy: string;
  /** What a good entry is, for the refusal ("a Spotify track or episode"). */
  expected: string;
  max?: number;
  allowEmpty?: boolean;
}

/** The references to write from a list input (see parseRefs for the shapes), with the unwritable ones skipped
 *  and counted, or refused. */
export function writableRefs(input: unknown, field: string, accept: readonly SpotifyType[], opts: WritableOptions): WritableRefs {
  const items = listItems(input, field, accept, { max: opts.max, allowEmpty: opts.allowEmpty });
  const refs: SpotifyRef[] = [];
  const skipped: Skipped = { local: 0, unavailable: 0 };
  for (const item of items) {
    let reason = unwritableReason(item.value);
    let ref: SpotifyRef | undefined;
    if (reason === undefined) {
      ref = parseRef(item.value, item.field, accept);
      if (ref.local) reason = 'local';
    }
    if (reason === undefined && ref) refs.push(ref);
    else if (reason !== undefined && opts.mode === 'skip') skipped[reason]++;
    else if (reason !== undefined) throw refusal(item.field, reason, item.value, ref, opts);
  }
  return { refs, skipped, given: items.length };
}

/** How many were skipped in all. */
export function skippedCount(skipped: Skipped): number {
  return SKIP_REASONS.reduce((sum, reason) => sum + skipped[reason], 0);
}

/** Why an entry cannot be written, judged on what Spotify sent; undefined when it looks writable (it is then
 *  parsed, and a local file URI found there). */
function unwritableReason(value: unknown): SkipReason | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (ownValue(value, 'is_local') === true) return 'local';
  let target: unknown = value;
  // An entry wraps its item; an object that says its own type is the item (a husk's `album` wraps nothing).
  if (!carriesRef(value) && !isSpotifyType(ownValue(value, 'type'))) {
    const inner = wrapped(value);
    if (inner === undefined) return unavailableObject(value) ? 'unavailable' : undefined;
    if (inner.value === null) return 'unavailable';
    target = inner.value;
  }
  if (typeof target !== 'object' || target === null || Array.isArray(target)) return undefined;
  if (ownValue(target, 'is_local') === true) return 'local';
  if (ownValue(target, 'is_playable') === false || unavailableObject(target)) return 'unavailable';
  return undefined;
}

/** A Spotify object (it says its type) with neither uri nor id: what Spotify sends for an item it took down.
 *  Other objects without either are mistakes in the flow, left to parseRef's error. */
function unavailableObject(obj: object): boolean {
  return isSpotifyType(ownValue(obj, 'type')) && !carriesRef(obj);
}

function refusal(field: string, reason: SkipReason, value: unknown, ref: SpotifyRef | undefined, opts: WritableOptions): InputError {
  const why = reason === 'local' ? opts.localWhy : expectText('unavailable');
  return new InputError(field, expectText('because', { expected: opts.expected, why }), ref?.uri ?? shown(value));
}

/** The entry as the error shows it: its uri or name when it has one ("got an object" says little). */
function shown(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const inner = carriesRef(value) ? undefined : wrapped(value);
  const target = inner && typeof inner.value === 'object' && inner.value !== null ? inner.value : value;
  for (const key of ['uri', 'name']) {
    const text = ownValue(target, key);
    if (typeof text === 'string' && text !== '') return text;
  }
  return inner ? inner.value : value;
}
