// save to library: any tracks, albums, episodes, shows, audiobooks, users or playlists, in one list, through
// PUT /me/library in Spotify's batches of 40.
import type { NodeAPI } from 'node-red';
import { registerLibraryWriteNode } from './node-red/library-write-node';

export = function register(RED: NodeAPI): void {
  registerLibraryWriteNode(RED, 'spotify-save-to-library', 'save');
};
