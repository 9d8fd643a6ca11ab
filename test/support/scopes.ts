// The scopes the test helpers configure and grant when a test names none: a few of the defaults, so that a
// test can show what a missing one does (playback, library, follows).
import type { Scope } from '../../nodes/spotify/scopes';

export const BASIC_TEST_SCOPES: readonly Scope[] = [
  'user-read-private',
  'playlist-read-private',
  'playlist-modify-public',
  'playlist-modify-private',
  'user-read-recently-played',
];
