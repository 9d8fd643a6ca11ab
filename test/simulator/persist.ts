// Keeps the simulated account in a JSON file across runs (the demo's): the playlists, the library, the plays, the
// player and its devices, the user's name, and the tokens that still work (so an authorization outlives a
// restart). Loaded once at start; written atomically (temp file + rename), at most once a second after a change,
// and on stop. A file that cannot be used is left out with one line to the log: the run starts from the seed.
// Off unless asked for (SimulatorOptions.persist): tests stay deterministic.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LazyList } from './lazy-list';
import { PlaylistRecord, type PlayerRec, type SavedRec, type SimStore } from './data';
import type { Grant, TokenStore } from './tokens';
import type { SimPlay, SimPlaylistEntry, SimulatorOptions } from './types';

/** Raised when the layout of the file changes: an older file is then left out, not misread. */
const KEPT_FORMAT = 1;
/** The file is never written above this, nor read above it (a stranger's or a runaway file). */
export const MAX_KEPT_BYTES = 16 * 1024 * 1024;
/** Recently played keeps this many (the API shows 50). */
export const MAX_KEPT_PLAYS = 1000;
const SAVE_DELAY_MS = 1000;

const SAVED_KINDS = ['tracks', 'albums', 'shows', 'episodes', 'audiobooks'] as const;
type SavedKind = (typeof SAVED_KINDS)[number];

/** A list as kept: its entries, or only its length while it is still the seeded one (rebuilt from the seed). */
type KeptList<T> = T[] | { seeded: number };

interface KeptPlaylist {
  id: string;
  name: string;
  description: string;
  owner: string;
  public: boolean;
  collaborative: boolean;
  collaborators: string[];
  snapshotId: string;
  version: number;
  cover: { url: string; height: number | null; width: number | null }[] | null;
  entries: KeptList<SimPlaylistEntry>;
}

interface KeptToken {
  token: string;
  grant: Grant;
  /** Access tokens only: epoch ms. */
  expiresAt?: number;
}

export interface Kept {
  format: number;
  /** The seed and seeded sizes the file was made with: seeded lists are rebuilt from them. */
  seed: number;
  data: string;
  displayNames: Record<string, string>;
  playlistCounter: number;
  playlists: KeptPlaylist[];
  myPlaylists: (string | null)[];
  saved: Record<SavedKind, KeptList<SavedRec>>;
  followedArtists: string[];
  followedUsers: string[];
  plays: SimPlay[];
  /** The player as it was when saved, its progress included (it resumes from there). */
  player: Omit<PlayerRec, 'since'>;
  tokens: { refresh: KeptToken[]; access: KeptToken[] };
}

export function dataKey(seed: number, data: SimulatorOptions['data']): { seed: number; data: string } {
  return { seed, data: JSON.stringify(data ?? {}) };
}

/** The state worth keeping, as the file's text. */
export function keptText(store: SimStore, tokens: TokenStore, key: { seed: number; data: string }): string {
  const list = <T>(l: LazyList<T>): KeptList<T> => (l.materialised ? l.items() : { seeded: l.length });
  const p = store.playerRec;
  const kept: Kept = {
    format: KEPT_FORMAT,
    ...key,
    displayNames: Object.fromEntries(store.users.map((u) => [u.id, u.display_name])),
    playlistCounter: store.playlistCounter,
    playlists: [...store.playlistMap.values()].map((pl) => ({
      id: pl.id,
      name: pl.name,
      description: pl.description,
      owner: pl.owner.id,
      public: pl.public,
      collaborative: pl.collaborative,
      collaborators: pl.collaborators,
      snapshotId: pl.snapshot_id,
      version: pl.version,
      cover: pl.uploadedCover ?? null,
      entries: list(pl.entries),
    })),
    myPlaylists: store.myPlaylists,
    saved: Object.fromEntries(SAVED_KINDS.map((k) => [k, list(store.saved[k])])) as Kept['saved'],
    followedArtists: store.followedArtists,
    followedUsers: store.followedUsers,
    plays: store.playLog.slice(-MAX_KEPT_PLAYS),
    player: {
      deviceId: p.deviceId,
      isPlaying: p.isPlaying,
      itemUri: p.itemUri,
      progressMs: store.progressNow(),
      shuffle: p.shuffle,
      repeat: p.repeat,
      contextUri: p.contextUri,
      contextItems: p.contextItems,
      contextPos: p.contextPos,
      queue: p.queue,
      devices: p.devices,
    },
    tokens: { refresh: tokens.liveRefreshTokens(), access: tokens.liveAccessTokens() },
  };
  return JSON.stringify(kept);
}

