// Endpoints Spotify removed for development-mode apps in 2026 (they answer 403). Knowing them lets a 403
// say "removed" instead of leaving the user to guess between scopes, allow-lists and ownership.

const REMOVED: readonly { methods: readonly string[]; pattern: RegExp }[] = [
  { methods: ['GET'], pattern: /^\/(tracks|albums|artists|episodes|shows|audiobooks|chapters)\/?$/ },
  { methods: ['*'], pattern: /^\/browse(\/|$)/ },
  { methods: ['GET'], pattern: /^\/artists\/[^/]+\/(top-tracks|related-artists)\/?$/ },
  { methods: ['*'], pattern: /^\/recommendations(\/|$)/ },
  { methods: ['*'], pattern: /^\/audio-features(\/|$)/ },
  { methods: ['*'], pattern: /^\/audio-analysis\// },
  { methods: ['*'], pattern: /^\/markets\/?$/ },
  { methods: ['*'], pattern: /^\/users\/[^/]+(\/playlists)?\/?$/ },
  { methods: ['PUT', 'DELETE'], pattern: /^\/me\/(tracks|albums|shows|episodes|audiobooks)\/?$/ },
  { methods: ['*'], pattern: /^\/me\/(tracks|albums|shows|episodes|audiobooks)\/contains\/?$/ },
  { methods: ['PUT', 'DELETE'], pattern: /^\/me\/following\/?$/ },
  { methods: ['*'], pattern: /^\/me\/following\/contains\/?$/ },
  { methods: ['*'], pattern: /^\/playlists\/[^/]+\/followers(\/|$)/ },
  { methods: ['*'], pattern: /^\/playlists\/[^/]+\/tracks\/?$/ },
];

/** `path` is relative to the Web API base (e.g. "/playlists/x/tracks"), without query. */
export function isRemovedEndpoint(method: string, path: string): boolean {
  const m = method.toUpperCase();
  return REMOVED.some((r) => (r.methods.includes('*') || r.methods.includes(m)) && r.pattern.test(path));
}
