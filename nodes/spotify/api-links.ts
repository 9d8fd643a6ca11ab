// The one rule for where a Web API request may go, whatever named the address: a node's path, a request node's
// msg.path, or a `next` link in an answer. It must stay under the configured API base, because every request
// carries the access token. Spotify's own links name https://api.spotify.com/v1 even when the pack goes
// through a proxy or a simulator: those are moved onto the configured base. Anything else is refused.
import { SPOTIFY_ENDPOINTS } from './endpoints';
import { say } from './words';

/** A link or path that would leave the configured API base. `host` names where it pointed. */
export class ForeignLinkError extends Error {
  readonly host: string;
  constructor(link: string, host: string, apiUrl: string) {
    super(say('http.foreignLink', { host: host || link.slice(0, 80), api: apiUrl }));
    this.name = 'ForeignLinkError';
    this.host = host;
  }
}

/**
 * `link` — a path relative to the API base ("/me/playlists", "me/playlists?limit=5") or an absolute URL —
 * as a path under the base, with its query ("/me/playlists?limit=5"). Throws ForeignLinkError for another
 * host, scheme or port, user info, or a path that resolves out of the base ("/v1/../x").
 */
export function pathUnderApi(link: string, apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  const root = new URL(`${base}/`);
  const official = `${SPOTIFY_ENDPOINTS.apiUrl}/`;
  // Scheme-relative ("//host/…") and absolute URLs keep their own host, so the check below sees them.
  const absolute = /^[a-z][a-z0-9+.-]*:|^[/\\]{2}/i.test(link);
  let url: URL;
  try {
    if (absolute && link.startsWith(official) && root.href !== official) url = new URL(link.slice(official.length), root);
    else url = absolute ? new URL(link, root) : new URL(`${base}/${link.replace(/^[/\\]+/, '')}`);
  } catch {
    throw new ForeignLinkError(link, '', base);
  }
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname) || url.username || url.password) {
    throw new ForeignLinkError(link, url.host || url.protocol, base);
  }
  return `/${url.pathname.slice(root.pathname.length)}${url.search}`;
}

/** The host a Location header points to, for error messages (relative locations stay on `from`). */
export function locationHost(location: string | undefined, from: string): string {
  if (!location) return 'nowhere (no Location header)';
  try {
    return new URL(location, from).host;
  } catch {
    return JSON.stringify(location.slice(0, 80));
  }
}
