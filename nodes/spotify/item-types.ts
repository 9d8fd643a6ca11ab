// Playlist and player reads send podcast episodes as episodes only to a client that lists them in
// `additional_types` (Spotify's reference: the types a client supports besides the default `track`). Without
// it a playlist's episodes come as track-like objects and a playing episode as `item: null`. Every playlist
// and player read of the pack asks for both.
export const WITH_EPISODES = { additional_types: 'track,episode' } as const;
