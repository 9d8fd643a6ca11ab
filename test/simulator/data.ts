// The simulated account: users, playlists, the saved library, recently played and the player, seeded
// deterministically. Handlers change it; `Simulator.state` exposes it read-only for assertions.

import { Catalog, type CatalogKind } from './catalog';
import { hex, permutation, Rng } from './prng';
import { makeId } from './ids';
import { LazyList } from './lazy-list';
import type {
  SimCatalog,
  SimCatalogEntry,
  SimDevice,
  SimImage,
  SimLibrary,
  SimPlay,
  SimPlayerState,
  SimPlaylist,
  SimPlaylistEntry,
  SimState,
  SimUser,
  SimulatorOptions,
} from './types';

export const ME = 'sim-user';
export const FRIEND = 'sim-friend';
export const CURATOR = 'sim-curator';

const HOUR = 3_600_000;
/** Seeded timestamps are fixed (not "now") so that the same seed gives byte-identical answers. */
const PLAYLIST_EPOCH = Date.UTC(2026, 8, 5, 9);
const LIBRARY_EPOCH = Date.UTC(2026, 9, 1, 12);
const PLAYLIST_NAMES = [
  'Fresh Finds',
  'Morning Coffee',
  'Deep Focus',
  'Road Trip',
  'Late Night Jazz',
  'Workout Mix',
  'Rainy Day',
  'Throwbacks',
  'Sunday Chill',
  'Kitchen Disco',
];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export class PlaylistRecord implements SimPlaylist {
  readonly uri: string;
  snapshot_id = '';
  /** Every snapshot this playlist had: a stale snapshot_id is accepted, an unknown one is not. */
  readonly snapshots = new Set<string>();
  private version_ = 0;
  /** Set by PUT /playlists/{id}/images; otherwise Spotify shows a mosaic once there are entries. */
  uploadedCover: SimImage[] | undefined;

  constructor(
    private readonly seed: number,
    readonly id: string,
    public name: string,
    public description: string,
    public owner: SimUser,
    public public_: boolean,
    public collaborative: boolean,
    readonly collaborators: string[],
    readonly entries: LazyList<SimPlaylistEntry>,
  ) {
    this.uri = `spotify:playlist:${id}`;
    this.touch();
  }

  /** Read-only to the outside (SimPlaylist); handlers change `public_`. */
  get public(): boolean {
    return this.public_;
  }

  get items(): readonly SimPlaylistEntry[] {
    return this.entries.items();
  }

  get images(): readonly SimImage[] {
    if (this.uploadedCover) return this.uploadedCover;
    if (this.entries.length === 0) return [];
    const h = hex(Rng.of(this.seed, 'mosaic', this.id), 40);
    return [640, 300, 60].map((size) => ({ url: `https://mosaic.scdn.co/${size}/${h}`, height: size, width: size }));
  }

  /** How many snapshots it had: the next snapshot_id is derived from it. */
  get version(): number {
    return this.version_;
  }

  /** Back to a kept snapshot (persist.ts): its id, and the count the next one is derived from. */
  restoreSnapshot(snapshotId: string, version: number): void {
    this.snapshot_id = snapshotId;
    this.snapshots.clear();
    this.snapshots.add(snapshotId);
    this.version_ = version;
  }

  /** Records a change of the entries or details: a new snapshot_id. */
  touch(): void {
    const rng = Rng.of(this.seed, 'snapshot', this.id, this.version_++);
    let snap = '';
    for (let i = 0; i < 32; i++) snap += B64[rng.int(64)];
    this.snapshot_id = snap;
    this.snapshots.add(snap);
  }

  canEdit(userId: string): boolean {
    return this.owner.id === userId || (this.collaborative && this.collaborators.includes(userId));
  }
}

export interface DeviceRec {
  id: string;
  name: string;
  type: string;
  volume: number;
}

export interface PlayerRec {
  deviceId: string | null;
  isPlaying: boolean;
  itemUri: string | null;
  /** Progress at `since`; while playing, progress grows with the clock. */
  progressMs: number;
  since: number;
  shuffle: boolean;
  repeat: 'off' | 'track' | 'context';
  contextUri: string | null;
  /** The context's items in order, for next/previous. */
  contextItems: string[];
  contextPos: number;
  queue: string[];
  devices: DeviceRec[];
}