/** The kept state, undefined when there is no file, or why it cannot be used. */
export function readKept(file: string, key: { seed: number; data: string }): Kept | undefined | { unusable: string } {
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_KEPT_BYTES) return { unusable: `larger than ${MAX_KEPT_BYTES / 1024 / 1024} MB` };
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { unusable: (err as Error).message };
  }
  try {
    const kept = checkKept(JSON.parse(text));
    if (kept.seed !== key.seed || kept.data !== key.data) return { unusable: 'made with other seeded data' };
    return kept;
  } catch (err) {
    return { unusable: err instanceof SyntaxError ? 'not JSON' : (err as Error).message };
  }
}

/**
 * Puts the kept state into a store built from the same seed, and the kept tokens into the token store. Throws
 * (before changing anything the caller keeps) when the file names what the seed does not have.
 */
export function applyKept(store: SimStore, tokens: TokenStore, kept: Kept, now: number): void {
  for (const [id, name] of Object.entries(kept.displayNames)) {
    const user = store.userMap.get(id);
    if (user) (user as { display_name: string }).display_name = name;
  }
  for (const k of kept.playlists) {
    const owner = store.userMap.get(k.owner);
    if (!owner) throw new Error(`playlist ${k.id}: unknown owner ${k.owner}`);
    const seeded = store.playlistMap.get(k.id);
    let entries: LazyList<SimPlaylistEntry>;
    if (Array.isArray(k.entries)) entries = LazyList.of(k.entries);
    else if (seeded && seeded.entries.length === k.entries.seeded && !seeded.entries.materialised) entries = seeded.entries;
    else throw new Error(`playlist ${k.id}: its seeded entries are not this seed's`);
    const p = new PlaylistRecord(store.seed, k.id, k.name, k.description, owner, k.public, k.collaborative, k.collaborators, entries);
    p.restoreSnapshot(k.snapshotId, k.version);
    p.uploadedCover = k.cover ?? undefined;
    store.playlistMap.set(p.id, p);
  }
  store.playlistCounter = Math.max(store.playlistCounter, kept.playlistCounter);
  replaceAll(store.myPlaylists, kept.myPlaylists);
  for (const kind of SAVED_KINDS) {
    const list = kept.saved[kind];
    if (Array.isArray(list)) store.saved[kind].replace(list);
    else if (list.seeded !== store.saved[kind].length) throw new Error(`saved ${kind}: not this seed's`);
  }
  replaceAll(store.followedArtists, kept.followedArtists);
  replaceAll(store.followedUsers, kept.followedUsers);
  replaceAll(store.playLog, kept.plays);
  Object.assign(store.playerRec, { ...kept.player, since: now });
  for (const t of kept.tokens.refresh) tokens.restoreRefreshToken(t);
  for (const t of kept.tokens.access)
    if (t.expiresAt !== undefined && t.expiresAt > now) tokens.restoreAccessToken(t.token, t.grant, t.expiresAt);
}

function replaceAll<T>(target: T[], items: readonly T[]): void {
  target.length = 0;
  target.push(...items);
}

