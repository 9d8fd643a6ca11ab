// The inputs the playlist nodes share: which playlist (default msg.playlist), which tracks or episodes (default
// msg.payload, any number), and a snapshot_id. One rule for all of them: the playlist travels in
// msg.playlist, so a chain of playlist nodes names it once while msg.payload changes. The playlist itself is read
// by playlist-target.ts (an ID or a name).
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { InputError } from '../spotify/errors';
import { expectText } from '../spotify/words';
import { parseRefs, type SpotifyType } from '../spotify/ids';
import { writableRefs, type UnwritableMode, type WritableRefs } from '../spotify/writable';
import { optionalText } from '../spotify/inputs';
import { evaluate, typedValue, type TypedValue } from './typed-input';

/** More than a user would change at once; bounds memory for a runaway message. */
export const MAX_PLAYLIST_TRACKS = 10_000;
/** What a playlist holds. */
const TRACK_TYPES: readonly SpotifyType[] = ['track', 'episode'];

export interface PlaylistDef {
  playlist?: string;
  playlistType?: string;
}

export interface TracksDef {
  tracks?: string;
  tracksType?: string;
}

export function playlistProp(def: PlaylistDef): TypedValue {
  return typedValue(def.playlist, def.playlistType, { value: 'playlist', type: 'msg' });
}

export function tracksProp(def: TracksDef): TypedValue {
  return typedValue(def.tracks, def.tracksType, { value: 'payload', type: 'msg' });
}

/** Track and episode URIs in the given order, duplicates kept; local files too (they can be removed). */
export async function readTracks(RED: NodeAPI, node: Node, msg: NodeMessage, prop: TypedValue): Promise<string[]> {
  const tracks = parseRefs(await evaluate(RED, node, msg, prop), 'tracks', TRACK_TYPES, { max: MAX_PLAYLIST_TRACKS });
  return tracks.map((t) => t.uri);
}

/** Spotify's snapshot ids are short opaque strings; anything else is a mistake in the flow. */
export async function readSnapshotId(
  RED: NodeAPI,
  node: Node,
  msg: NodeMessage,
  prop: TypedValue,
  /** The field's dialog label, naming it in errors. */
  label = 'snapshot_id',
): Promise<string | undefined> {
  const value = optionalText(await evaluate(RED, node, msg, prop), label, { max: 200 });
  if (value === undefined || value.trim() === '') return undefined;
  if (/\s/.test(value)) throw new InputError(label, expectText('snapshotId'), value);
  return value;
}

export interface WritableTracksOptions {
  /** The field's dialog label, naming it in errors ("Tracks"). */
  label: string;
  /** Local files and unavailable items: skipped and counted, or the message refused. */
  mode: UnwritableMode;
  /** An explicit empty array is accepted (replace: clears the playlist). A missing value never is. */
  allowEmptyArray?: boolean;
}

/** Tracks and episodes to add to a playlist, in the given order, duplicates kept; what a playlist cannot take
 *  (local files, items Spotify no longer offers) skipped and counted, or refused. */
export async function readWritableTracks(
  RED: NodeAPI,
  node: Node,
  msg: NodeMessage,
  prop: TypedValue,
  opts: WritableTracksOptions,
): Promise<WritableRefs> {
  const value = await evaluate(RED, node, msg, prop);
  const explicitEmpty = opts.allowEmptyArray === true && Array.isArray(value) && value.length === 0;
  if (opts.allowEmptyArray && (value === undefined || value === null || value === '')) {
    // A missing property must not empty someone's playlist.
    throw new InputError(opts.label, expectText('replaceItems'), value ?? undefined);
  }
  return writableRefs(value, opts.label, TRACK_TYPES, {
    mode: opts.mode,
    localWhy: expectText('localAdd'),
    expected: expectText('trackOrEpisode'),
    max: MAX_PLAYLIST_TRACKS,
    allowEmpty: explicitEmpty,
  });
}