export interface SavedRec {
  uri: string;
  added_at: string;
}

export class SimStore implements SimState {
  readonly catalogue: Catalog;
  readonly userMap = new Map<string, SimUser>();
  readonly playlistMap = new Map<string, PlaylistRecord>();
  /** /me/playlists, in order; null is the unavailable entry Spotify sometimes returns. */
  readonly myPlaylists: (string | null)[] = [];
  readonly saved: Record<'tracks' | 'albums' | 'shows' | 'episodes' | 'audiobooks', LazyList<SavedRec>>;
  readonly followedArtists: string[] = [];
  readonly followedUsers: string[] = [FRIEND];
  readonly playLog: SimPlay[] = [];
  readonly playerRec: PlayerRec;
  /** Playlists made so far, seeded or created: the next one's id is derived from it. */
  playlistCounter = 0;

  materialisedLists(): number {
    const playlists = [...this.playlistMap.values()].filter((p) => p.entries.materialised).length;
    return playlists + Object.values(this.saved).filter((l) => l.materialised).length;
  }
  private readonly idRng: Rng;

  constructor(
    readonly seed: number,
    data: NonNullable<SimulatorOptions['data']>,
    startedAt: number,
  ) {
    this.catalogue = new Catalog(seed);
    this.idRng = Rng.of(seed, 'runtime-ids');
    for (const [id, name] of [
      [ME, 'Demo Listener'],
      [FRIEND, 'Friendly Collaborator'],
      [CURATOR, 'Curated Sounds'],
    ]) {
      this.userMap.set(id, { id, display_name: name, uri: `spotify:user:${id}` });
    }
    const tracks = this.catalogue.count('track');

    // The user's own playlists; odd positions are private so that both modify scopes matter.
    const sizes = data.playlistSizes ?? [0, 3, 12, 51, 120];
    sizes.forEach((size, k) => {
      const perm = permutation(tracks, seed, 'playlist', k);
      const mixed = size >= 10 && k === 2; // one playlist shows the unusual entries: an episode and a local file
      const entries = new LazyList<SimPlaylistEntry>(size, (i) => {
        const added_at = isoSeconds(PLAYLIST_EPOCH - k * 100 * HOUR - (size - 1 - i) * 3 * HOUR);
        if (mixed && i === 5)
          return {
            uri: `spotify:episode:${this.catalogue.id('episode', perm(i) % this.catalogue.count('episode'))}`,
            added_at,
            added_by: ME,
            is_local: false,
          };
        if (mixed && i === 9)
          return { uri: 'spotify:local:Home+Recordings:Demos:Kitchen+Song:187', added_at, added_by: ME, is_local: true };
        return { uri: `spotify:track:${this.catalogue.id('track', perm(i))}`, added_at, added_by: ME, is_local: false };
      });
      const name =
        PLAYLIST_NAMES[k % PLAYLIST_NAMES.length] + (k >= PLAYLIST_NAMES.length ? ` ${Math.floor(k / PLAYLIST_NAMES.length) + 1}` : '');
      const p = this.addPlaylist(name, `Playlist ${k + 1} by Demo Listener`, ME, k % 2 === 0, false, [], entries);
      this.myPlaylists.push(p.id);
    });
    this.myPlaylists.push(null);

    // Shared with the user: a collaborative playlist (editable) and a followed one (read-only).
    const collabPerm = permutation(tracks, seed, 'collab');
    const collab = this.addPlaylist(
      'Shared Party Mix',
      'Everyone adds their favourites',
      FRIEND,
      false,
      true,
      [ME],
      new LazyList(8, (i) => ({
        uri: `spotify:track:${this.catalogue.id('track', collabPerm(i))}`,
        added_at: isoSeconds(PLAYLIST_EPOCH + i * HOUR),
        added_by: i % 2 ? ME : FRIEND,
        is_local: false,
      })),
    );
    this.myPlaylists.push(collab.id);
    const followed = this.seededPublicPlaylist('Curated Sounds Weekly', 30);
    this.myPlaylists.push(followed.id);
    // Public playlists the user does not follow, for search.
    for (let i = 0; i < 20; i++) this.seededPublicPlaylist(`${PLAYLIST_NAMES[i % PLAYLIST_NAMES.length]} Radio ${i + 1}`, 10 + i);

    const savedTracks = permutation(tracks, seed, 'saved-tracks');
    this.saved = {
      tracks: this.savedList(data.savedTracks ?? 30, 'track', (i) => savedTracks(i)),
      albums: this.savedList(10, 'album', permutation(this.catalogue.count('album'), seed, 'saved-albums')),
      shows: this.savedList(5, 'show', permutation(this.catalogue.count('show'), seed, 'saved-shows')),
      episodes: this.savedList(8, 'episode', permutation(this.catalogue.count('episode'), seed, 'saved-episodes')),
      audiobooks: this.savedList(3, 'audiobook', permutation(this.catalogue.count('audiobook'), seed, 'saved-books')),
    };
    const artistPerm = permutation(this.catalogue.count('artist'), seed, 'followed');
    const followedCount = Math.min(data.followedArtists ?? 25, this.catalogue.count('artist'));
    for (let i = 0; i < followedCount; i++) this.followedArtists.push(this.catalogue.id('artist', artistPerm(i)));

    this.seedPlays(data.recentlyPlayed ?? 60, startedAt);

    const devRng = Rng.of(seed, 'devices');
    this.playerRec = {
      deviceId: null,
      isPlaying: false,
      itemUri: null,
      progressMs: 0,
      since: startedAt,
      shuffle: false,
      repeat: 'off',
      contextUri: null,
      contextItems: [],
      contextPos: 0,
      queue: [],
      devices: [
        { id: hex(devRng, 40), name: 'Living Room Speaker', type: 'Speaker', volume: 40 },
        { id: hex(devRng, 40), name: 'Phone', type: 'Smartphone', volume: 70 },
      ],
    };
  }

