// Refuses requests that another web site could make the user's browser send to the editor. Without adminAuth
// (Node-RED's default) nothing else stands between such a page and the pack's routes. A cross-site page can
// send, with no CORS preflight, only form-urlencoded, multipart and text/plain bodies: requiring
// application/json shuts those out. Browsers also name the sending page in `Origin` (and `Sec-Fetch-Site`),
// which must then be this editor itself.
import type { IncomingHttpHeaders } from 'node:http';
import { clip } from '../spotify/text';

export interface Refusal {
  status: 403 | 415;
  error: string;
}

/** Why a request to a pack route that changes or reveals state must be refused, or undefined to let it in. */
export function crossSiteRefusal(method: string, headers: IncomingHttpHeaders): Refusal | undefined {
  const origin = headers.origin;
  if (origin !== undefined && !sameOrigin(origin, headers)) {
    return { status: 403, error: `Refused: a request sent by another site (${shown(origin)}) may not use the Spotify account routes` };
  }
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    return {
      status: 403,
      error: `Refused: a request sent by another site (Sec-Fetch-Site ${shown(fetchSite)}) may not use the Spotify account routes`,
    };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return {
        status: 415,
        error: `Refused: the Spotify account routes take only application/json requests (this one was ${shown(type || 'without a type')})`,
      };
    }
  }
  return undefined;
}

/** `Origin` names this server as the browser reached it: the Host header, or the one a reverse proxy forwarded. */
function sameOrigin(origin: string, headers: IncomingHttpHeaders): boolean {
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase(); // "null" (sandboxed frames, file: pages) does not parse: foreign
  } catch {
    return false;
  }
  const forwarded = headers['x-forwarded-host'];
  const hosts = [headers.host, ...(Array.isArray(forwarded) ? forwarded : (forwarded ?? '').split(','))];
  return hosts.some((h) => typeof h === 'string' && h.trim().toLowerCase() === host);
}

/** A header value from an unknown sender, short and on one line, for an error message. */
function shown(value: string): string {
  const flat = value.replace(/[^\x20-\x7e]/g, '?');
  return clip(flat, 60);
}
