// Endpoints Spotify removed for development-mode apps in 2024–2026. They still exist for old apps, so they
// answer 403 "Forbidden" rather than 404: the simulator must catch a node that still calls them.

interface RemovedRule {
  methods?: string[];
  path: RegExp;
}

const WRITE = ['PUT', 'DELETE', 'POST'];

const REMOVED: RemovedRule[] = [
  // "Get several" batch GETs (/tracks?ids=…): the bare collection paths.
  { path: /^\/(tracks|albums|artists|episodes|shows|audiobooks|chapters)\/?$/ },
  { path: /^\/browse(\/|$)/ },
  { path: /^\/artists\/[^/]+\/(top-tracks|related-artists)$/ },
  { path: /^\/recommendations(\/|$)/ },
  { path: /^\/audio-features(\/|$)/ },
  { path: /^\/audio-analysis(\/|$)/ },
  { path: /^\/markets$/ },
  { path: /^\/users\/[^/]+(\/.*)?$/ },
  // Type-specific save/remove/contains/follow: replaced by /me/library.
  { methods: WRITE, path: /^\/me\/(tracks|albums|shows|episodes|audiobooks)$/ },
  { path: /^\/me\/(tracks|albums|shows|episodes|audiobooks)\/contains$/ },
  { methods: WRITE, path: /^\/me\/following$/ },
  { path: /^\/me\/following\/contains$/ },
  { path: /^\/playlists\/[^/]+\/followers(\/contains)?$/ },
  // Renamed to /playlists/{id}/items.
  { path: /^\/playlists\/[^/]+\/tracks$/ },
];

export function isRemoved(method: string, rel: string): boolean {
  return REMOVED.some((r) => r.path.test(rel) && (!r.methods || r.methods.includes(method)));
}