  private savedList(n: number, kind: CatalogKind, pick: (i: number) => number): LazyList<SavedRec> {
    // Newest first, a few hours apart.
    return new LazyList(n, (i) => ({
      uri: `spotify:${kind}:${this.catalogue.id(kind, pick(i))}`,
      added_at: isoSeconds(LIBRARY_EPOCH - i * 7 * HOUR),
    }));
  }

  private seededPublicPlaylist(name: string, size: number): PlaylistRecord {
    const perm = permutation(this.catalogue.count('track'), this.seed, 'public', name);
    return this.addPlaylist(
      name,
      'Hand-picked every week',
      this.userMap.get(CURATOR)!.id,
      true,
      false,
      [],
      new LazyList(size, (i) => ({
        uri: `spotify:track:${this.catalogue.id('track', perm(i))}`,
        added_at: isoSeconds(PLAYLIST_EPOCH + i * 5 * HOUR),
        added_by: CURATOR,
        is_local: false,
      })),
    );
  }

  /** Plays back to back, the last one finished a few minutes before the simulator started. */
  private seedPlays(n: number, startedAt: number): void {
    const rng = Rng.of(this.seed, 'plays');
    const perm = permutation(this.catalogue.count('track'), this.seed, 'plays');
    const contexts = [
      null,
      this.myPlaylists[1] ? `spotify:playlist:${this.myPlaylists[1]}` : null,
      `spotify:album:${this.catalogue.id('album', 7)}`,
    ];
    const plays: SimPlay[] = [];
    let t = startedAt - 5 * 60_000;
    for (let i = 0; i < n; i++) {
      // Some favourites repeat, as real listening history does.
      const track = rng.chance(0.2) ? perm(rng.int(10)) : perm(10 + i);
      const rec = this.catalogue.track(track);
      plays.push(playRecord(`spotify:track:${rec.id}`, t, rng.pick(contexts)));
      t -= rec.durationMs + rng.int(90_000);
    }
    this.playLog.push(...plays.reverse());
  }

  addPlaylist(
    name: string,
    description: string,
    ownerId: string,
    isPublic: boolean,
    collaborative: boolean,
    collaborators: string[],
    entries: LazyList<SimPlaylistEntry>,
  ): PlaylistRecord {
    const owner = this.userMap.get(ownerId)!;
    const p = new PlaylistRecord(
      this.seed,
      makeId(this.seed, 'playlist', this.playlistCounter++),
      name,
      description,
      owner,
      isPublic,
      collaborative,
      collaborators,
      entries,
    );
    this.playlistMap.set(p.id, p);
    return p;
  }

