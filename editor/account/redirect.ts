// The address Spotify sends the browser back to after consent, and what can be wrong with it (Spotify accepts
// loopback IP literals over plain HTTP, HTTPS otherwise, and never "localhost").

/** The callback route, relative to the editor's own address. */
const CALLBACK_ROUTE = 'tunewire/callback';

/** This editor's own address (with the path a reverse proxy may add) + the callback route. */
export function computedRedirect(): string {
  const base = location.protocol + '//' + location.host + location.pathname.replace(/[^/]*$/, '');
  return base + CALLBACK_ROUTE;
}

function isLoopbackLiteral(host: string): boolean {
  return host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

/** Why Spotify would refuse this redirect address (a key of the catalog's warn.*), or '' when it is fine. */
export function redirectProblem(uri: string): '' | 'invalid' | 'localhost' | 'http' {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'invalid';
  }
  const host = url.hostname;
  if (host === 'localhost' || /\.localhost$/.test(host)) return 'localhost';
  if (url.protocol === 'http:' && !isLoopbackLiteral(host)) return 'http';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'invalid';
  return '';
}

/**
 * Whether Spotify sends the browser to a loopback address other than this editor's: the popup cannot come back
 * by itself, and the user pastes the address it ended on.
 */
export function pasteApplies(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return isLoopbackLiteral(url.hostname) && url.host !== location.host;
}
