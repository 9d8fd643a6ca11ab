// The simulator's public types. Other parts of the pack (node tests, the demo, benchmarks) code against these,
// so they change only together with everyone who uses them.

import type { RateLimitSettings } from './rate-window';
import type { SavedRefreshToken } from './tokens';
export type { RateLimitSettings } from './rate-window';
export type { SavedRefreshToken } from './tokens';

export interface SimApp {
  clientId: string;
  /** Absent = a PKCE-only public client. */
  clientSecret?: string;
  redirectUris: string[];
  name?: string;
  /** The developer account that owns the app: the quota is counted per developer (default: the client id). */
  developer?: string;
}

export interface SimulatorOptions {
  /** 0 (default) = a random free port; always binds 127.0.0.1. */
  port?: number;
  /** Seed for all generated data (default 1). */
  seed?: number;
  /** Default: one app {clientId:'sim-client-id', clientSecret:'sim-client-secret', redirectUris:[]}. */
  apps?: SimApp[];
  /** Access token expires_in (default 3600). */
  tokenLifetimeSeconds?: number;
  /** Counted from the consent; refreshing does not extend it (default 6 months). */
  refreshTokenLifetimeSeconds?: number;
  /** false (default): refresh answers carry no refresh_token; true: a new one each time, the old one dies. */
  rotateRefreshTokens?: boolean;
  /** Added to every accounts and API response (default 0). */
  latencyMs?: number;
  /** Default true; false makes player commands answer 403 PREMIUM_REQUIRED. */
  premium?: boolean;
  /** Spotify's rate limit (a rolling window per app, a quota per developer account); default off. */
  rateLimit?: RateLimitSettings;
  /** Refresh tokens of an earlier run (from liveRefreshTokens()) that keep working in this one. */
  refreshTokens?: SavedRefreshToken[];
  /**
   * Keeps the account (playlists, library, plays, player and devices, the user's name) and the tokens that
   * still work in `file` across runs: loaded at start, written atomically at most once a second after a change
   * and on stop. A file that cannot be used: a start from the seed and one line to `log` (default stderr).
   * Off by default: every run starts from the seed (tests stay deterministic). The demo keeps its own.
   */
  persist?: { file: string; log?: (line: string) => void };
  data?: {
    playlistSizes?: number[];
    savedTracks?: number;
    recentlyPlayed?: number;
    followedArtists?: number;
  };
}

export interface FaultRule {
  /** Matched case-insensitively; absent = any method. */
  method?: string;
  /** Matched on the URL pathname: a string equals it (with or without the `/v1` prefix), a RegExp tests it. */
  path?: string | RegExp;
  /** Answer this status instead (body: Spotify's error shape for it unless `body` is given). */
  status?: number;
  body?: unknown;
  /** Extra answer headers, e.g. `{location: 'http://elsewhere/'}` with a 30x status: a hostile redirect. */
  headers?: Record<string, string>;
  /** Seconds, sent as Retry-After (a 429 always carries one; default 1). */
  retryAfter?: number;
  /** Added to the error body, e.g. 'QUOTA_EXCEEDED'. */
  reason?: string;
  /** Destroy the socket without an answer. */
  reset?: boolean;
  /** With reset/status: perform the request first, then fail (a write that happened but whose answer was lost). */
  afterEffect?: boolean;
  /** Extra latency for matching requests, after the service acted on them (the answer's way back). */
  delayMs?: number;
  /** In-process only: the answer waits for this to settle, after the service acted on the request (a test holds
   *  several requests until all have arrived, so they overlap for sure). */
  holdUntil?: Promise<unknown>;
  /** Apply to this many matching requests, then stop (default unlimited). */
  times?: number;
  /** Apply to every Nth matching request. */
  every?: number;
  /** 0..1, decided by the seeded PRNG. */
  probability?: number;
}

