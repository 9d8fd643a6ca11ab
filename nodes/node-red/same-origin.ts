// Refuses requests that another web site could make the user's browser send to the editor. Without adminAuth
// (Node-RED's default) nothing else stands between such a page and the pack's routes. A cross-site page can
// send, with no CORS preflight, only form-urlencoded, multipart and text/plain bodies: requiring
// application/json shuts those out. Browsers also name the sending page in `Origin` (and `Sec-Fetch-Site`),
// which must then be this editor itself. The editor's own address is the Host header; a reverse proxy's
// X-Forwarded-Host counts only when Node-RED trusts the proxy it came through (settings.js →
// httpServerOptions: {'trust proxy': …}, Express's own setting): anyone can send that header, and a page on
// another site that names its own host in it must not pass for the editor.
import type { IncomingHttpHeaders } from 'node:http';
import { clip } from '../spotify/text';

export interface Refusal {
  status: 403 | 415;
  error: string;
}

/**
 * Why a request to a pack route that changes or reveals state must be refused, or undefined to let it in.
 * `trustForwardedHost`: the request came through a proxy Node-RED trusts, so X-Forwarded-Host names this server.
 */
export function crossSiteRefusal(method: string, headers: IncomingHttpHeaders, trustForwardedHost = false): Refusal | undefined {
  const origin = headers.origin;
  if (origin !== undefined && !sameOrigin(origin, ownHost(headers, trustForwardedHost))) {
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

/**
 * This server as the browser reached it: the Host header, or, through a trusted proxy, the first host of
 * X-Forwarded-Host (the one the browser asked for, as Express's req.hostname takes it).
 */
function ownHost(headers: IncomingHttpHeaders, trustForwardedHost: boolean): string | undefined {
  const forwarded = trustForwardedHost ? headers['x-forwarded-host'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim();
  return first || headers.host;
}

/** `Origin` names this server. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase(); // "null" (sandboxed frames, file: pages) does not parse: foreign
  } catch {
    return false;
  }
  return host !== undefined && host.trim().toLowerCase() === originHost;
}

/** A header value from an unknown sender, short and on one line, for an error message. */
function shown(value: string): string {
  const flat = value.replace(/[^\x20-\x7e]/g, '?');
  return clip(flat, 60);
}
