// The library side of playlists by name (nodes/spotify/playlist-names.ts): which playlist a name stands for, when
// the kept list of the user's playlists is read again, and that what the pack itself changes is known at once —
// also while a read is on its way. A stand-in client counts the reads; a stand-in clock moves time.
import assert from 'node:assert/strict';
import {
  LISTING_LAG_MS,
  matchName,
  MISS_REREAD_MS,
  PlaylistDirectory,
  PLAYLIST_NAMES_TTL_MS,
  type NamedPlaylist,
} from '../../nodes/spotify/playlist-names';
import { nodeScopeRequirement, nodeScopeRequirements } from '../../nodes/spotify/node-scopes';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import type { SpotifyClient } from '../../nodes/spotify/spotify-client';

interface Listed {
  id: string;
  name: string;
  collaborative?: boolean;
  owner: { id: string; display_name: string };
}

const ME = 'me';
const mine = (id: string, name: string): Listed => ({ id, name, owner: { id: ME, display_name: 'Me' } });
const theirs = (id: string, name: string, collaborative = false): Listed => ({
  id,
  name,
  collaborative,
  owner: { id: 'them', display_name: 'Them' },
});

/** What /me/playlists answers, the reads it served, the creates asked for; `hold()` keeps the next read waiting. */
function stub(initial: Listed[]) {
  const state = { playlists: [...initial], reads: 0, creates: 0, failCreate: false };
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  const client = {
    list: () => ({
      total: undefined,
      async *[Symbol.asyncIterator]() {
        state.reads++;
        const now = [...state.playlists];
        if (gate) await gate;
        yield* now;
      },
    }),
    call: (_op: unknown, input: { body: { name: string } }): Promise<Listed> => {
      state.creates++;
      const created = mine(`new${state.creates}`, input.body.name);
      state.playlists.unshift(created);
      if (state.failCreate)
        return Promise.reject(new SpotifyApiError({ message: 'lost', method: 'POST', path: '/me/playlists', maybeApplied: true }));
      return Promise.resolve(created);
    },
  } as unknown as SpotifyClient;
  return {
    state,
    client,
    hold(): () => void {
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open?.();
      };
    },
  };
}

