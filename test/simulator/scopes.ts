// Spotify's full scope set, with the wording the consent page shows for each.

export const SCOPES: Readonly<Record<string, string>> = {
  'app-remote-control': 'Control Spotify on your devices through the Spotify app',
  'playlist-read-private': 'Access your private playlists',
  'playlist-read-collaborative': 'Access your collaborative playlists',
  'playlist-modify-public': 'Manage your public playlists',
  'playlist-modify-private': 'Manage your private playlists',
  'user-library-read': 'Access your saved content',
  'user-library-modify': 'Manage your saved content',
  'user-read-private': 'Access your subscription details',
  'user-read-email': 'Get your real email address',
  'user-follow-read': 'Access your followers and who you are following',
  'user-follow-modify': 'Manage who you are following',
  'user-top-read': 'Read your top artists and content',
  'user-read-playback-position': 'Read your position in content you have played',
  'user-read-playback-state': 'Read your currently playing content and Spotify Connect devices information',
  'user-read-recently-played': 'Access your recently played items',
  'user-read-currently-playing': 'Read your currently playing content',
  'user-modify-playback-state': 'Control playback on your Spotify clients and Spotify Connect devices',
  'ugc-image-upload': 'Upload images to personalize your profile or playlist cover',
  streaming: 'Play content and control playback on your other devices',
};

export function isScope(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SCOPES, name);
}

/** `scope` query value -> distinct names in request order (Spotify splits on spaces; be lenient with '+'). */
export function splitScopes(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(/[\s+]+/).filter(Boolean))];
}
