// The pickers' rules that need no browser: which mode a field opens in, what a pasted link means, and what an
// empty or wrong pick is. Imports no Node-RED code: the editor bundle (editor/pickers.ts) reads it, the unit tests too.
import { EXPECTED_PLAYLIST_NAME, isPlaylistName, PLAYLIST_NAME_TYPE } from '../spotify/playlist-name-rules';
import { phrase, type Phrase } from '../spotify/phrase';
import { PICKED_TYPE } from './field-spec';

export type PickerKind = 'playlist' | 'device' | 'item';

const ID = /^[0-9A-Za-z]{22}$/;
const URI = /^spotify:([a-z]+):([0-9A-Za-z]{22})$/;
const LINK =
  /^(?:https?:\/\/)?(?:open|play)\.spotify\.com\/(?:intl-[a-z]{2}(?:[-_][a-z]{2,4})?\/)?([a-z]+)\/([0-9A-Za-z]{22})(?:[/?#].*)?$/i;

/** A pasted link or URI as the ID (or as the URI when the field keeps URIs); anything else unchanged. */
export function normalise(value: string, keepUri?: boolean): string {
  const v = value.trim();
  const m = URI.exec(v) ?? LINK.exec(v);
  if (!m) return v;
  return keepUri ? 'spotify:' + m[1].toLowerCase() + ':' + m[2] : m[2];
}

/** Whether a text is a Spotify ID, URI or link. */
export function isReference(value: string): boolean {
  const v = value.trim();
  return ID.test(v) || URI.test(v) || LINK.test(v);
}

/** The bare ID of a stored pick (an ID, or a URI where the field keeps URIs). */
export function idOf(value: string): string {
  return URI.exec(value.trim())?.[2] ?? value.trim();
}

/** A node whose wire comes into the field's node. */
export interface WireSource {
  type: string;
  payloadType?: unknown;
}

/** A field as the node holds it, beside its defaults. */
export interface FieldState {
  value: unknown;
  type: unknown;
  defaultValue: unknown;
  defaultType: unknown;
}

/**
 * Whether the field opens in "from list": it still has the default a new node gets (nobody chose msg.… on
 * purpose) and no wire brings it a value. An inject that sends a timestamp only starts the flow: it feeds nothing.
 */
export function opensInPicker(field: FieldState, sources: readonly WireSource[]): boolean {
  const untouched = (field.value ?? '') === (field.defaultValue ?? '') && (field.type ?? field.defaultType) === field.defaultType;
  if (!untouched || field.defaultType === PICKED_TYPE) return false;
  return sources.every((s) => s.type === 'inject' && (s.payloadType === 'date' || s.payloadType === undefined));
}

/** What is wrong with a "from list" or "by name" value, as the phrase after "<label>: expected …"; undefined when
 *  it is fine or the type is another. An empty pick of a device is the active device, not a mistake. */
export function pickProblem(kind: PickerKind, type: string, value: unknown): Phrase | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  if (type === PICKED_TYPE) {
    if (text === '' && kind !== 'device') return PICK_EXPECTED[kind];
    return undefined;
  }
  if (type === PLAYLIST_NAME_TYPE && !isPlaylistName(value)) return EXPECTED_PLAYLIST_NAME;
  return undefined;
}

const PICK_EXPECTED: Record<Exclude<PickerKind, 'device'>, Phrase> = {
  playlist: phrase('pickedPlaylist'),
  item: phrase('pickedItem'),
};
