// add tracks: any number of tracks in order, in batches of 100, from IDs, URIs, links or objects; a failed
// batch says what was added and what was not.
import assert from 'node:assert/strict';
import { createEnv, ACCOUNT_ID, type TestEnv } from '../support/env';
import { caught, ok, runner } from '../helpers/node-runner';

describe('add tracks node', function () {
  let env: TestEnv;
  const call = runner(() => env);
  beforeEach(async function () {
    env = await createEnv({ data: { playlistSizes: [3, 0] } });
    await env.load([
      env.accountNode(),
      { id: 'add', type: 'spotify-add-tracks', account: ACCOUNT_ID, position: 'position', positionType: 'msg', wires: [['out']] },
      { id: 'addOnce', type: 'spotify-add-tracks', account: ACCOUNT_ID, skipExisting: true, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize();
  });
  afterEach(async function () {
    await env.close();
  });

  const own = () => env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
  const tracks = (n: number, from = 0) => Array.from({ length: n }, (_, i) => env.sim.state.catalog.track(from + i));

  it('adds 250 tracks in 3 requests, in order, and outputs the final snapshot_id', async function () {
    const playlist = own()[1];
    const uris = tracks(250).map((t) => t.uri);
    env.sim.clearRequests();
    const msg = ok(await call('add', { playlist: playlist.uri, payload: uris }));
    const after = env.sim.state.playlist(playlist.id);
    assert.ok(after);
    assert.deepEqual(
      after.items.map((e) => e.uri),
      uris,
    );
    const posts = env.sim.requests.filter((r) => r.method === 'POST' && r.path === `/v1/playlists/${playlist.id}/items`);
    assert.deepEqual(
      posts.map((r) => r.uris),
      [100, 100, 50],
      "Spotify's batches of 100, full but the last",
    );
    assert.deepEqual(msg.payload, {
      playlist_id: playlist.id,
      snapshot_id: after.snapshot_id,
      added: 250,
      batches: 3,
      given: 250,
      skipped: { local: 0, unavailable: 0 },
    });
  });

  it('"only tracks not already in the playlist": a track given twice in one message is added once', async function () {
    const playlist = own()[0]; // 3 items
    const before = env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri) ?? [];
    const [a, b] = tracks(2, 700).map((t) => t.uri);
    const msg = ok(await call('addOnce', { playlist: playlist.id, payload: [a, b, a, before[0], b] }));
    assert.deepEqual(
      env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
      [...before, a, b],
    );
    const out = msg.payload as { added: number; skipped: { existing: number; local: number; unavailable: number } };
    assert.deepEqual([out.added, out.skipped], [2, { existing: 3, local: 0, unavailable: 0 }]);
  });

  it('accepts IDs, URIs, links and track objects, comma or newline separated', async function () {
    const playlist = own()[1];
    const [a, b, c, d] = tracks(4);
    ok(
      await call('add', {
        playlist: `https://open.spotify.com/playlist/${playlist.id}?si=abc`,
        payload: [`${a.id}`, b.uri, `https://open.spotify.com/intl-de/track/${c.id}`, { uri: d.uri, name: d.name }],
      }),
    );
    assert.deepEqual(
      env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
      [a.uri, b.uri, c.uri, d.uri],
    );
    ok(await call('add', { playlist: playlist.id, payload: `${a.uri}, ${b.id}\n${c.uri}` }));
    assert.equal(env.sim.state.playlist(playlist.id)?.items.length, 7);
  });

  it('inserts at a position, keeping order across batches', async function () {
    const playlist = own()[0]; // 3 items
    const before = env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri) ?? [];
    const uris = tracks(150, 500).map((t) => t.uri);
    ok(await call('add', { playlist: playlist.id, payload: uris, position: 1 }));
    assert.deepEqual(
      env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
      [before[0], ...uris, ...before.slice(1)],
    );
  });

  it('a failing batch reports what was added and what was not', async function () {
    const playlist = own()[1];
    const uris = tracks(250).map((t) => t.uri);
    env.sim.addFault({ method: 'POST', path: `/v1/playlists/${playlist.id}/items`, status: 400, every: 2, times: 1 });
    const e = caught(await call('add', { playlist: playlist.id, payload: uris }));
    assert.match(e.error.message, /100 of 250 tracks applied, 150 not applied/);
    const info = e.spotify as { applied: string[]; notApplied: string[]; uncertain: string[] };
    assert.deepEqual(info.applied, uris.slice(0, 100));
    assert.deepEqual(info.notApplied, uris.slice(100));
    assert.equal(env.sim.state.playlist(playlist.id)?.items.length, 100, 'what it says is what happened');
  });

  it('"only tracks not already in the playlist": a replay after a failure mid-way adds only what is missing', async function () {
    const playlist = own()[1];
    const uris = tracks(1000).map((t) => t.uri);
    // The first attempt stops after 4 of 10 batches (as a crash would): 400 are in the playlist.
    env.sim.addFault({ method: 'POST', path: `/v1/playlists/${playlist.id}/items`, status: 400, every: 5, times: 1 });
    const err = call('add', { playlist: playlist.id, payload: uris });
    assert.match(caught(await err).error.message, /400 of 1000 tracks applied/);
    env.sim.clearFaults();
    // The natural retry: the same message again, to a node with the option ticked.
    env.sim.clearRequests();
    const msg = ok(await call('addOnce', { playlist: playlist.id, payload: [...uris, uris[0]] }));
    assert.deepEqual(
      env.sim.state.playlist(playlist.id)?.items.map((e) => e.uri),
      uris,
      'every track once, in order: no duplicates',
    );
    assert.equal(env.sim.count({ method: 'GET', path: `/v1/playlists/${playlist.id}/items` }), 8, 'read 400 entries: 8 pages');
    assert.equal(env.sim.count({ method: 'POST', path: `/v1/playlists/${playlist.id}/items` }), 6, 'added 600 in 6 batches');
    assert.deepEqual(msg.payload, {
      playlist_id: playlist.id,
      snapshot_id: env.sim.state.playlist(playlist.id)?.snapshot_id,
      added: 600,
      batches: 6,
      given: 1001,
      skipped: { local: 0, unavailable: 0, existing: 401 },
    });
    assert.equal((msg.spotify as { requests: number }).requests, 14, 'the reads are counted');
  });

  it('a batch whose answer was lost is not repeated: no silent duplicates', async function () {
    const playlist = own()[1];
    const uris = tracks(150).map((t) => t.uri);
    env.sim.addFault({ method: 'POST', path: `/v1/playlists/${playlist.id}/items`, reset: true, afterEffect: true, every: 2, times: 1 });
    // Its fate cannot be settled either: the playlist's snapshot cannot be read once the writing began (a lost
    // answer whose snapshot can be read is settled instead: test/process/faults.test.ts).
    env.sim.addFault({ method: 'POST', path: `/v1/playlists/${playlist.id}/items`, delayMs: 200, times: 1 });
    const err = call('add', { playlist: playlist.id, payload: uris });
    while (env.sim.count({ method: 'POST', path: `/v1/playlists/${playlist.id}/items` }) < 1) await new Promise((r) => setTimeout(r, 5));
    env.sim.addFault({ method: 'GET', path: `/v1/playlists/${playlist.id}`, status: 500 });
    const e = caught(await err);
    assert.match(e.error.message, /may or may not have been applied/);
    const info = e.spotify as { uncertain: string[] };
    assert.equal(info.uncertain.length, 50);
    assert.equal(env.sim.state.playlist(playlist.id)?.items.length, 150, 'the lost batch happened once, not twice');
  });

  it('explains a 403 on a playlist the user does not own', async function () {
    const foreign = env.sim.state.playlists.find((p) => p.owner.id !== env.sim.state.me.id && !p.collaborative);
    assert.ok(foreign);
    const err = call('add', { playlist: foreign.id, payload: [tracks(1)[0].uri] });
    assert.match(caught(await err).error.message, /only change playlists you own or collaborate on/);
  });

  it('rejects bad input with the field and index, sending nothing', async function () {
    const playlist = own()[1];
    env.sim.clearRequests();
    let err = call('add', { playlist: playlist.id, payload: [tracks(1)[0].uri, 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy'] });
    assert.match(caught(await err).error.message, /Tracks\[1\]: expected/);
    // Text that is no ID, URI or link is a playlist name (test/flow/playlist-by-name.test.ts); a broken URI stays bad input.
    err = call('add', { playlist: 'spotify:playlist:not-a-playlist', payload: [tracks(1)[0].uri] });
    assert.match(caught(await err).error.message, /^.*playlist: expected/);
    err = call('add', { playlist: playlist.id, payload: [tracks(1)[0].uri], position: -1 });
    assert.match(caught(await err).error.message, /Position: expected a whole number/);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
  });
});