/** Writes the file at most once a second after a change (and at once on flush), only when its text changed. */
export class KeptFile {
  private timer: NodeJS.Timeout | undefined;
  private written = '';
  private lastProblem = '';

  constructor(
    private readonly file: string,
    private readonly text: () => string,
    private readonly log: (line: string) => void,
  ) {}

  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, SAVE_DELAY_MS);
    this.timer.unref();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const text = this.text();
      if (text === this.written) return;
      if (Buffer.byteLength(text) > MAX_KEPT_BYTES)
        throw new Error(`the data grew past ${MAX_KEPT_BYTES / 1024 / 1024} MB; changes from now on are not kept`);
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text, { mode: 0o600 }); // it holds working tokens
      fs.renameSync(tmp, this.file);
      this.written = text;
      this.lastProblem = '';
    } catch (err) {
      // Said once, not at every change: the simulator goes on serving either way.
      const problem = `simulator: could not keep its data in ${this.file}: ${(err as Error).message}`;
      if (problem !== this.lastProblem) this.log(problem);
      this.lastProblem = problem;
    }
  }
}

// ---- the file's shape, checked field by field: a damaged or hand-edited file must not reach the store ----

type Json = Record<string, unknown>;

function checkKept(v: unknown): Kept {
  const o = obj(v, 'the file');
  if (o.format !== KEPT_FORMAT) throw new Error(`format ${String(o.format)} is not ${KEPT_FORMAT}`);
  const savedObj = obj(o.saved, 'saved');
  const tokensObj = obj(o.tokens, 'tokens');
  return {
    format: KEPT_FORMAT,
    seed: num(o.seed, 'seed'),
    data: str(o.data, 'data'),
    displayNames: Object.fromEntries(Object.entries(obj(o.displayNames, 'displayNames')).map(([k, n]) => [k, str(n, `displayNames.${k}`)])),
    playlistCounter: num(o.playlistCounter, 'playlistCounter'),
    playlists: arr(o.playlists, 'playlists', checkPlaylist),
    myPlaylists: arr(o.myPlaylists, 'myPlaylists', (x, at) => (x === null ? null : str(x, at))),
    saved: Object.fromEntries(SAVED_KINDS.map((k) => [k, keptList(savedObj[k], `saved.${k}`, checkSaved)])) as Kept['saved'],
    followedArtists: arr(o.followedArtists, 'followedArtists', str),
    followedUsers: arr(o.followedUsers, 'followedUsers', str),
    plays: arr(o.plays, 'plays', checkPlay),
    player: checkPlayer(obj(o.player, 'player')),
    tokens: { refresh: arr(tokensObj.refresh, 'tokens.refresh', checkToken), access: arr(tokensObj.access, 'tokens.access', checkToken) },
  };
}

function checkPlaylist(v: unknown, at: string): KeptPlaylist {
  const o = obj(v, at);
  return {
    id: str(o.id, `${at}.id`),
    name: str(o.name, `${at}.name`),
    description: str(o.description, `${at}.description`),
    owner: str(o.owner, `${at}.owner`),
    public: bool(o.public, `${at}.public`),
    collaborative: bool(o.collaborative, `${at}.collaborative`),
    collaborators: arr(o.collaborators, `${at}.collaborators`, str),
    snapshotId: str(o.snapshotId, `${at}.snapshotId`),
    version: num(o.version, `${at}.version`),
    cover:
      o.cover === null
        ? null
        : arr(o.cover, `${at}.cover`, (c, ca) => {
            const img = obj(c, ca);
            return {
              url: str(img.url, `${ca}.url`),
              height: numOrNull(img.height, `${ca}.height`),
              width: numOrNull(img.width, `${ca}.width`),
            };
          }),
    entries: keptList(o.entries, `${at}.entries`, (e, ea) => {
      const x = obj(e, ea);
      return {
        uri: str(x.uri, `${ea}.uri`),
        added_at: str(x.added_at, `${ea}.added_at`),
        added_by: str(x.added_by, `${ea}.added_by`),
        is_local: bool(x.is_local, `${ea}.is_local`),
      };
    }),
  };
}

