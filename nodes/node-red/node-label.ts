// A node's label as the editor draws it on the canvas (each nodes/<name>.html's `label`): its name, else what its
// dialog set — the command of player control ("volume"), what playback state gets ("devices"), a request's method
// and path — or its palette label, with what was picked in its dialog ("add tracks → Saved this week"). Node-RED
// heads an error in the Debug sidebar and the log with the node's name, or its hex ID when it has none; an unnamed
// node of the pack goes by this label instead. test/unit/node-label.test.ts holds it equal to the editor's.
import { PLAYLIST_NAME_TYPE } from '../spotify/playlist-name-rules';
import { clip } from '../spotify/text';
import { catalogText } from './field-labels';
import { PICKED_TYPE } from './field-spec';

type Def = Record<string, unknown>;

/** The fields a picker fills, in the order the editor's labels look at them. */
const PICKED_FIELDS = ['playlist', 'playlists', 'play', 'items', 'item', 'device'] as const;

/** A picked name or a request's path is the user's own text from the flow file, shown in one header line. */
const SHOWN_PICKED = 60;

const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);

/** The nodes whose canvas label is a choice of their dialog rather than their palette label (undefined: none made). */
const DIALOG_LABELS: Record<string, (def: Def) => string | undefined> = {
  'spotify-player-control': (def) => catalogText('spotify-player-control', `command.${text(def.command, 'pause')}`),
  'spotify-playback-state': (def) => catalogText('spotify-playback-state', `what.${text(def.what, 'state')}`),
  'spotify-request': (def) => {
    if (def.pathType !== 'str' || typeof def.path !== 'string' || def.path === '') return undefined;
    const method = text(def.method, 'GET');
    return clip((method === 'msg' ? '' : `${method} `) + def.path, SHOWN_PICKED);
  },
};

/** What the label shows after the arrow: the picked item's name, or the playlist named by name. */
function shown(def: Def): string | undefined {
  if (def.playlistType === PLAYLIST_NAME_TYPE && typeof def.playlist === 'string' && def.playlist !== '') return def.playlist;
  for (const field of PICKED_FIELDS) {
    const picked = def[`${field}Name`];
    if (def[`${field}Type`] === PICKED_TYPE && typeof picked === 'string' && picked !== '') return picked;
  }
  return undefined;
}

/** Undefined for a node without a palette label (the account config node, which its own name labels). */
export function nodeLabel(type: string, def: Def): string | undefined {
  if (typeof def.name === 'string' && def.name.trim() !== '') return def.name;
  const fromDialog = DIALOG_LABELS[type]?.(def);
  const base = fromDialog ?? catalogText(type, 'paletteLabel');
  if (base === undefined) return undefined;
  const picked = shown(def);
  return picked === undefined ? base : `${base} → ${clip(picked, SHOWN_PICKED)}`;
}
