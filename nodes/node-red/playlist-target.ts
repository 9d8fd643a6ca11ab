// The playlist a playlist node works on: an ID, URI or link (typed, picked from the list, in msg.playlist or a
// playlist object), or a name — the field's "by name" type, a msg.playlist text that is no ID, URI or link, or
// {name: "…"} — looked up among the user's playlists, and created when missing where the node offers it. The
// node's work runs with the playlist's ID; a 404 on it is explained by the playlist's name, and a playlist found
// by name that answers 404 is looked up again once.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { BatchError } from '../spotify/batching';
import { InputError, SpotifyApiError } from '../spotify/errors';
import { looksLikeReference, ownValue, parseRef, type SpotifyRef } from '../spotify/ids';
import { EXPECTED_PLAYLIST_NAME, isPlaylistName, PLAYLIST_NAME_TYPE } from '../spotify/playlist-name-rules';
import { CREATED_PUBLIC, type CreateDefaults, type NamedPlaylist } from '../spotify/playlist-names';
import { clip } from '../spotify/text';
import { phraseText } from '../spotify/words';
import type { TaskContext } from './action-node';
import { fieldLabelText } from './field-labels';
import { runtimeText } from './messages';
import type { StatusWords } from './status-text';
import { playlistProp, type PlaylistDef } from './playlist-inputs';
import { PICKED_TYPE } from './field-spec';
import { evaluate, type TypedValue } from './typed-input';

export interface PlaylistTargetDef extends PlaylistDef {
  /** The display name of a playlist picked from the list. */
  playlistName?: string;
  /** Create a playlist of the name when the user has none they may change (add tracks, replace tracks). */
  createMissing?: boolean;
}

export interface PlaylistTargetOptions {
  /** The node changes the playlist: only playlists the user owns or collaborates on match a name. */
  write: boolean;
  /** The node has the Create when missing option (its dialog's `createMissing` checkbox). */
  offersCreate?: boolean;
}

export interface TargetPlaylist {
  id: string;
  /** Its name, when known (picked, looked up, or carried by a playlist object). */
  name?: string;
  /** Created by this message (Create when missing). */
  created: boolean;
}

/** Which playlist a message names, checked (no request made yet). */
export type PlaylistSource = { kind: 'ref'; ref: SpotifyRef; name?: string; picked: boolean } | { kind: 'name'; name: string };

/** Names in messages are shown cut to this length. */
const SHOWN_NAME = 80;

/** A playlist that answers 404: deleted (or never there), named as the user knows it. A SpotifyApiError still
 *  (msg.spotify.status 404), with a message in the user's words. */
export class PlaylistGoneError extends SpotifyApiError implements StatusWords {
  readonly statusText: string;
  constructor(cause: SpotifyApiError, id: string, name: string | undefined, picked: boolean) {
    const shown = name === undefined ? undefined : clip(name, SHOWN_NAME);
    super({
      message:
        shown === undefined
          ? runtimeText('errors.playlistNotFound', { id })
          : runtimeText(picked ? 'errors.playlistGonePicked' : 'errors.playlistGone', { name: shown }),
      method: cause.method,
      path: cause.path,
      status: cause.status,
      reason: cause.reason,
      spotifyMessage: cause.spotifyMessage,
    });
    this.statusText = runtimeText(shown === undefined ? 'status.playlistNotFound' : 'status.playlistGone');
  }
}

/** A name no playlist of the user has (or only one they may not change). */
export class PlaylistNameError extends InputError implements StatusWords {
  readonly statusText: string;
  constructor(field: string, message: string, name: string) {
    super(field, 'a playlist name');
    this.message = message;
    this.statusText = runtimeText('status.noSuchPlaylist', { name });
  }
}

