// What users pick instead of the pack, written as a competent function-node user would write them against the
// 2026 API: one page after another following `next`, Spotify's largest allowed limit, a Retry-After loop, a
// token refresh when a request answers 401, and only the 2026 path renames applied (playlist `/tracks` →
// `/items`; library saves through `PUT /me/library?uris=`). Each is pointed at the simulator the way its library
// allows (spotify-web-api-node: its request builders' host; the TS SDK: its `fetch` option). "As shipped" runs
// the same calls without the renames and with the library's documented limits.
import { createRequire } from 'node:module';
import SpotifyWebApi from 'spotify-web-api-node';
import type { AuthRequestModule, HttpManagerModule, WebapiRequestModule } from 'spotify-web-api-node/src/webapi-request';
import { SpotifyApi, type AccessToken } from '@spotify/web-api-ts-sdk';

// The library's request builders are patched on the module objects it uses itself (an ES import would hand
// out copies), the way one points it at a proxy or a test server.
const load = createRequire(__filename);
const webapiRequest = load('spotify-web-api-node/src/webapi-request') as WebapiRequestModule;
const authRequest = load('spotify-web-api-node/src/authentication-request') as AuthRequestModule;
const httpManager = load('spotify-web-api-node/src/http-manager') as HttpManagerModule;

/** The calls every contestant makes; each resolves with what it read or wrote. */
export interface Peer {
  readonly name: string;
  readonly via: string;
  readPlaylist(playlistId: string): Promise<number>;
  readSavedTracks(): Promise<number>;
  addTracks(playlistId: string, uris: string[]): Promise<number>;
  saveToLibrary(uris: string[]): Promise<number>;
  /** `n` single-track lookups at once; resolves with how many were answered. */
  lookups(trackId: string, n: number): Promise<number>;
}