export interface SimRequest {
  method: string;
  /** The URL pathname, e.g. `/v1/me/playlists` or `/api/token`. */
  path: string;
  query: Record<string, string>;
  /** 0 while unanswered and for a reset connection. */
  status: number;
  /** Epoch ms when the request arrived. */
  at: number;
  /** Epoch ms when its answer was sent (0 while unanswered or reset): with `at`, shows which requests overlapped. */
  answeredAt: number;
  kind: 'accounts' | 'api' | 'control';
  faulted: boolean;
  /** How many URIs a JSON body's `uris` list held (a playlist write): batch sizes can be asserted. */
  uris?: number;
}

export interface RequestFilter {
  method?: string;
  path?: string | RegExp;
  kind?: SimRequest['kind'];
}

export interface SimUser {
  readonly id: string;
  readonly display_name: string;
  readonly uri: string;
}

export interface SimImage {
  readonly url: string;
  readonly height: number | null;
  readonly width: number | null;
}

export interface SimPlaylistEntry {
  /** spotify:track:…, spotify:episode:… or spotify:local:… */
  readonly uri: string;
  /** ISO timestamp, as the API sends it. */
  readonly added_at: string;
  /** User id. */
  readonly added_by: string;
  readonly is_local: boolean;
}

export interface SimPlaylist {
  readonly id: string;
  readonly uri: string;
  readonly name: string;
  readonly description: string;
  readonly public: boolean;
  readonly collaborative: boolean;
  readonly owner: SimUser;
  /** Users (besides the owner) who may edit a collaborative playlist. */
  readonly collaborators: readonly string[];
  readonly snapshot_id: string;
  /** Built on first access for seeded playlists: reading a 50,000-entry playlist's `items` is not free. */
  readonly items: readonly SimPlaylistEntry[];
  readonly images: readonly SimImage[];
}

export interface SimSavedItem {
  readonly uri: string;
  readonly added_at: string;
}

export interface SimLibrary {
  /** Each list newest first, as the API pages them. */
  readonly tracks: readonly SimSavedItem[];
  readonly albums: readonly SimSavedItem[];
  readonly shows: readonly SimSavedItem[];
  readonly episodes: readonly SimSavedItem[];
  readonly audiobooks: readonly SimSavedItem[];
  /** Followed artist ids. */
  readonly artists: readonly string[];
  /** Followed user ids. */
  readonly users: readonly string[];
  /** Playlist ids in /me/playlists order; `null` is the unavailable entry Spotify sometimes sends. */
  readonly playlists: readonly (string | null)[];
}

export interface SimPlay {
  readonly uri: string;
  readonly played_at: string;
  readonly played_at_ms: number;
  readonly context_uri: string | null;
}

export interface SimDevice {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly is_active: boolean;
  readonly is_private_session: boolean;
  readonly is_restricted: boolean;
  readonly volume_percent: number;
  readonly supports_volume: boolean;
}

export interface SimPlayerState {
  /** The active device, null when nothing is active (GET /me/player answers 204). */
  readonly device_id: string | null;
  readonly is_playing: boolean;
  readonly item_uri: string | null;
  readonly progress_ms: number;
  readonly shuffle_state: boolean;
  readonly repeat_state: 'off' | 'track' | 'context';
  readonly context_uri: string | null;
  /** What the user queued (POST /me/player/queue), next first. */
  readonly queue: readonly string[];
  readonly devices: readonly SimDevice[];
}

export interface SimCatalogEntry {
  readonly id: string;
  readonly uri: string;
  readonly name: string;
}

/** Index-addressed access to the generated catalogue, for picking real ids in tests. */
export interface SimCatalog {
  readonly counts: Readonly<Record<'artists' | 'albums' | 'tracks' | 'shows' | 'episodes' | 'audiobooks' | 'chapters', number>>;
  artist(index: number): SimCatalogEntry;
  album(index: number): SimCatalogEntry;
  track(
    index: number,
  ): SimCatalogEntry & { readonly duration_ms: number; readonly album_id: string; readonly artist_ids: readonly string[] };
  show(index: number): SimCatalogEntry;
  episode(index: number): SimCatalogEntry;
  audiobook(index: number): SimCatalogEntry;
  chapter(index: number): SimCatalogEntry;
}

