// Where Spotify lives. Defaults are the real Spotify; a simulator, a proxy or a test points elsewhere by
// configuration (Node-RED settings or environment), never by a code path of its own.
import type { ProxyConfig } from './proxy';

export interface SpotifyEndpoints {
  /** Accounts service base: `${accountsUrl}/authorize`, `${accountsUrl}/api/token`. */
  accountsUrl: string;
  /** Web API base, e.g. https://api.spotify.com/v1 */
  apiUrl: string;
  /** The outbound proxy of the settings (the environment's is read per request target, see proxy.ts). */
  proxy?: ProxyConfig;
}

export const SPOTIFY_ENDPOINTS: SpotifyEndpoints = {
  accountsUrl: 'https://accounts.spotify.com',
  apiUrl: 'https://api.spotify.com/v1',
};

export function resolveEndpoints(
  fromSettings: Partial<SpotifyEndpoints> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): SpotifyEndpoints {
  return {
    accountsUrl: trimSlash(fromSettings?.accountsUrl || env.TUNEWIRE_ACCOUNTS_URL || SPOTIFY_ENDPOINTS.accountsUrl),
    apiUrl: trimSlash(fromSettings?.apiUrl || env.TUNEWIRE_API_URL || SPOTIFY_ENDPOINTS.apiUrl),
    proxy: fromSettings?.proxy,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
