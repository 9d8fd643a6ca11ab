// The shape of one dialog field's spec (fields.ts holds the table) and of what the editor receives for it through
// registerType's settings. Imports only a type: the editor bundle (editor/) reads the same definitions.
import type { Phrase } from '../spotify/phrase';

/** The pickers' typed-input type ("from list", editor/pickers.ts): its value is a Spotify ID or URI, typed text
 *  like a 'str'. */
export const PICKED_TYPE = 'spotify-id';

export interface FieldSpec {
  /** The label's key in the node's catalog, without the node type ("label.limit"). */
  label: string;
  /** The editor default: the value a new node gets, and what the runtime assumes when a flow lacks the property. */
  value: string;
  /** For a typed input: the default of the companion `<name>Type` property. */
  type?: string;
  /** A whole number in [min, max] (for a typed input: when the type is num). */
  int?: { min: number; max: number };
  /** A number of seconds of at least min (poll intervals; min is the operator's minPollSeconds). */
  seconds?: { min: number; max: number };
  /** A two-letter country code or from_token (for a typed input: when the type is str). */
  market?: true;
  /** Must not be blank. */
  required?: true;
  /** One of these values (a select). */
  choice?: readonly string[];
  /** Comma-separated values, each one of these (for a typed input: when the type is str). */
  list?: readonly string[];
  /** A playlist entry filter in Spotify's `fields` syntax (for a typed input: when the type is str). */
  entryFields?: true;
  /** A time of day, HH:MM (repeat-rules.ts). */
  timeOfDay?: true;
}

export interface ExportedField extends FieldSpec {
  /** The label text in the runtime's language (the editor words it in its own from the node's catalog). */
  labelText: string;
  /** What the field expects, by its key in the account catalog: the editor words it in the editor's language. */
  expected?: Phrase;
  /** The same in the runtime's language, for an editor that cannot read the catalog. */
  expectedText?: string;
}

/** The registerType settings name: the node type in camelCase + "Fields" (Node-RED requires the type prefix). */
export function settingsName(type: string): string {
  return type.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()) + 'Fields';
}