export interface SimState {
  /** How many seeded lists (playlist entries, saved items) have been built into real arrays by a write. */
  materialisedLists(): number;
  /** The signed-in user, "Demo Listener" (id sim-user). */
  readonly me: SimUser;
  readonly users: readonly SimUser[];
  /** Every playlist the simulator knows (the user's, the collaborative and followed ones, public ones). */
  readonly playlists: readonly SimPlaylist[];
  playlist(id: string): SimPlaylist | undefined;
  readonly library: SimLibrary;
  /** Recently played, oldest first (the API answers newest first). */
  readonly plays: readonly SimPlay[];
  readonly player: SimPlayerState;
  readonly catalog: SimCatalog;
}

export interface Simulator {
  /** http://127.0.0.1:PORT — the accounts base (/authorize, /api/token). */
  readonly url: string;
  /** url + '/v1'. */
  readonly apiUrl: string;
  /** Throws like Spotify's dashboard for a redirect URI Spotify rejects. */
  registerApp(app: SimApp): void;
  addRedirectUri(clientId: string, uri: string): void;
  addFault(rule: FaultRule): number;
  removeFault(id: number): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Turns Spotify's rate limit on with these settings (counts start afresh), or off with undefined. */
  setRateLimit(settings: RateLimitSettings | undefined): void;
  setTokenLifetime(seconds: number): void;
  setRotateRefreshTokens(on: boolean): void;
  /** /api/token answers 503 while down. */
  setTokenEndpointDown(down: boolean): void;
  /** Every access token issued so far answers 401 "The access token expired". */
  expireAccessTokens(): void;
  /** Access tokens -> 401 "Invalid access token"; refresh tokens -> invalid_grant. */
  revokeTokens(): void;
  /** Refresh -> 400 invalid_grant "Refresh token expired". */
  expireRefreshTokens(): void;
  /** True when this run started from the state kept by an earlier one (options.persist). */
  readonly restored: boolean;
  /** Renames the signed-in user (e.g. to a name with markup in it, for escaping tests). */
  setDisplayName(name: string): void;
  /** The user makes a playlist in Spotify's own app (first in their library, as Spotify lists new ones). */
  createPlaylist(name: string): SimPlaylist;
  /** The playlist is gone (deleted in Spotify's app, or forgotten by a restarted simulator): 404 from now on. */
  deletePlaylist(id: string): void;
  /** The refresh tokens that still work, to pass as `refreshTokens` to a later simulator (the demo keeps them). */
  liveRefreshTokens(): SavedRefreshToken[];
  /** Every authorization code, access token and refresh token issued so far, for scans that look for leaks. */
  issuedSecrets(): { codes: string[]; accessTokens: string[]; refreshTokens: string[]; verifiers: string[] };
  /** Start playing now (as if on the user's phone): updates the player and appends to recently played. */
  play(uri: string, opts?: { deviceId?: string; progressMs?: number; contextUri?: string }): void;
  pause(): void;
  /** Resume what is loaded, or the most recent play (as the Spotify apps do). */
  resume(): void;
  /** The next button on the user's phone: the queue, then the context. */
  next(): void;
  /** Drives the consent page over real HTTP and returns the Location it redirects to. */
  consent(authorizeUrl: string, decision: 'approve' | 'deny'): Promise<string>;
  readonly requests: SimRequest[];
  clearRequests(): void;
  /** Builds the search indexes now, not on the first search of each type (a test measuring memory). */
  buildSearchIndexes(): void;
  /** Control calls (/__sim/) are counted only when `kind: 'control'` is asked for. */
  count(filter?: RequestFilter): number;
  readonly state: SimState;
  stop(): Promise<void>;
}
