// Each node's editor code, by the node's file name in camelCase: nodes/<name>.html calls
// tunewire.nodes.<name>.oneditprepare(this) (and oneditsave, … where the node has them).
import * as account from './account';
import * as addToQueue from './add-to-queue';
import * as addTracks from './add-tracks';
import * as checkLibrary from './check-library';
import * as createPlaylist from './create-playlist';
import * as followedArtists from './followed-artists';
import * as getItem from './get-item';
import * as getPlaylist from './get-playlist';
import * as getPlaylists from './get-playlists';
import * as itemContents from './item-contents';
import * as myProfile from './my-profile';
import * as newPlays from './new-plays';
import * as newSaved from './new-saved';
import * as nowPlaying from './now-playing';
import * as play from './play';
import * as playbackState from './playback-state';
import * as playerControl from './player-control';
import * as playlistChanged from './playlist-changed';
import * as playlistCover from './playlist-cover';
import * as playlistTracks from './playlist-tracks';
import * as recentlyPlayed from './recently-played';
import * as removeFromLibrary from './remove-from-library';
import * as removeTracks from './remove-tracks';
import * as reorderTracks from './reorder-tracks';
import * as replaceTracks from './replace-tracks';
import * as request from './request';
import * as saveToLibrary from './save-to-library';
import * as savedItems from './saved-items';
import * as search from './search';
import * as topItems from './top-items';
import * as uiPlayer from './ui-player';
import * as updatePlaylist from './update-playlist';

export const nodes = {
  account,
  addToQueue,
  addTracks,
  checkLibrary,
  createPlaylist,
  followedArtists,
  getItem,
  getPlaylist,
  getPlaylists,
  itemContents,
  myProfile,
  newPlays,
  newSaved,
  nowPlaying,
  play,
  playbackState,
  playerControl,
  playlistChanged,
  playlistCover,
  playlistTracks,
  recentlyPlayed,
  removeFromLibrary,
  removeTracks,
  reorderTracks,
  replaceTracks,
  request,
  saveToLibrary,
  savedItems,
  search,
  topItems,
  uiPlayer,
  updatePlaylist,
};
