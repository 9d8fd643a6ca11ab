// remove from library: the opposite of save to library, through DELETE /me/library in batches of 40.
import type { NodeAPI } from 'node-red';
import { registerLibraryWriteNode } from './node-red/library-write-node';

export = function register(RED: NodeAPI): void {
  registerLibraryWriteNode(RED, 'spotify-remove-from-library', 'remove');
};