describe('playlists by name (library)', function () {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  describe('which playlist a name stands for', function () {
    const list: NamedPlaylist[] = [
      { id: 'f1', name: 'Road Trip', owner: 'Them', own: false, collaborative: false },
      { id: 'c1', name: 'road trip', owner: 'Them', own: false, collaborative: true },
      { id: 'o1', name: 'Road Trip', owner: 'Me', own: true, collaborative: false },
      { id: 'o2', name: 'Road Trip', owner: 'Me', own: true, collaborative: false },
      { id: 'x1', name: 'Chill', owner: 'Them', own: false, collaborative: false },
    ];
    it('an exact match before one in another case; the user’s own first, then the first in Spotify’s order', function () {
      assert.equal(matchName(list, 'Road Trip', false).playlist?.id, 'o1');
      assert.equal(matchName(list, 'Road Trip', true).playlist?.id, 'o1');
      assert.equal(matchName(list, 'road trip', false).playlist?.id, 'c1', 'exact beats own');
      assert.equal(matchName(list, '  ROAD   trip ', true).playlist?.id, 'o1', 'any case and spacing, own first');
    });
    it('a write counts only playlists the user may change, and says which one it could not use', function () {
      assert.equal(matchName(list, 'Chill', false).playlist?.id, 'x1');
      const write = matchName(list, 'Chill', true);
      assert.equal(write.playlist, undefined);
      assert.equal(write.notWritable?.id, 'x1');
      assert.deepEqual(matchName(list, 'Nothing', true), { notWritable: undefined });
    });
  });

  it('one read answers every lookup until it is older than the TTL', async function () {
    const s = stub([mine('a', 'A'), mine('b', 'B')]);
    const dir = new PlaylistDirectory(s.client, () => ME, { now: clock });
    const found = await Promise.all(['A', 'B', 'a', 'B'].map((n) => dir.find(n, { writable: true })));
    assert.deepEqual(
      found.map((f) => f.playlist?.id),
      ['a', 'b', 'a', 'b'],
    );
    assert.equal(s.state.reads, 1, 'lookups at once share one read');
    now += PLAYLIST_NAMES_TTL_MS - 1;
    await dir.find('A', { writable: true });
    assert.equal(s.state.reads, 1);
    now += 2;
    await dir.find('A', { writable: true });
    assert.equal(s.state.reads, 2, 'stale: read again');
  });

  it('a name not found is looked for in a new read once the list is older than MISS_REREAD_MS; misses at once share it', async function () {
    const s = stub([mine('a', 'A')]);
    const dir = new PlaylistDirectory(s.client, () => ME, { now: clock });
    assert.equal((await dir.find('New', { writable: true })).playlist, undefined);
    assert.equal(s.state.reads, 1);
    now += MISS_REREAD_MS - 1;
    await dir.find('New', { writable: true });
    assert.equal(s.state.reads, 1, 'a fresh list is trusted: a failing flow does not read per message');
    s.state.playlists.unshift(mine('n', 'New')); // made in Spotify's app meanwhile
    now += 2;
    const found = await Promise.all([1, 2, 3].map(() => dir.find('New', { writable: true })));
    assert.ok(found.every((f) => f.playlist?.id === 'n'));
    assert.equal(s.state.reads, 2);
  });

  it('what the pack created while a read was on its way is known after it: no second create', async function () {
    const s = stub([mine('a', 'A')]);
    const dir = new PlaylistDirectory(s.client, () => ME, { now: clock });
    await dir.find('A', { writable: true });
    dir.invalidate();
    const release = s.hold();
    const reading = dir.find('A', { writable: true });
    while (s.state.reads < 2) await new Promise((resolve) => setImmediate(resolve));
    // The read's pages were taken before this create, and Spotify may take a while to list it at all.
    dir.remember(mine('made', 'Saved'));
    release();
    await reading;
    const made = await dir.findOrCreate('Saved', { public: false, description: '' }, {});
    assert.deepEqual({ id: made.playlist.id, created: made.created }, { id: 'made', created: false });
    now += LISTING_LAG_MS - MISS_REREAD_MS; // a new read that still does not list it
    dir.invalidate();
    assert.equal((await dir.find('Saved', { writable: true })).playlist?.id, 'made');
    assert.equal(s.state.reads, 3);
    assert.equal(s.state.creates, 0);
    now += MISS_REREAD_MS + 1; // long past: what Spotify lists is what counts
    dir.invalidate();
    assert.equal((await dir.find('Saved', { writable: true })).playlist, undefined);
  });

  it('creates once per name, however many ask at once; a lost create answer reads the list instead of creating again', async function () {
    const s = stub([]);
    const dir = new PlaylistDirectory(s.client, () => ME, { now: clock });
    const made = await Promise.all([1, 2, 3, 4, 5].map(() => dir.findOrCreate('Saved', { public: false, description: '' }, {})));
    assert.equal(s.state.creates, 1);
    assert.equal(made.filter((m) => m.created).length, 1);
    assert.ok(made.every((m) => m.playlist.id === 'new1'));

    s.state.failCreate = true;
    await assert.rejects(dir.findOrCreate('Other', { public: false, description: '' }, {}), /lost/);
    s.state.failCreate = false;
    const after = await dir.findOrCreate('Other', { public: false, description: '' }, {});
    assert.deepEqual({ id: after.playlist.id, created: after.created }, { id: 'new2', created: false }, 'found, not made twice');
    assert.equal(s.state.creates, 2);
  });

  it('a playlist gone (404) is dropped and the next lookup reads again; a rename is known at once; another user reads again', async function () {
    const s = stub([mine('a', 'A'), theirs('t', 'T', true)]);
    let user = ME;
    const dir = new PlaylistDirectory(s.client, () => user, { now: clock });
    await dir.find('A', { writable: true });
    dir.renamed('a', 'Renamed');
    assert.equal((await dir.find('Renamed', { writable: true })).playlist?.id, 'a');
    assert.equal(s.state.reads, 1);
    dir.gone('a');
    s.state.playlists = [mine('a2', 'A')];
    assert.equal((await dir.find('A', { writable: true })).playlist?.id, 'a2');
    assert.equal(s.state.reads, 2);
    user = 'someone else';
    await dir.find('A', { writable: false });
    assert.equal(s.state.reads, 3, 'another authorized user: their own list');
  });

  it('scopes: by name needs playlist-read-private, create when missing the private modify scope, only when set', function () {
    const base = nodeScopeRequirements()['spotify-add-tracks'];
    assert.deepEqual(nodeScopeRequirement('spotify-add-tracks', { playlistType: 'msg' }), base);
    assert.deepEqual(nodeScopeRequirement('spotify-add-tracks', { playlistType: 'spotify-name' }), [...base, 'playlist-read-private']);
    // The private modify scope implies the "public or private" one of replacing: that entry goes.
    assert.deepEqual(nodeScopeRequirements()['spotify-replace-tracks'], [['playlist-modify-public', 'playlist-modify-private']]);
    assert.deepEqual(nodeScopeRequirement('spotify-replace-tracks', { playlistType: 'spotify-name', createMissing: true }), [
      'playlist-read-private',
      'playlist-modify-private',
    ]);
    assert.deepEqual(nodeScopeRequirement('spotify-get-playlist', { playlistType: 'spotify-name' }), ['playlist-read-private']);
  });
});
