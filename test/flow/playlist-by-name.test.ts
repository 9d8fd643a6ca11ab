// Playlists by name (issue 22, item 3): a playlist field that names a playlist ("Saved this week") is found among
// the user's playlists with one read of /me/playlists shared by every message, is created when missing — once,
// however many messages arrive together — and a playlist that was deleted is explained by its name (picked) or
// looked up again (by name). What a user sees: outputs, the playlists in Spotify afterwards, request counts at the
// simulator, errors at a Catch node and the node's status.
import assert from 'node:assert/strict';
import { actionNode, createEnv, type FlowNode, type TestEnv } from '../support/env';
import { caught, lastStatus, ok, outputs, runner } from '../helpers/node-runner';

const LIST = { method: 'GET', path: '/v1/me/playlists' };
const CREATE = { method: 'POST', path: '/v1/me/playlists' };

describe('playlists by name', function () {
  let env: TestEnv;
  const call = runner(() => env);
  const node = (id: string, type: string, extra: Record<string, unknown> = {}): FlowNode => actionNode(id, `spotify-${type}`, extra);
  const byName = (name: string, extra: Record<string, unknown> = {}) => ({ playlist: name, playlistType: 'spotify-name', ...extra });

  beforeEach(async function () {
    // The user's own playlists: Fresh Finds (3 entries), Morning Coffee (0), Deep Focus (12), Road Trip (5); and
    // Shared Party Mix (collaborative) and Curated Sounds Weekly (followed, not theirs).
    env = await createEnv({ data: { playlistSizes: [3, 0, 12, 5] } });
    // Picked from the list in the editor: the node keeps the ID and the name it showed.
    const picked = { playlist: one('Road Trip').id, playlistType: 'spotify-id', playlistName: 'Road Trip' };
    const curated = env.sim.state.playlists.find((p) => p.name === 'Curated Sounds Weekly');
    assert.ok(curated);
    await env.load([
      env.accountNode(),
      node('addRoadTrip', 'add-tracks', byName('Road Trip')),
      node('addMsg', 'add-tracks'),
      node('addSaved', 'add-tracks', byName('Saved this week', { createMissing: true })),
      node('addSavedNoCreate', 'add-tracks', byName('Saved this week')),
      node('addCurated', 'add-tracks', byName('Curated Sounds Weekly')),
      node('replaceTop', 'replace-tracks', byName('My top tracks', { createMissing: true })),
      node('getByName', 'get-playlist', byName('Curated Sounds Weekly')),
      node('getMissing', 'get-playlist', byName('No Such List')),
      node('update', 'update-playlist'),
      node('addPicked', 'add-tracks', picked),
      node('tracksPicked', 'playlist-tracks', picked),
      node('addPickedCurated', 'add-tracks', { playlist: curated.id, playlistType: 'spotify-id', playlistName: 'Curated Sounds Weekly' }),
      node('getById', 'get-playlist'),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize();
    env.sim.clearRequests();
  });
  afterEach(async function () {
    await env.close();
  });

  const me = () => env.sim.state.me.id;
  const named = (name: string) => env.sim.state.playlists.filter((p) => p.name === name && p.owner.id === me());
  const one = (name: string) => {
    const found = named(name);
    assert.equal(found.length, 1, `exactly one playlist named ${name}`);
    return found[0];
  };
  const track = (i: number) => env.sim.state.catalog.track(1000 + i).uri;
  const uris = (id: string) => env.sim.state.playlist(id)?.items.map((e) => e.uri);

  it('finds a playlist by name with one read of the user playlists for many messages', async function () {
    const roadTrip = one('Road Trip');
    const before = uris(roadTrip.id) ?? [];
    // Eight messages at once, then four more one after another.
    const first = outputs(
      await call.outputs(8, (to) => {
        for (let i = 0; i < 8; i++) to('addRoadTrip', { payload: [track(i)] });
      }),
    );
    assert.equal(first.length, 8);
    for (let i = 8; i < 12; i++) ok(await call('addRoadTrip', { payload: [track(i)] }));
    assert.equal(env.sim.count(LIST), 1, 'one read of /me/playlists for twelve messages');
    const after = uris(roadTrip.id) ?? [];
    assert.equal(after.length, before.length + 12);
    assert.deepEqual(new Set(after.slice(before.length)), new Set(Array.from({ length: 12 }, (_, i) => track(i))));
    assert.equal((first[0].payload as { playlist_id: string }).playlist_id, roadTrip.id);
  });

  it('msg.playlist may name a playlist too: text that is no ID, URI or link, or {name}; any case and spacing', async function () {
    const roadTrip = one('Road Trip');
    const shared = env.sim.state.playlists.find((p) => p.name === 'Shared Party Mix');
    assert.ok(shared);
    const a = ok(await call('addMsg', { playlist: 'Road Trip', payload: [track(1)] }));
    const b = ok(await call('addMsg', { playlist: { name: '  road   TRIP ' }, payload: [track(2)] }));
    const c = ok(await call('addMsg', { playlist: 'Shared Party Mix', payload: [track(3)] }));
    assert.equal((a.payload as { playlist_id: string }).playlist_id, roadTrip.id);
    assert.equal((b.payload as { playlist_id: string }).playlist_id, roadTrip.id);
    assert.equal((c.payload as { playlist_id: string }).playlist_id, shared.id, 'a collaborative playlist may be written to');
    assert.deepEqual(uris(roadTrip.id)?.slice(-2), [track(1), track(2)]);
    assert.equal(env.sim.count(LIST), 1);
  });

  it('create when missing: twenty messages at once create exactly one playlist, holding every message’s tracks', async function () {
    assert.equal(named('Saved this week').length, 0);
    const all = outputs(
      await call.outputs(20, (to) => {
        for (let i = 0; i < 20; i++) to('addSaved', { payload: [track(i)] });
      }),
    );
    assert.equal(env.sim.count(CREATE), 1, 'one create request');
    const saved = one('Saved this week');
    assert.equal(saved.public, false, 'created private');
    assert.deepEqual(new Set(uris(saved.id)), new Set(Array.from({ length: 20 }, (_, i) => track(i))));
    assert.equal(uris(saved.id)?.length, 20);
    assert.equal(all.filter((m) => (m.payload as { playlist_created?: boolean }).playlist_created === true).length, 1);
    assert.ok(all.every((m) => (m.payload as { playlist_id: string }).playlist_id === saved.id));
    assert.equal(env.sim.count(LIST), 1, 'the new playlist is known without reading the list again');
    // Later messages (another node of the same account too) find it: no second copy, no new read.
    ok(await call('addSavedNoCreate', { payload: [track(99)] }));
    assert.equal(env.sim.count(CREATE), 1);
    assert.equal(env.sim.count(LIST), 1);
    assert.equal(uris(saved.id)?.at(-1), track(99));
  });

  it('replace tracks creates a missing playlist too (a weekly "my top tracks")', async function () {
    const first = ok(await call('replaceTop', { payload: [track(1), track(2)] }));
    const top = one('My top tracks');
    assert.deepEqual(uris(top.id), [track(1), track(2)]);
    assert.equal((first.payload as { playlist_created?: boolean }).playlist_created, true);
    const second = ok(await call('replaceTop', { payload: [track(3)] }));
    assert.deepEqual(uris(top.id), [track(3)]);
    assert.equal((second.payload as { playlist_created?: boolean }).playlist_created, undefined);
    assert.equal(env.sim.count(CREATE), 1);
  });

  it('a name that matches nothing, without the option: an error naming the field by its dialog label, and sends no create', async function () {
    const err = caught(await call('addSavedNoCreate', { payload: [track(1)] }));
    assert.equal(err.error.message, "InputError: Playlist: no playlist named 'Saved this week' — create it or tick 'Create when missing'");
    assert.equal(lastStatus(env.node('addSavedNoCreate'))?.text, "no playlist 'Saved this week'");
    const read = caught(await call('getMissing', {}));
    assert.match(read.error.message, /^InputError: Playlist: no playlist named 'No Such List' among your playlists .*check the name$/);
    assert.equal(env.sim.count(CREATE), 0);
    assert.equal(named('Saved this week').length, 0);
  });

  it('a write by name skips playlists the user may not change and says whose it is; a read finds them', async function () {
    const err = caught(await call('addCurated', { payload: [track(1)] }));
    assert.match(
      err.error.message,
      /^InputError: Playlist: the playlist 'Curated Sounds Weekly' is Curated Sounds's, .*tick 'Create when missing'/,
    );
    const got = ok(await call('getByName', {}));
    assert.equal((got.payload as { name: string }).name, 'Curated Sounds Weekly');
  });

  it('a picked playlist that was deleted: "no longer exists — pick another", status "playlist gone"', async function () {
    const roadTrip = one('Road Trip');
    env.sim.deletePlaylist(roadTrip.id);
    const err = caught(await call('addPicked', { payload: [track(1)] }));
    assert.equal(err.error.message, "SpotifyApiError: Playlist 'Road Trip' no longer exists — pick another");
    assert.equal(err.spotify?.status, 404);
    assert.equal(lastStatus(env.node('addPicked'))?.text, 'playlist gone');
    const read = caught(await call('tracksPicked', {}));
    assert.equal(read.error.message, "SpotifyApiError: Playlist 'Road Trip' no longer exists — pick another");
    assert.equal(lastStatus(env.node('tracksPicked'))?.text, 'playlist gone');
    // An ID from a message names the ID; a playlist object from another node names the playlist.
    const byId = caught(await call('getById', { playlist: roadTrip.uri }));
    assert.equal(byId.error.message, `SpotifyApiError: Playlist ${roadTrip.id} not found: it was deleted, or the ID is wrong`);
    assert.equal(lastStatus(env.node('getById'))?.text, 'playlist not found');
    const byObject = caught(await call('getById', { playlist: { id: roadTrip.id, name: 'Road Trip' } }));
    assert.match(byObject.error.message, /^SpotifyApiError: Playlist 'Road Trip' no longer exists: it was deleted/);
    assert.equal(env.sim.count(LIST), 0, 'an ID is never looked up by name');
    assert.equal(named('Road Trip').length, 0, 'and nothing was created');
  });

  it('other errors about a picked or named playlist name it as the user knows it', async function () {
    const err = caught(await call('addPickedCurated', { payload: [track(1)] }));
    assert.match(
      err.error.message,
      /^BatchError: Playlist 'Curated Sounds Weekly': Spotify refused \(Forbidden\): you can only change playlists/,
    );
    assert.equal(err.spotify?.status, 403);
  });

  it('a by-name playlist deleted behind the kept list is looked up again: found when the user made it again', async function () {
    const roadTrip = one('Road Trip');
    ok(await call('addRoadTrip', { payload: [track(1)] }));
    assert.equal(env.sim.count(LIST), 1);
    env.sim.deletePlaylist(roadTrip.id);
    const again = env.sim.createPlaylist('Road Trip');
    const msg = ok(await call('addRoadTrip', { payload: [track(2)] }));
    assert.equal((msg.payload as { playlist_id: string }).playlist_id, again.id);
    assert.deepEqual(uris(again.id), [track(2)]);
    assert.equal(env.sim.count(LIST), 2, 'one new read after the 404');
    ok(await call('addRoadTrip', { payload: [track(3)] }));
    assert.equal(env.sim.count(LIST), 2, 'and the new one is kept');
  });

  it('a by-name playlist deleted behind the kept list is created again when the option is ticked, else explained', async function () {
    ok(await call('addSaved', { payload: [track(1)] }));
    const first = one('Saved this week');
    env.sim.deletePlaylist(first.id);
    const msg = ok(await call('addSaved', { payload: [track(2)] }));
    const second = one('Saved this week');
    assert.notEqual(second.id, first.id);
    assert.equal((msg.payload as { playlist_id: string }).playlist_id, second.id);
    assert.deepEqual(uris(second.id), [track(2)]);
    assert.equal(env.sim.count(CREATE), 2);

    env.sim.deletePlaylist(second.id);
    const err = caught(await call('addSavedNoCreate', { payload: [track(3)] }));
    assert.equal(err.error.message, "InputError: Playlist: no playlist named 'Saved this week' — create it or tick 'Create when missing'");
  });

  it('renaming through update playlist: the new name is found at once, without a new read', async function () {
    const roadTrip = one('Road Trip');
    ok(await call('addRoadTrip', { payload: [track(1)] }));
    ok(await call('update', { playlist: 'Road Trip', name: 'Saved this week' }));
    const msg = ok(await call('addSavedNoCreate', { payload: [track(2)] }));
    assert.equal((msg.payload as { playlist_id: string }).playlist_id, roadTrip.id);
    assert.equal(env.sim.count(LIST), 1);
    assert.equal(env.sim.count(CREATE), 0);
  });
});
