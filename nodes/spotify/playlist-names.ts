// Playlists by name: "Saved this week" is found among the user's playlists (their own and the ones they follow)
// through one read of /me/playlists per account, kept for a while and shared by every node and message, and is
// created when missing — once, however many messages ask at the same moment. Knows nothing about Node-RED.
import type { RequestCounter } from './http-client';
import { KeyedQueue } from './keyed-queue';
import { OPERATIONS, type Operation } from './operations';
import { MAX_PLAYLIST_NAME } from './playlist-name-rules';
import type { ScopeRequirement } from './scopes';
import type { SpotifyClient } from './spotify-client';
import { say } from './words';

export { MAX_PLAYLIST_NAME, PLAYLIST_NAME_TYPE } from './playlist-name-rules';

/** How long one read of the user's playlists answers lookups: renames and new playlists made in Spotify's own
 *  app show up after this at the latest (what the pack itself creates or renames shows up at once). */
export const PLAYLIST_NAMES_TTL_MS = 10 * 60_000;
/** A name that is not in a list older than this is looked for in a new read first (it may have been made in
 *  Spotify's app a moment ago); at most one such read per this time, however many messages miss. */
export const MISS_REREAD_MS = 30_000;
/** How long Spotify may take to list a playlist just created (or to stop listing one just deleted): what the pack
 *  changed is laid over every read for this long. */
export const LISTING_LAG_MS = 60_000;

/** What a lookup needs of a playlist. */
export interface NamedPlaylist {
  id: string;
  name: string;
  /** Display name or id of the owner, for errors about someone else's playlist. */
  owner: string;
  /** The user owns it. */
  own: boolean;
  collaborative: boolean;
}

export interface NameLookup {
  /** The playlist to use; undefined when none fits. */
  playlist?: NamedPlaylist;
  /** For a write with no playlist found: one of that name the user follows but may not change. */
  notWritable?: NamedPlaylist;
}

export interface LookupOptions {
  /** Only playlists the user may change (own or collaborative) count: the node writes to it. */
  writable: boolean;
  /** Pages of /me/playlists read at a time (the pack's pageConcurrency). */
  concurrency?: number;
}

/** A playlist created when missing is private: a flow's working playlist is nobody else's business until the
 *  user shares it in Spotify. */
export const CREATED_PUBLIC = false;

/** The scope creating a playlist needs: Spotify checks modify-private for a private one, modify-public for a
 *  public one. */
export function createScopes(isPublic: boolean): ScopeRequirement {
  return [isPublic ? 'playlist-modify-public' : 'playlist-modify-private'];
}

/** What a playlist created when missing gets besides its name. */
export interface CreateDefaults {
  public: boolean;
  description: string;
}

interface PlaylistObject {
  id?: unknown;
  name?: unknown;
  collaborative?: unknown;
  owner?: { id?: unknown; display_name?: unknown } | null;
}

interface Snapshot {
  playlists: NamedPlaylist[];
  /** When the read began (epoch ms). */
  readAt: number;
  userId: string;
  /** The change count when the read began: changes the pack made after it are laid over it. */
  seq: number;
}

/** A change the pack made; applying it twice is harmless. `at`: when (epoch ms). */
type Change = { seq: number; at: number; apply: (list: NamedPlaylist[]) => NamedPlaylist[] };

/** The form two names are compared in when no name matches exactly: trimmed, inner spaces as one, any case. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The playlist a name stands for: an exact match before one that differs only in case or spaces; among
 * matches of the same kind, the user's own before collaborative ones before followed ones, then Spotify's
 * order (the user's library, newest first). For a write only playlists the user may change count.
 */
export function matchName(playlists: readonly NamedPlaylist[], name: string, writable: boolean): NameLookup {
  const key = nameKey(name);
  const exact = playlists.filter((p) => p.name === name || p.name === name.trim());
  const loose = playlists.filter((p) => nameKey(p.name) === key);
  const rank = (p: NamedPlaylist): number => (p.own ? 0 : p.collaborative ? 1 : 2);
  for (const found of [exact, loose]) {
    const usable = writable ? found.filter((p) => p.own || p.collaborative) : found;
    // sort is stable: Spotify's order within a rank.
    if (usable.length) return { playlist: [...usable].sort((a, b) => rank(a) - rank(b))[0] };
  }
  return { notWritable: loose[0] };
}