function checkSaved(v: unknown, at: string): SavedRec {
  const o = obj(v, at);
  return { uri: str(o.uri, `${at}.uri`), added_at: str(o.added_at, `${at}.added_at`) };
}

function checkPlay(v: unknown, at: string): SimPlay {
  const o = obj(v, at);
  return {
    uri: str(o.uri, `${at}.uri`),
    played_at: str(o.played_at, `${at}.played_at`),
    played_at_ms: num(o.played_at_ms, `${at}.played_at_ms`),
    context_uri: strOrNull(o.context_uri, `${at}.context_uri`),
  };
}

function checkPlayer(o: Json): Kept['player'] {
  const repeat = o.repeat;
  if (repeat !== 'off' && repeat !== 'track' && repeat !== 'context') throw new Error('player.repeat is not off, track or context');
  const devices = arr(o.devices, 'player.devices', (d, at) => {
    const x = obj(d, at);
    return {
      id: str(x.id, `${at}.id`),
      name: str(x.name, `${at}.name`),
      type: str(x.type, `${at}.type`),
      volume: num(x.volume, `${at}.volume`),
    };
  });
  // Commands without a device id fall back to the first device.
  if (devices.length === 0) throw new Error('player.devices is empty');
  const deviceId = strOrNull(o.deviceId, 'player.deviceId');
  if (deviceId !== null && !devices.some((d) => d.id === deviceId)) throw new Error('player.deviceId names no device');
  return {
    deviceId,
    isPlaying: bool(o.isPlaying, 'player.isPlaying'),
    itemUri: strOrNull(o.itemUri, 'player.itemUri'),
    progressMs: num(o.progressMs, 'player.progressMs'),
    shuffle: bool(o.shuffle, 'player.shuffle'),
    repeat,
    contextUri: strOrNull(o.contextUri, 'player.contextUri'),
    contextItems: arr(o.contextItems, 'player.contextItems', str),
    contextPos: num(o.contextPos, 'player.contextPos'),
    queue: arr(o.queue, 'player.queue', str),
    devices,
  };
}

function checkToken(v: unknown, at: string): KeptToken {
  const o = obj(v, at);
  const g = obj(o.grant, `${at}.grant`);
  return {
    token: str(o.token, `${at}.token`),
    grant: {
      clientId: str(g.clientId, `${at}.grant.clientId`),
      userId: str(g.userId, `${at}.grant.userId`),
      scopes: arr(g.scopes, `${at}.grant.scopes`, str),
      consentAt: num(g.consentAt, `${at}.grant.consentAt`),
      pkce: bool(g.pkce, `${at}.grant.pkce`),
    },
    ...(o.expiresAt === undefined ? {} : { expiresAt: num(o.expiresAt, `${at}.expiresAt`) }),
  };
}

function keptList<T>(v: unknown, at: string, each: (x: unknown, at: string) => T): KeptList<T> {
  if (Array.isArray(v)) return arr(v, at, each);
  return { seeded: num(obj(v, at).seeded, `${at}.seeded`) };
}

function obj(v: unknown, at: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${at} is not an object`);
  return v as Json;
}

function arr<T>(v: unknown, at: string, each: (x: unknown, at: string) => T): T[] {
  if (!Array.isArray(v)) throw new Error(`${at} is not a list`);
  return v.map((x, i) => each(x, `${at}[${i}]`));
}

function str(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new Error(`${at} is not text`);
  return v;
}

function strOrNull(v: unknown, at: string): string | null {
  return v === null ? null : str(v, at);
}

function num(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${at} is not a number`);
  return v;
}

function numOrNull(v: unknown, at: string): number | null {
  return v === null ? null : num(v, at);
}

function bool(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${at} is not true or false`);
  return v;
}
