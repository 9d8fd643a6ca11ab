// The inputs the playlist nodes share: which playlist (default msg.playlist), which tracks or episodes (default
// msg.payload, any number), and a snapshot_id. One rule for all of them: the playlist travels in
// msg.playlist, so a chain of playlist nodes names it once while msg.payload changes. The playlist itself is read
// by playlist-target.ts (an ID or a name).
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { InputError } from '../spotify/errors';
import { parseRefs } from '../spotify/ids';
import { optionalText } from '../spotify/inputs';
import { evaluate, typedValue, type TypedValue } from './typed-input';

/** More than a user would change at once; bounds memory for a runaway message. */
export const MAX_PLAYLIST_TRACKS = 10_000;

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

export interface TracksOptions {
  /** Local files can be removed but not added through the Web API. */
  allowLocal: boolean;
  /** An explicit empty array is accepted (replace: clears the playlist). A missing value never is. */
  allowEmptyArray?: boolean;
}

/** Track and episode URIs in the given order, duplicates kept. */
export async function readTracks(RED: NodeAPI, node: Node, msg: NodeMessage, prop: TypedValue, opts: TracksOptions): Promise<string[]> {
  const value = await evaluate(RED, node, msg, prop);
  if (opts.allowEmptyArray && Array.isArray(value) && value.length === 0) return [];
  if (opts.allowEmptyArray && (value === undefined || value === null || value === '')) {
    // A missing property must not empty someone's playlist.
    throw new InputError('tracks', 'tracks or episodes, or an empty array [] to clear the playlist', value ?? undefined);
  }
  const tracks = parseRefs(value, 'tracks', ['track', 'episode'], { max: MAX_PLAYLIST_TRACKS });
  if (!opts.allowLocal) {
    const local = tracks.findIndex((t) => t.local);
    if (local >= 0) {
      const field = tracks.length > 1 || Array.isArray(value) ? `tracks[${local}]` : 'tracks';
      throw new InputError(field, 'a Spotify track or episode (local files cannot be added through the Web API)', tracks[local].uri);
    }
  }
  return tracks.map((t) => t.uri);
}

/** Spotify's snapshot ids are short opaque strings; anything else is a mistake in the flow. */
export async function readSnapshotId(RED: NodeAPI, node: Node, msg: NodeMessage, prop: TypedValue): Promise<string | undefined> {
  const value = optionalText(await evaluate(RED, node, msg, prop), 'snapshot_id', { max: 200 });
  if (value === undefined || value.trim() === '') return undefined;
  if (/\s/.test(value)) throw new InputError('snapshot_id', 'a snapshot_id as Spotify sent it (no spaces)', value);
  return value;
}