export interface DirectoryOptions {
  ttlMs?: number;
  missRereadMs?: number;
  now?: () => number;
}

/** One account's playlists by name. */
export class PlaylistDirectory {
  private snapshot: Snapshot | undefined;
  private loading: { promise: Promise<Snapshot>; seq: number; userId: string } | undefined;
  /** Counts every change and every read started; a read that began before `invalidAt` is not trusted. */
  private seq = 0;
  private invalidAt = 0;
  /** Changes the pack made (created, renamed, gone): those a read that may still be running began before, and
   *  those Spotify may not list yet (LISTING_LAG_MS). */
  private changes: Change[] = [];
  private readonly creating = new KeyedQueue();
  private fetchedUserId: Promise<string> | undefined;
  private readonly ttlMs: number;
  private readonly missRereadMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: SpotifyClient,
    /** The authorized user's id as the token store knows it (undefined for an authorization that did not keep it). */
    private readonly knownUserId: () => string | undefined,
    opts: DirectoryOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? PLAYLIST_NAMES_TTL_MS;
    this.missRereadMs = opts.missRereadMs ?? MISS_REREAD_MS;
    this.now = opts.now ?? Date.now;
  }

  /** The playlist `name` stands for, from the kept list (read first when there is none or it is stale). */
  async find(name: string, opts: LookupOptions, counter?: RequestCounter): Promise<NameLookup> {
    let snap = await this.current(opts, counter);
    let found = matchName(snap.playlists, name, opts.writable);
    if (!found.playlist && this.now() - snap.readAt > this.missRereadMs) {
      snap = await this.newerThan(snap, opts, counter);
      found = matchName(snap.playlists, name, opts.writable);
    }
    return found;
  }

  /**
   * The playlist `name` stands for, created (private unless told otherwise) when there is none the user may
   * change. One create per name at a time: a message that waited finds the playlist the one before it made.
   */
  findOrCreate(
    name: string,
    defaults: CreateDefaults,
    opts: Omit<LookupOptions, 'writable'>,
    counter?: RequestCounter,
  ): Promise<{ playlist: NamedPlaylist; created: boolean }> {
    return this.creating.run(nameKey(name), async () => {
      const found = await this.find(name, { ...opts, writable: true }, counter);
      if (found.playlist) return { playlist: found.playlist, created: false };
      return { playlist: await this.create(name.trim(), defaults, counter), created: true };
    });
  }

  /** A playlist the pack created (here or in the create playlist node): known at once, before any new read. */
  remember(playlist: unknown): void {
    const p = this.summary(playlist as PlaylistObject | null, undefined);
    if (p) this.change((list) => [{ ...p, own: true }, ...list.filter((x) => x.id !== p.id)]);
  }

  /** A playlist the pack renamed. */
  renamed(id: string, name: string): void {
    this.change((list) => list.map((p) => (p.id === id ? { ...p, name } : p)));
  }

  /** A kept playlist answered 404: it is dropped, and the next lookup reads the list again. */
  gone(id: string): void {
    this.change((list) => list.filter((p) => p.id !== id));
    this.invalidate();
  }

  /** The user's playlists changed in a way the pack does not track (followed or unfollowed): read them again. */
  invalidate(): void {
    this.invalidAt = ++this.seq;
  }

  private change(apply: Change['apply']): void {
    const seq = ++this.seq;
    this.changes.push({ seq, at: this.now(), apply });
    if (this.snapshot) this.snapshot = { ...this.snapshot, playlists: apply(this.snapshot.playlists) };
  }

  /** A list read after `snap` began: the one running or kept already, else a new one (concurrent misses share it). */
  private newerThan(snap: Snapshot, opts: LookupOptions, counter?: RequestCounter): Promise<Snapshot> {
    if (this.loading && this.loading.seq > snap.seq) return this.loading.promise;
    if (this.snapshot && this.snapshot.seq > snap.seq) return Promise.resolve(this.snapshot);
    this.invalidate();
    return this.current(opts, counter);
  }

  private recent(c: Change): boolean {
    return this.now() - c.at < LISTING_LAG_MS;
  }

  private async current(opts: LookupOptions, counter?: RequestCounter): Promise<Snapshot> {
    const userId = await this.userId(counter);
    const snap = this.snapshot;
    if (snap && snap.userId === userId && snap.seq > this.invalidAt && this.now() - snap.readAt < this.ttlMs) return snap;
    const running = this.loading;
    if (running && running.userId === userId && running.seq > this.invalidAt) return running.promise;
    return this.read(userId, opts, counter);
  }

  /** One read of every playlist in the user's library, shared by every lookup that waits for it. */
  private read(userId: string, opts: LookupOptions, counter?: RequestCounter): Promise<Snapshot> {
    const seq = ++this.seq;
    const readAt = this.now();
    const promise = (async (): Promise<Snapshot> => {
      let playlists: NamedPlaylist[] = [];
      for await (const p of this.client.list<PlaylistObject>(OPERATIONS.myPlaylists, {}, { concurrency: opts.concurrency }, counter)) {
        const summary = this.summary(p, userId);
        if (summary) playlists.push(summary);
      }
      // What the pack changed while the pages were on their way, or so lately that Spotify may not list it yet:
      // without it, a name just created would be created again.
      for (const c of this.changes) if (c.seq > seq || this.recent(c)) playlists = c.apply(playlists);
      const snap: Snapshot = { playlists, readAt, userId, seq };
      if (!this.snapshot || this.snapshot.seq < seq) this.snapshot = snap;
      return snap;
    })();
    this.loading = { promise, seq, userId };
    const settle = (): void => {
      if (this.loading?.promise === promise) this.loading = undefined;
      const oldest = Math.min(this.snapshot?.seq ?? seq, this.loading?.seq ?? Infinity);
      this.changes = this.changes.filter((c) => c.seq > oldest || this.recent(c));
    };
    promise.then(settle, settle);
    return promise;
  }

  private async create(name: string, defaults: CreateDefaults, counter?: RequestCounter): Promise<NamedPlaylist> {
    const op: Operation = { ...OPERATIONS.createPlaylist, scopes: createScopes(defaults.public) };
    try {
      // A POST: never repeated after a lost answer (a second playlist of the name would be worse than an error).
      const created = await this.client.call<PlaylistObject>(
        op,
        { body: { name, public: defaults.public, ...(defaults.description ? { description: defaults.description } : {}) } },
        counter,
      );
      const p = this.summary(created, undefined);
      if (!p) throw new Error(say('playlist.createdNoId'));
      const own = { ...p, own: true };
      this.change((list) => [own, ...list.filter((x) => x.id !== own.id)]);
      return own;
    } catch (err) {
      // The playlist may exist now (a lost answer): the next lookup reads the list instead of creating again.
      this.invalidate();
      throw err;
    }
  }

  private summary(p: PlaylistObject | null | undefined, userId: string | undefined): NamedPlaylist | undefined {
    // Names longer than any lookup may ask for are never matched: not kept either.
    if (typeof p?.id !== 'string' || typeof p.name !== 'string' || p.name.length > MAX_PLAYLIST_NAME) return undefined;
    const ownerId = typeof p.owner?.id === 'string' ? p.owner.id : undefined;
    return {
      id: p.id,
      name: p.name,
      owner: typeof p.owner?.display_name === 'string' ? p.owner.display_name : (ownerId ?? ''),
      own: ownerId !== undefined && ownerId === userId,
      collaborative: p.collaborative === true,
    };
  }

  /** The authorized user's id: kept with the tokens since the authorization; read once from /me when not. */
  private userId(counter?: RequestCounter): Promise<string> {
    const known = this.knownUserId();
    if (known) return Promise.resolve(known);
    if (!this.fetchedUserId) {
      // Only the id is needed, which /me gives without any scope.
      const fetching = this.client
        .call<{ id?: unknown }>({ ...OPERATIONS.me, scopes: [] }, {}, counter)
        .then((me) => (typeof me?.id === 'string' ? me.id : ''));
      this.fetchedUserId = fetching;
      fetching.catch(() => {
        if (this.fetchedUserId === fetching) this.fetchedUserId = undefined;
      });
    }
    return this.fetchedUserId;
  }
}