  /** Play times strictly increase, so an `after` cursor never skips a play that shares its millisecond. */
  recordPlay(uri: string, at: number, contextUri: string | null): void {
    const last = this.playLog[this.playLog.length - 1];
    this.playLog.push(playRecord(uri, last && at <= last.played_at_ms ? last.played_at_ms + 1 : at, contextUri));
  }

  /** An opaque id for things created at runtime (tokens use crypto instead). */
  runtimeHex(length: number): string {
    return hex(this.idRng, length);
  }

  // ---- SimState (read access) ----

  get me(): SimUser {
    return this.userMap.get(ME)!;
  }
  get users(): readonly SimUser[] {
    return [...this.userMap.values()];
  }
  get playlists(): readonly SimPlaylist[] {
    return [...this.playlistMap.values()];
  }
  playlist(id: string): SimPlaylist | undefined {
    return this.playlistMap.get(id);
  }
  get library(): SimLibrary {
    return {
      tracks: this.saved.tracks.items(),
      albums: this.saved.albums.items(),
      shows: this.saved.shows.items(),
      episodes: this.saved.episodes.items(),
      audiobooks: this.saved.audiobooks.items(),
      artists: [...this.followedArtists],
      users: [...this.followedUsers],
      playlists: [...this.myPlaylists],
    };
  }
  get plays(): readonly SimPlay[] {
    return this.playLog;
  }
  get player(): SimPlayerState {
    const p = this.playerRec;
    const devices: SimDevice[] = p.devices.map((d) => deviceObject(d, p.deviceId));
    return {
      device_id: p.deviceId,
      is_playing: p.isPlaying,
      item_uri: p.itemUri,
      progress_ms: this.progressNow(),
      shuffle_state: p.shuffle,
      repeat_state: p.repeat,
      context_uri: p.contextUri,
      queue: [...p.queue],
      devices,
    };
  }
  get catalog(): SimCatalog {
    const c = this.catalogue;
    const entry =
      (kind: CatalogKind) =>
      (i: number): SimCatalogEntry => {
        const rec = c.get(kind, i);
        return { id: rec.id, uri: `spotify:${kind}:${rec.id}`, name: rec.name };
      };
    return {
      counts: {
        artists: c.count('artist'),
        albums: c.count('album'),
        tracks: c.count('track'),
        shows: c.count('show'),
        episodes: c.count('episode'),
        audiobooks: c.count('audiobook'),
        chapters: c.count('chapter'),
      },
      artist: entry('artist'),
      album: entry('album'),
      show: entry('show'),
      episode: entry('episode'),
      audiobook: entry('audiobook'),
      chapter: entry('chapter'),
      track: (i) => {
        const t = c.track(i);
        return {
          id: t.id,
          uri: `spotify:track:${t.id}`,
          name: t.name,
          duration_ms: t.durationMs,
          album_id: c.id('album', t.album),
          artist_ids: t.artists.map((a) => c.id('artist', a)),
        };
      },
    };
  }

  /** Length of a playable item; unknown items count as three minutes. */
  durationOf(uri: string): number {
    const [, type, id] = uri.split(':');
    if (type === 'track' || type === 'episode' || type === 'chapter') {
      const i = this.catalogue.indexOf(type, id);
      if (i !== undefined) {
        const rec = this.catalogue.get(type, i);
        if ('durationMs' in rec) return rec.durationMs;
      }
    }
    return 180_000;
  }

  progressNow(): number {
    const p = this.playerRec;
    if (!p.itemUri) return 0;
    const grown = p.isPlaying ? p.progressMs + (Date.now() - p.since) : p.progressMs;
    return Math.min(grown, this.durationOf(p.itemUri));
  }
}

export function deviceObject(d: DeviceRec, activeId: string | null): SimDevice {
  return {
    id: d.id,
    name: d.name,
    type: d.type,
    is_active: d.id === activeId,
    is_private_session: false,
    is_restricted: false,
    volume_percent: d.volume,
    supports_volume: true,
  };
}

/** Spotify's added_at has whole seconds: 2026-01-05T09:00:00Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function playRecord(uri: string, at: number, contextUri: string | null): SimPlay {
  return { uri, played_at: new Date(at).toISOString(), played_at_ms: at, context_uri: contextUri };
}
