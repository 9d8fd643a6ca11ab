// search, get item and item contents against the simulator: results as deep as Spotify allows with the
// fewest requests, several types at once, items by any reference in input order, and listings by page.
import assert from 'node:assert/strict';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { failed, ok, runner } from '../helpers/node-runner';

describe('search and catalog nodes', function () {
  // A search to Spotify's depth is 100 requests: on a busy machine that takes a while, and nothing here is timed.
  this.timeout(90_000);
  let env: TestEnv;
  const call = runner(() => env, 80_000);
  const node = (id: string, type: string, props: Record<string, unknown> = {}): FlowNode => ({
    id,
    type,
    account: ACCOUNT_ID,
    ...props,
    wires: [['out']],
  });
  const searchRequests = () => env.sim.requests.filter((r) => r.path === '/v1/search');

  before(async function () {
    env = await createEnv();
    await env.load([
      env.accountNode(),
      node('tracks', 'spotify-search', {
        types: 'track',
        query: 'payload',
        queryType: 'msg',
        limit: 'limit',
        limitType: 'msg',
        market: 'market',
        marketType: 'msg',
      }),
      node('multi', 'spotify-search', { types: ['track', 'album', 'artist'], limit: 'limit', limitType: 'msg' }),
      node('split', 'spotify-search', { types: 'artist,album', limit: '2', limitType: 'num', output: 'split' }),
      node('playlists', 'spotify-search', { types: 'playlist' }),
      node('badtypes', 'spotify-search', { types: 'song' }),
      node('item', 'spotify-get-item', { items: 'payload', itemsType: 'msg', itemType: 'track', market: 'market', marketType: 'msg' }),
      node('artistItem', 'spotify-get-item', { itemType: 'artist' }),
      node('contents', 'spotify-item-contents', {
        item: 'payload',
        itemType: 'msg',
        containerType: 'album',
        limit: 'limit',
        limitType: 'msg',
      }),
      node('contentsSplit', 'spotify-item-contents', { containerType: 'artist', output: 'split' }),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize();
  });
  after(async function () {
    await env.close();
  });

  it("search: all results to Spotify's depth limit in exactly the minimal number of requests", async function () {
    env.sim.clearRequests();
    const msg = ok(await call('tracks', { payload: 'heart', topic: 't' }));
    const total = (msg.spotify.total as Record<string, number>).tracks;
    assert.ok(total > 1000, `the query must match more than Spotify serves (${total})`);
    const tracks = (msg.payload as { tracks: { uri: string; name: string }[] }).tracks;
    // Offsets 0..990 in pages of 10: the full 1,000-result depth in ceil(1000/10) = 100 requests.
    assert.equal(tracks.length, 1000);
    assert.equal(new Set(tracks.map((t) => t.uri)).size, 1000, 'no page twice');
    assert.equal(env.sim.count({ path: '/v1/search' }), 100);
    assert.equal(msg.spotify.requests, 100);
    for (const r of searchRequests()) {
      assert.ok(Number(r.query.limit) <= 10 && Number(r.query.offset) + Number(r.query.limit) <= 1000, JSON.stringify(r.query));
      assert.equal(r.status, 200);
    }
    assert.deepEqual(Object.keys(msg.payload as object), ['tracks']);
    assert.equal(msg.topic, 't');
  });

  it('search: at most N asks for exactly N results (the last page smaller), with the market', async function () {
    env.sim.clearRequests();
    const msg = ok(await call('tracks', { payload: 'heart', limit: 25, market: 'de' }));
    assert.equal((msg.payload as { tracks: unknown[] }).tracks.length, 25);
    assert.deepEqual(
      searchRequests().map((r) => [Number(r.query.offset), Number(r.query.limit)]),
      [
        [0, 10],
        [10, 10],
        [20, 5],
      ],
    );
    assert.ok(searchRequests().every((r) => r.query.market === 'DE'));
    env.sim.clearRequests();
    ok(await call('tracks', { payload: 'heart', limit: 3 }));
    assert.deepEqual(
      searchRequests().map((r) => r.query.limit),
      ['3'],
    );
  });

  it('search: several types in one request per page, each type as deep as it goes, output per type', async function () {
    env.sim.clearRequests();
    const msg = ok(await call('multi', { payload: 'heart', limit: 100 }));
    const payload = msg.payload as Record<string, { type: string }[]>;
    const total = msg.spotify.total as Record<string, number>;
    assert.ok(total.tracks > 100 && total.albums > 100 && total.artists < 100, `the fixture: ${JSON.stringify(total)}`);
    assert.deepEqual(Object.keys(payload), ['albums', 'artists', 'tracks'], "Spotify's order of types");
    assert.deepEqual(msg.spotify.count, { albums: 100, artists: total.artists, tracks: 100 });
    assert.ok(payload.albums.every((a) => a.type === 'album') && payload.artists.every((a) => a.type === 'artist'));
    // 10 pages serve all three types together; artists are no longer asked for past their last result.
    assert.equal(env.sim.count({ path: '/v1/search' }), 10);
    const asked = (t: string) => searchRequests().filter((r) => r.query.type.split(',').includes(t)).length;
    assert.equal(asked('track'), 10);
    assert.equal(asked('album'), 10);
    assert.equal(asked('artist'), Math.ceil(total.artists / 10));
  });

  it('search: one message per item carries its type; parts let a join rebuild the list', async function () {
    const o = await call.many('split', { payload: 'heart' }, 4);
    ok(o);
    assert.deepEqual(
      o.all.map((m) => m.spotify.type),
      ['album', 'album', 'artist', 'artist'],
    );
    assert.deepEqual(
      o.all.map((m) => (m.payload as { type: string }).type),
      ['album', 'album', 'artist', 'artist'],
    );
    assert.deepEqual(
      o.all.map((m) => (m.parts as { index: number }).index),
      [0, 1, 2, 3],
    );
    assert.equal((o.all[3].parts as { count?: number }).count, 4);
    const playlists = ok(await call('playlists', { payload: 'radio' }));
    assert.equal((playlists.payload as { playlists: unknown[] }).playlists.length, 20);
  });

  it('search: bad input names the field and sends nothing', async function () {
    env.sim.clearRequests();
    assert.match(failed(await call('tracks', { payload: '   ' })).message, /query: expected search words/);
    assert.match(failed(await call('tracks', { payload: { q: 'x' } })).message, /query: expected/);
    assert.match(failed(await call('tracks', { payload: 'heart', limit: 0 })).message, /At most: expected a whole number from 1/);
    assert.match(failed(await call('tracks', { payload: 'heart', limit: 2.5 })).message, /At most: expected a whole number/);
    assert.match(
      failed(await call('tracks', { payload: 'heart', market: 'Germany' })).message,
      /Market: expected a two-letter country code/,
    );
    assert.match(failed(await call('badtypes', { payload: 'heart' })).message, /types: expected one or more of album, artist, playlist/);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
  });

  it('get item: many ids of mixed types, in input order, 4 at a time; one unknown id fails alone', async function () {
    const c = env.sim.state.catalog;
    const unknown = 'spotify:track:0000000000000000000000';
    const refs = [
      c.track(5).uri,
      `https://open.spotify.com/intl-de/album/${c.album(6).id}?si=x`,
      c.artist(7).uri,
      unknown,
      c.show(1).uri,
      c.episode(2).uri,
      c.audiobook(3).uri,
      c.chapter(4).uri,
      c.track(8).id, // bare: the node's type (track)
    ];
    env.sim.clearRequests();
    env.sim.setLatency(100);
    const msg = ok(await call('item', { payload: refs }));
    env.sim.setLatency(0);
    const items = msg.payload as ({ uri: string; type: string } | null)[];
    assert.deepEqual(
      items.map((i) => i?.uri ?? null),
      [
        c.track(5).uri,
        c.album(6).uri,
        c.artist(7).uri,
        null,
        c.show(1).uri,
        c.episode(2).uri,
        c.audiobook(3).uri,
        c.chapter(4).uri,
        c.track(8).uri,
      ],
    );
    const failures = msg.spotify.failed as { index: number; uri: string; status: number }[];
    assert.deepEqual(
      failures.map((f) => [f.index, f.uri, f.status]),
      [[3, unknown, 404]],
    );
    assert.equal(msg.spotify.count, 8);
    assert.equal(env.sim.count({ kind: 'api' }), 9, 'one request per item, no batch GET');
    assert.equal(env.sim.count({ path: /^\/v1\/(tracks|albums|artists)$/ }), 0);
    // 9 lookups answered 100 ms late: how many were in flight at once shows the bounded concurrency, whatever
    // the machine's speed (one by one never overlaps).
    const lookups = env.sim.requests.filter((r) => r.kind === 'api');
    const overlap = Math.max(...lookups.map((r) => lookups.filter((o) => o.at <= r.at && r.at < o.answeredAt).length));
    assert.ok(overlap >= 2 && overlap <= 4, `lookups in flight at once: ${overlap} (expected 2 to 4)`);
  });

  it('get item: one reference gives its object; its failure and bad input go to Catch naming the field', async function () {
    const c = env.sim.state.catalog;
    const one = ok(await call('item', { payload: c.track(9).uri }));
    assert.equal((one.payload as { uri: string }).uri, c.track(9).uri);
    const bare = ok(await call('artistItem', { payload: c.artist(2).id }));
    assert.equal((bare.payload as { type: string }).type, 'artist', 'a bare ID takes the selected type');
    const list = ok(await call('item', { payload: [c.track(9).uri] }));
    assert.ok(Array.isArray(list.payload), 'an array in, an array out');
    // The market goes where Spotify takes one: the track, not the artist (GET /artists/{id} has no market).
    env.sim.clearRequests();
    ok(await call('item', { payload: [c.track(9).uri, c.artist(2).uri], market: 'de' }));
    assert.deepEqual(
      env.sim.requests.map((r) => [r.path.split('/')[2], r.query.market]),
      [
        ['tracks', 'DE'],
        ['artists', undefined],
      ],
    );

    const missing = failed(await call('item', { payload: 'spotify:album:0000000000000000000000' }));
    assert.match(missing.message, /Not found/);
    assert.equal(missing.spotify.status, 404);
    env.sim.clearRequests();
    assert.match(
      failed(await call('item', { payload: [c.track(1).uri, 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'] })).message,
      /^InputError: Items\[1\]: expected/,
    );
    assert.match(failed(await call('item', { payload: 'nope' })).message, /^InputError: Items: expected/);
    assert.match(failed(await call('item', { payload: c.track(1).uri, market: 'xyz' })).message, /Market: expected/);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
  });

  it('item contents: album tracks, artist albums (pages of 10), show episodes, audiobook chapters', async function () {
    const c = env.sim.state.catalog;
    env.sim.clearRequests();
    const album = ok(await call('contents', { payload: c.album(12).uri }));
    const albumTracks = album.payload as { uri: string }[];
    assert.equal(albumTracks.length, album.spotify.total);
    assert.ok(albumTracks.length >= 1);
    assert.equal(env.sim.requests[0].query.limit, '50');

    // An artist: its albums in pages of at most 10 (Spotify's limit for this listing).
    env.sim.clearRequests();
    const artist = ok(await call('contents', { payload: c.artist(3).uri }));
    const total = artist.spotify.total as number;
    assert.equal((artist.payload as unknown[]).length, total);
    assert.ok(env.sim.requests.every((r) => r.query.limit === '10' || Number(r.query.limit) < 10));
    assert.equal(env.sim.count({ path: `/v1/artists/${c.artist(3).id}/albums` }), Math.ceil(total / 10));
    env.sim.clearRequests();
    const three = ok(await call('contents', { payload: c.artist(3).uri, limit: 3 }));
    assert.equal((three.payload as unknown[]).length, 3);
    assert.deepEqual(
      env.sim.requests.map((r) => r.query.limit),
      ['3'],
    );

    const show = ok(await call('contents', { payload: { uri: c.show(2).uri, name: 'a show object' } }));
    assert.ok((show.payload as { type: string }[]).every((e) => e.type === 'episode'));
    assert.equal(show.spotify.type, 'show');
    const book = ok(await call('contents', { payload: `https://open.spotify.com/audiobook/${c.audiobook(1).id}` }));
    assert.ok((book.payload as { type: string }[]).every((e) => e.type === 'chapter'));
    assert.equal((book.payload as unknown[]).length, book.spotify.total);

    // The simulator gives every artist 8 albums: 8 messages, the last one with parts.count.
    const split = await call.many('contentsSplit', { payload: c.artist(5).id }, 8);
    ok(split);
    assert.ok(split.all.every((m) => (m.payload as { type: string }).type === 'album'));
    assert.equal((split.all[7].parts as { count?: number }).count, 8);

    env.sim.clearRequests();
    assert.match(failed(await call('contents', { payload: c.track(1).uri })).message, /item: expected/);
    assert.match(failed(await call('contents', { payload: c.album(1).uri, limit: -1 })).message, /At most: expected/);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
  });
});
