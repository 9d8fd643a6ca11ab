// The parts of spotify-web-api-node 5 (no types of its own) the benchmark's peer uses.
declare module 'spotify-web-api-node' {
  interface Answer<T> {
    body: T;
    headers: Record<string, string>;
    statusCode: number;
  }
  class SpotifyWebApi {
    constructor(credentials: { clientId?: string; clientSecret?: string; accessToken?: string; refreshToken?: string });
    setAccessToken(token: string): void;
    getAccessToken(): string;
    refreshAccessToken(): Promise<Answer<{ access_token: string }>>;
    getPlaylistTracks(id: string, options: { offset?: number; limit?: number }): Promise<Answer<{ items: unknown[]; next: string | null }>>;
    getMySavedTracks(options: { offset?: number; limit?: number }): Promise<Answer<{ items: unknown[]; next: string | null }>>;
    addTracksToPlaylist(id: string, uris: string[]): Promise<Answer<{ snapshot_id: string }>>;
    addToMySavedTracks(ids: string[]): Promise<Answer<unknown>>;
    getTrack(id: string): Promise<Answer<{ id: string }>>;
  }
  export = SpotifyWebApi;
}

declare module 'spotify-web-api-node/src/webapi-request' {
  interface Built {
    execute(method: unknown): Promise<{ body: unknown; statusCode: number }>;
  }
  export interface Builder {
    withHost(host: string): Builder;
    withPort(port: number): Builder;
    withScheme(scheme: string): Builder;
    withPath(path: string): Builder;
    withQueryParameters(params: Record<string, unknown>): Builder;
    build(): Built;
  }
  /** src/webapi-request.js */
  export interface WebapiRequestModule {
    builder: (accessToken?: string) => Builder;
  }
  /** src/authentication-request.js */
  export interface AuthRequestModule {
    builder: () => Builder;
  }
  /** src/http-manager.js */
  export interface HttpManagerModule {
    put: unknown;
  }
}