export class PlaylistTarget {
  private readonly prop: TypedValue;
  private readonly byName: boolean;
  private readonly picked: boolean;
  private readonly canCreate: boolean;

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: PlaylistTargetDef,
    private readonly opts: PlaylistTargetOptions,
  ) {
    this.prop = playlistProp(def);
    this.byName = def.playlistType === PLAYLIST_NAME_TYPE;
    this.picked = def.playlistType === PICKED_TYPE;
    this.canCreate = opts.offersCreate === true && def.createMissing === true;
  }

  /** The playlist the message names, checked before any request (so bad input sends nothing). */
  async read(msg: NodeMessage): Promise<PlaylistSource> {
    const value = await evaluate(this.RED, this.node, msg, this.prop);
    if (this.byName) return { kind: 'name', name: this.checkedName(value) };
    if (this.picked) return { kind: 'ref', ref: parseRef(value, 'playlist', ['playlist']), name: pickedName(this.def), picked: true };
    if (typeof value === 'string' && value.trim() !== '' && !looksLikeReference(value.trim())) {
      return { kind: 'name', name: this.checkedName(value) };
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const name = ownValue(value, 'name');
      const carriesRef = ['id', 'uri', 'item', 'track'].some((k) => ownValue(value, k) !== undefined);
      if (!carriesRef && name !== undefined) return { kind: 'name', name: this.checkedName(name) };
      return {
        kind: 'ref',
        ref: parseRef(value, 'playlist', ['playlist']),
        name: typeof name === 'string' ? name : undefined,
        picked: false,
      };
    }
    return { kind: 'ref', ref: parseRef(value, 'playlist', ['playlist']), picked: false };
  }

  /** Runs `work` on the playlist `read` found in the message; see the top of this file. */
  async run<R>(source: PlaylistSource, ctx: TaskContext, work: (playlist: TargetPlaylist) => Promise<R>): Promise<R> {
    if (source.kind === 'ref') {
      try {
        return await work({ id: source.ref.id, name: source.name, created: false });
      } catch (err) {
        throw explained(err, source.ref.id, source.name, source.picked);
      }
    }
    let lookedAgain = false;
    for (;;) {
      const target = await this.byNameIn(source.name, ctx);
      try {
        return await work(target);
      } catch (err) {
        // Deleted behind the kept list: one new look (and a create, where ticked), only when nothing was written.
        if (!lookedAgain && notFound(err, target.id) && nothingApplied(err)) {
          ctx.account.playlists.gone(target.id);
          lookedAgain = true;
          continue;
        }
        throw explained(err, target.id, target.name, false);
      }
    }
  }

  private async byNameIn(name: string, ctx: TaskContext): Promise<TargetPlaylist> {
    const directory = ctx.account.playlists;
    const concurrency = ctx.settings.pageConcurrency;
    const found = await directory.find(name, { writable: this.opts.write, concurrency }, ctx.counter);
    if (found.playlist) return { id: found.playlist.id, name: found.playlist.name, created: false };
    if (this.canCreate) {
      const made = await directory.findOrCreate(name, this.createDefaults(), { concurrency }, ctx.counter);
      return { id: made.playlist.id, name: made.playlist.name, created: made.created };
    }
    throw this.noSuchName(name, found.notWritable);
  }

  private createDefaults(): CreateDefaults {
    return { public: CREATED_PUBLIC, description: runtimeText('playlists.createdDescription') };
  }

  private noSuchName(name: string, notWritable: NamedPlaylist | undefined): PlaylistNameError {
    const field = this.label();
    const shown = clip(name.trim(), SHOWN_NAME);
    const option = fieldLabelText(this.node.type, 'label.createMissing');
    const offersCreate = this.opts.offersCreate === true;
    const message = notWritable
      ? runtimeText(offersCreate ? 'errors.playlistNotYoursCreate' : 'errors.playlistNotYours', {
          field,
          name: shown,
          owner: clip(notWritable.owner, SHOWN_NAME),
          option,
        })
      : runtimeText(offersCreate ? 'errors.noPlaylistNamedCreate' : 'errors.noPlaylistNamed', { field, name: shown, option });
    return new PlaylistNameError(field, message, shown);
  }

  private checkedName(value: unknown): string {
    if (!isPlaylistName(value)) throw new InputError(this.label(), phraseText(EXPECTED_PLAYLIST_NAME), value);
    return value;
  }

  private label(): string {
    return fieldLabelText(this.node.type, 'label.playlist');
  }
}

/** The name a picked playlist showed in the editor, when the node kept it. */
function pickedName(def: PlaylistTargetDef): string | undefined {
  return typeof def.playlistName === 'string' && def.playlistName !== '' ? def.playlistName : undefined;
}

/** The Spotify failure behind an error (a batch's cause). */
function spotifyCause(err: unknown): SpotifyApiError | undefined {
  const cause = err instanceof BatchError ? (err.cause as unknown) : err;
  return cause instanceof SpotifyApiError ? cause : undefined;
}

function aboutPlaylist(cause: SpotifyApiError, id: string): boolean {
  const base = `/playlists/${encodeURIComponent(id)}`;
  return cause.path === base || cause.path.startsWith(`${base}/`);
}

function notFound(err: unknown, id: string): boolean {
  const cause = spotifyCause(err);
  return cause !== undefined && cause.status === 404 && aboutPlaylist(cause, id);
}

/** Nothing of the message reached the playlist: safe to run it again on another playlist. */
function nothingApplied(err: unknown): boolean {
  return !(err instanceof BatchError) || (err.applied.length === 0 && err.uncertain.length === 0);
}

/** A 404 on the playlist in the user's words; any other error about it named by the playlist's name. */
function explained(err: unknown, id: string, name: string | undefined, picked: boolean): unknown {
  const cause = spotifyCause(err);
  if (!cause || !aboutPlaylist(cause, id)) return err;
  if (cause.status === 404 && nothingApplied(err)) return new PlaylistGoneError(cause, id, name, picked);
  if (name !== undefined && err instanceof Error) {
    err.message = runtimeText('errors.aboutPlaylist', { name: clip(name, SHOWN_NAME), message: err.message });
  }
  return err;
}
