// What a list node emits goes into a write node as it is: a playlist with an episode and a local file copied by
// wiring playlist tracks to add tracks, with the entries no write can take (local files, items Spotify no longer
// offers) skipped and counted in msg.payload and the status — or the message refused, when the user asks so.
import assert from 'node:assert/strict';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { caught, lastStatus, ok, runner } from '../helpers/node-runner';

const LOCAL = 'spotify:local:Home+Recordings:Demos:Kitchen+Song:187';

describe('lists flow into writes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  const byName = (name: string) => ({ playlist: name, playlistType: 'spotify-name', createMissing: true });
  // Two write nodes of each kind: as a new node from the palette saves it (skip), and with "refuse the message".
  const write = (id: string, type: string, extra: Record<string, unknown>): FlowNode => ({
    id,
    type: `spotify-${type}`,
    account: ACCOUNT_ID,
    version: 2,
    ...extra,
    wires: [['out']],
  });

  beforeEach(async function () {
    env = await createEnv(); // the user's playlists hold 0, 3, 12 (an episode at 5, a local file at 9), 51 and 120 entries
    const target = own()[0];
    await env.load([
      env.accountNode({ scopes: PACK_SCOPES.join(' ') }),
      // playlist tracks → add tracks, as a user wires them: the source in msg.playlist, the target picked in the dialog.
      { id: 'copy', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, wires: [['add']] },
      write('add', 'add-tracks', { playlist: target.id, playlistType: 'str', unwritable: 'skip' }),
      { id: 'copyStrict', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, wires: [['addStrict']] },
      write('addStrict', 'add-tracks', { playlist: target.id, playlistType: 'str', unwritable: 'refuse' }),
      // A node saved without the property (a hand-written flow of this version) skips too: the dialog's default.
      write('addDefault', 'add-tracks', {}),
      { id: 'copyReplace', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, wires: [['replace']] },
      write('replace', 'replace-tracks', { playlist: target.id, playlistType: 'str', unwritable: 'skip' }),
      write('replaceAny', 'replace-tracks', { unwritable: 'skip' }),
      { id: 'copyQueue', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, wires: [['queue']] },
      write('queue', 'add-to-queue', { unwritable: 'skip' }),
      { id: 'copySave', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, wires: [['save']] },
      write('save', 'save-to-library', { unwritable: 'skip' }),
      // Into a playlist named in the dialog, created when missing (test/playlist-by-name.test.ts).
      { id: 'copyNamed', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, wires: [['addNamed']] },
      write('addNamed', 'add-tracks', { ...byName('Copy of the mix'), unwritable: 'skip' }),
      write('replaceNamed', 'replace-tracks', { ...byName('Weekly mix'), unwritable: 'skip' }),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize({ scopes: [...PACK_SCOPES] });
  });
  afterEach(async function () {
    await env.close();
  });

  const named = (name: string) => env.sim.state.playlists.filter((p) => p.name === name);
  const own = () => env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
  const uris = (id: string) => env.sim.state.playlist(id)?.items.map((e) => e.uri) ?? [];
  const mixed = () => {
    const p = own()[2];
    assert.equal(uris(p.id)[9], LOCAL, 'the source holds a local file at 9');
    assert.match(uris(p.id)[5], /^spotify:episode:/, 'and an episode at 5');
    return p;
  };

  it('playlist tracks → add tracks copies every entry that can be added, in order; the local file is skipped and counted', async function () {
    const source = mixed();
    const target = own()[0];
    const msg = ok(await call('copy', { playlist: source.uri }));
    const expected = uris(source.id).filter((u) => u !== LOCAL);
    assert.equal(expected.length, 11);
    assert.deepEqual(uris(target.id), expected, 'tracks and the episode, in the order of the source');
    assert.deepEqual(msg.payload, {
      playlist_id: target.id,
      snapshot_id: env.sim.state.playlist(target.id)?.snapshot_id,
      added: 11,
      batches: 1,
      given: 12,
      skipped: { local: 1, unavailable: 0 },
    });
    assert.deepEqual(lastStatus(env.node('add')), { fill: 'green', shape: 'dot', text: 'added 11, skipped 1 local file' });
  });

  it('"refuse the message" refuses the copy, naming the entry by the Tracks field and its position, and adds nothing', async function () {
    const source = mixed();
    const target = own()[0];
    env.sim.clearRequests();
    const e = caught(await call('copyStrict', { playlist: source.uri }));
    assert.equal(
      e.error.message,
      `InputError: Tracks[9]: expected a Spotify track or episode (local files cannot be added through the Web API), got "${LOCAL.slice(0, 40)}…"`,
    );
    assert.deepEqual(uris(target.id), []);
    assert.equal(env.sim.count({ method: 'POST' }), 0, 'nothing was sent');
  });

  it('takes every shape the list nodes emit, and skips what Spotify sends for items it no longer has', async function () {
    const target = own()[1]; // 3 entries
    const before = uris(target.id);
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((i) => env.sim.state.catalog.track(600 + i));
    const episode = env.sim.state.catalog.episode(3);
    const payload = [
      { added_at: '2026-01-01T00:00:00Z', added_by: { id: 'x' }, is_local: false, item: { type: 'track', uri: a.uri } }, // playlist entry
      { added_at: '2026-01-01T00:00:00Z', track: { type: 'track', id: b.id, uri: b.uri } }, // saved track
      { played_at: '2026-01-01T00:00:00Z', track: { type: 'track', uri: c.uri }, context: { uri: 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy' } }, // a play
      { type: 'track', name: d.name, uri: d.uri }, // a track object
      e.uri, // a URI
      { added_at: '2026-01-01T00:00:00Z', is_local: false, item: null }, // an entry whose track was taken down
      { added_at: '2026-01-01T00:00:00Z', item: { type: 'track', name: 'Gone', uri: null, id: null } }, // …or its husk
      { type: 'track', name: 'Gone too', uri: null, id: null, album: { type: 'album', uri: 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy' } },
      { type: 'track', uri: 'spotify:track:4aawyAB9vmqN3uQ7FjRGTy', is_playable: false }, // not playable in the market
      { added_at: '2026-01-01T00:00:00Z', is_local: true, item: { type: 'track', uri: LOCAL } },
      { type: 'episode', uri: episode.uri },
    ];
    const msg = ok(await call('addDefault', { playlist: target.id, payload }));
    assert.deepEqual(uris(target.id), [...before, a.uri, b.uri, c.uri, d.uri, e.uri, episode.uri]);
    const out = msg.payload as { added: number; given: number; skipped: Record<string, number> };
    assert.deepEqual([out.added, out.given, out.skipped], [6, 11, { local: 1, unavailable: 4 }]);
    assert.equal(lastStatus(env.node('addDefault'))?.text, 'added 6, skipped 5 (local, unavailable)');
  });

  it('a mistake in the flow is still an error, not a skipped entry', async function () {
    const target = own()[1];
    const e = caught(
      await call('addDefault', { playlist: target.id, payload: [env.sim.state.catalog.track(1).uri, { name: 'no uri' }, 42] }),
    );
    assert.match(
      e.error.message,
      /^InputError: Tracks\[1\]: expected a Spotify track or episode ID .*, or an object with a uri or id, got an object/,
    );
  });

  it('playlist tracks → replace tracks: the copy without the local file; a list of nothing but local files does not empty the playlist', async function () {
    const source = mixed();
    const target = own()[0];
    const msg = ok(await call('copyReplace', { playlist: source.uri }));
    assert.deepEqual(
      uris(target.id),
      uris(source.id).filter((u) => u !== LOCAL),
    );
    assert.deepEqual((msg.payload as { skipped: unknown }).skipped, { local: 1, unavailable: 0 });
    assert.equal(lastStatus(env.node('replace'))?.text, 'replaced: 11, skipped 1 local file');

    const e = caught(await call('replaceAny', { playlist: target.id, payload: [LOCAL, LOCAL] }));
    assert.match(
      e.error.message,
      /^InputError: Tracks: expected at least one track or episode Spotify can add .* or an empty array \[\] to clear/,
    );
    assert.equal(uris(target.id).length, 11, 'the playlist kept its tracks');
  });

  it('playlist tracks → add to queue and → save to library skip the local file too', async function () {
    const source = mixed();
    const expected = uris(source.id).filter((u) => u !== LOCAL);
    env.sim.play(env.sim.state.catalog.track(1).uri); // a device is playing: the queue has somewhere to go
    const queued = ok(await call('copyQueue', { playlist: source.uri }));
    assert.deepEqual((queued.payload as { queued: string[] }).queued, expected);
    assert.deepEqual(env.sim.state.player.queue, expected);
    assert.equal(lastStatus(env.node('queue'))?.text, 'queued 11, skipped 1 local file');

    const saved = ok(await call('copySave', { playlist: source.uri }));
    assert.deepEqual((saved.payload as { uris: string[]; skipped: unknown }).uris, expected);
    assert.deepEqual((saved.payload as { skipped: unknown }).skipped, { local: 1, unavailable: 0 });
  });

  it('into a playlist by name, created when missing: the copy without the local file, counted, and the playlist made once', async function () {
    const source = mixed();
    const msg = ok(await call('copyNamed', { playlist: source.uri }));
    const [copy] = named('Copy of the mix');
    assert.ok(copy, 'the playlist was created');
    assert.deepEqual(
      uris(copy.id),
      uris(source.id).filter((u) => u !== LOCAL),
    );
    assert.deepEqual(msg.payload, {
      playlist_id: copy.id,
      snapshot_id: env.sim.state.playlist(copy.id)?.snapshot_id,
      added: 11,
      batches: 1,
      given: 12,
      skipped: { local: 1, unavailable: 0 },
      playlist_created: true,
    });
    assert.equal(lastStatus(env.node('addNamed'))?.text, 'added 11, skipped 1 local file');
  });

  it('replace tracks by name: nothing but local files is refused before a missing playlist is created', async function () {
    const e = caught(await call('replaceNamed', { payload: [LOCAL, LOCAL] }));
    assert.match(e.error.message, /^InputError: Tracks: expected at least one track or episode Spotify can add/);
    assert.deepEqual(named('Weekly mix'), [], 'no empty playlist was made');
  });
});
