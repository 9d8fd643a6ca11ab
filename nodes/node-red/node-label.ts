// A node's label as the editor draws it on the canvas: its name, else its palette label with what was picked in
// its dialog ("add tracks → Saved this week"). Node-RED heads an error in the Debug sidebar and the log with the
// node's name, or its hex ID when it has none; an unnamed node of the pack goes by this label instead.
import { clip } from '../spotify/text';
import { catalogText } from './field-labels';
import { PICKED_TYPE } from './field-spec';

/** The fields a picker fills, in the order the editor's labels (nodes/<name>.html, `label`) look at them. */
const PICKED_FIELDS = ['playlist', 'playlists', 'play', 'items', 'item', 'device'] as const;

/** A picked name is the user's own text from the flow file, shown in one header line. */
const SHOWN_PICKED = 60;

/** Undefined for a node without a palette label (the account config node, which its own name labels). */
export function nodeLabel(type: string, def: Record<string, unknown>): string | undefined {
  if (typeof def.name === 'string' && def.name.trim() !== '') return def.name;
  const base = catalogText(type, 'paletteLabel');
  if (base === undefined) return undefined;
  for (const field of PICKED_FIELDS) {
    const picked = def[`${field}Name`];
    if (def[`${field}Type`] === PICKED_TYPE && typeof picked === 'string' && picked !== '')
      return `${base} → ${clip(picked, SHOWN_PICKED)}`;
  }
  return base;
}