export interface PeerSetup {
  apiUrl: string;
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
  /** false: the library as shipped (no renames, its documented limits). */
  renames: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const PAGE = 50;
const ADD_BATCH = 100;
const SAVE_BATCH = 40;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The 2026 path renames, as a user applies them once a request answers 403 for the old path. */
function renamed(path: string): string {
  return path.replace(/^(\/v1\/playlists\/[^/]+)\/tracks(?=$|\?)/, '$1/items').replace(/^(playlists\/[^/]+)\/tracks(?=$|\?)/, '$1/items');
}

/** The user's token refresh (Basic auth, as every server-side example does), with its own Retry-After loop. */
async function refreshAccess(setup: PeerSetup): Promise<string> {
  for (;;) {
    const res = await fetch(`${setup.accountsUrl}/api/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${setup.clientId}:${setup.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: setup.refreshToken }),
    });
    if (res.status === 429) {
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token) throw new Error(`token refresh answered ${res.status}`);
    return body.access_token;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// spotify-web-api-node 5.0.2

let webApiTarget: { host: string; port: number } | undefined;
let webApiRenames = true;
const shippedBuilder = webapiRequest.builder;
const shippedAuthBuilder = authRequest.builder;

/** Points the library's request builders at the simulator (and applies the renames when asked). */
function pointWebApiNode(setup: PeerSetup): void {
  const u = new URL(setup.apiUrl);
  webApiTarget = { host: u.hostname, port: Number(u.port) };
  webApiRenames = setup.renames;
  webapiRequest.builder = (token?: string) => {
    const b = shippedBuilder(token);
    const target = webApiTarget ?? { host: 'api.spotify.com', port: 443 };
    b.withHost(target.host).withPort(target.port).withScheme('http');
    const withPath = b.withPath.bind(b);
    b.withPath = (p: string) => withPath(webApiRenames ? renamed(p) : p);
    return b;
  };
  authRequest.builder = () => {
    const target = webApiTarget ?? { host: 'accounts.spotify.com', port: 443 };
    return shippedAuthBuilder().withHost(target.host).withPort(target.port).withScheme('http');
  };
}

interface WebApiError {
  statusCode?: number;
  headers?: Record<string, string>;
}

export function webApiNodePeer(setup: PeerSetup): Peer {
  pointWebApiNode(setup);
  const api = new SpotifyWebApi({
    clientId: setup.clientId,
    clientSecret: setup.clientSecret,
    accessToken: setup.accessToken,
    refreshToken: setup.refreshToken,
  });
  /** The user's wrapper: wait out Retry-After on 429, refresh once on 401. */
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    let refreshed = false;
    for (;;) {
      try {
        pointWebApiNode(setup);
        return await fn();
      } catch (err) {
        const e = err as WebApiError;
        if (e.statusCode === 429) {
          await sleep(Number(e.headers?.['retry-after'] ?? 1) * 1000);
          continue;
        }
        if (e.statusCode === 401 && !refreshed) {
          refreshed = true;
          // The library's own refresh, with the same Retry-After loop (the token endpoint is rate-limited too).
          for (;;) {
            try {
              api.setAccessToken((await api.refreshAccessToken()).body.access_token);
              break;
            } catch (re) {
              const r = re as WebApiError;
              if (r.statusCode !== 429) throw re;
              await sleep(Number(r.headers?.['retry-after'] ?? 1) * 1000);
            }
          }
          continue;
        }
        throw err;
      }
    }
  };
  const limit = setup.renames ? PAGE : 100; // the README's example asks for 100
  return {
    name: setup.renames ? 'spotify-web-api-node 5.0.2' : 'spotify-web-api-node 5.0.2, as shipped',
    via: 'spotify-web-api-node in this process, pointed at the simulator',
    async readPlaylist(id) {
      let n = 0;
      for (let offset = 0; ; offset += limit) {
        const page = (await call(() => api.getPlaylistTracks(id, { offset, limit }))).body;
        n += page.items.length;
        if (!page.next) return n;
      }
    },
    async readSavedTracks() {
      let n = 0;
      for (let offset = 0; ; offset += PAGE) {
        const page = (await call(() => api.getMySavedTracks({ offset, limit: PAGE }))).body;
        n += page.items.length;
        if (!page.next) return n;
      }
    },
    async addTracks(id, uris) {
      for (const batch of chunks(uris, ADD_BATCH)) await call(() => api.addTracksToPlaylist(id, batch));
      return uris.length;
    },
    async saveToLibrary(uris) {
      for (const batch of chunks(uris, SAVE_BATCH)) {
        if (!setup.renames) {
          await call(() => api.addToMySavedTracks(batch.map((u) => u.split(':')[2])));
          continue;
        }
        // No method for the 2026 endpoint: the library's own request builder with the new path.
        await call(() =>
          webapiRequest
            .builder(api.getAccessToken())
            .withPath('/v1/me/library')
            .withQueryParameters({ uris: batch.join(',') })
            .build()
            .execute(httpManager.put),
        );
      }
      return uris.length;
    },
    async lookups(trackId, n) {
      const answers = await Promise.allSettled(Array.from({ length: n }, () => call(() => api.getTrack(trackId))));
      return answers.filter((a) => a.status === 'fulfilled').length;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// @spotify/web-api-ts-sdk 1.2.0

export function tsSdkPeer(setup: PeerSetup): Peer {
  // The SDK's `fetch` option: the simulator's address, the renames, and the Retry-After loop (the SDK's own
  // errors do not carry the header).
  const simFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const original = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const path = original.pathname.replace(/^\/v1/, '');
    const target = `${setup.apiUrl}${setup.renames ? renamed(`/v1${path}`).slice(3) : path}${original.search}`;
    for (;;) {
      const res = await fetch(target, init);
      if (res.status !== 429) return res;
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
    }
  };
  const sdkWith = (access: string) => {
    const token: AccessToken = {
      access_token: access,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: setup.refreshToken,
      expires: Date.now() + 3_600_000,
    };
    return SpotifyApi.withAccessToken(setup.clientId, token, { fetch: simFetch });
  };
  let sdk = sdkWith(setup.accessToken);
  /** The user's wrapper: on the SDK's "expired token" error, refresh and try once more with a new instance. */
  const call = async <T>(fn: (s: SpotifyApi) => Promise<T>): Promise<T> => {
    try {
      return await fn(sdk);
    } catch (err) {
      if (!(err instanceof Error) || !/expired token/i.test(err.message)) throw err;
      sdk = sdkWith(await refreshAccess(setup));
      return await fn(sdk);
    }
  };
  const limit = setup.renames ? PAGE : 100;
  return {
    name: setup.renames ? '@spotify/web-api-ts-sdk 1.2.0' : '@spotify/web-api-ts-sdk 1.2.0, as shipped',
    via: '@spotify/web-api-ts-sdk in this process, its fetch option pointed at the simulator',
    async readPlaylist(id) {
      let n = 0;
      for (let offset = 0; ; offset += limit) {
        const page = await call((s) => s.playlists.getPlaylistItems(id, undefined, undefined, limit as 50, offset));
        n += page.items.length;
        if (!page.next) return n;
      }
    },
    async readSavedTracks() {
      let n = 0;
      for (let offset = 0; ; offset += PAGE) {
        const page = await call((s) => s.currentUser.tracks.savedTracks(PAGE, offset));
        n += page.items.length;
        if (!page.next) return n;
      }
    },
    async addTracks(id, uris) {
      for (const batch of chunks(uris, ADD_BATCH)) await call((s) => s.playlists.addItemsToPlaylist(id, batch));
      return uris.length;
    },
    async saveToLibrary(uris) {
      for (const batch of chunks(uris, SAVE_BATCH)) {
        if (setup.renames) await call((s) => s.makeRequest('PUT', `me/library?uris=${encodeURIComponent(batch.join(','))}`));
        else await call((s) => s.currentUser.tracks.saveTracks(batch.map((u) => u.split(':')[2])));
      }
      return uris.length;
    },
    async lookups(trackId, n) {
      const answers = await Promise.allSettled(Array.from({ length: n }, () => call((s) => s.tracks.get(trackId))));
      return answers.filter((a) => a.status === 'fulfilled').length;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Core's http request node, the way a flow drives it

/**
 * What a flow of core nodes does: an http request node with a bearer header set by a change node, a switch that
 * loops back while `next` is set, a delay for Retry-After on 429, and a token request (another http request
 * node) when a message meets 401. Emulated with fetch, one request per message at a time as the node sends them.
 */
export function httpRequestPeer(setup: PeerSetup): Peer {
  let access = setup.accessToken;
  const send = async (method: string, url: string, body?: unknown): Promise<Response> => {
    let refreshed = false;
    for (;;) {
      const res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${access}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status === 429) {
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        access = await refreshAccess(setup);
        continue;
      }
      if (!res.ok) throw new Error(`${method} ${new URL(url).pathname} answered ${res.status}`);
      return res;
    }
  };
  const follow = async (first: string): Promise<number> => {
    let n = 0;
    let url: string | null = first;
    while (url) {
      const page = (await (await send('GET', url)).json()) as { items: unknown[]; next: string | null };
      n += page.items.length;
      url = page.next;
    }
    return n;
  };
  return {
    name: "core's http request node",
    via: 'the requests a flow of http request, switch and delay nodes sends (emulated with fetch in this process)',
    readPlaylist: (id) => follow(`${setup.apiUrl}/playlists/${id}/items?limit=${PAGE}`),
    readSavedTracks: () => follow(`${setup.apiUrl}/me/tracks?limit=${PAGE}`),
    async addTracks(id, uris) {
      for (const batch of chunks(uris, ADD_BATCH)) await send('POST', `${setup.apiUrl}/playlists/${id}/items`, { uris: batch });
      return uris.length;
    },
    async saveToLibrary(uris) {
      for (const batch of chunks(uris, SAVE_BATCH))
        await send('PUT', `${setup.apiUrl}/me/library?uris=${encodeURIComponent(batch.join(','))}`);
      return uris.length;
    },
    async lookups(trackId, n) {
      const answers = await Promise.allSettled(Array.from({ length: n }, () => send('GET', `${setup.apiUrl}/tracks/${trackId}`)));
      return answers.filter((a) => a.status === 'fulfilled').length;
    },
  };
}
