// The library nodes: saved items (offset paging), save / remove / check through /me/library?uris= with
// mixed types in batches of 40, the scopes each type needs, and bad input named by field and index.
import assert from 'node:assert/strict';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { caught, ok, outputs, runner } from '../helpers/node-runner';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';

type Kind = 'track' | 'album' | 'episode' | 'show' | 'audiobook';

function flow(e: TestEnv, savedProps: Record<string, unknown> = {}): FlowNode[] {
  const out = (id: string, type: string, props: Record<string, unknown> = {}): FlowNode => ({
    id,
    type,
    account: ACCOUNT_ID,
    ...props,
    wires: [['out']],
  });
  return [
    e.accountNode(),
    out('saved', 'spotify-saved-items', savedProps),
    out('save', 'spotify-save-to-library'),
    out('saveAny', 'spotify-save-to-library', { order: 'any' }),
    out('saveBad', 'spotify-save-to-library', { order: 'sorted' }),
    out('remove', 'spotify-remove-from-library'),
    out('removeAny', 'spotify-remove-from-library', { order: 'any' }),
    out('check', 'spotify-check-library'),
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

describe('library nodes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  afterEach(async function () {
    await env?.close();
  });

  async function run(node: string, msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    return ok(await call(node, msg));
  }
  async function failure(
    node: string,
    msg: Record<string, unknown>,
  ): Promise<{ error: { message: string }; spotify?: Record<string, unknown> }> {
    return caught(await call(node, msg));
  }

  /** Catalogue items of a kind that are not in the library yet. */
  function unsaved(kind: Kind, n: number): { id: string; uri: string }[] {
    const list = { track: 'tracks', album: 'albums', episode: 'episodes', show: 'shows', audiobook: 'audiobooks' } as const;
    const saved = new Set(env.sim.state.library[list[kind]].map((s) => s.uri));
    const c = env.sim.state.catalog;
    const out: { id: string; uri: string }[] = [];
    for (let i = 0; out.length < n; i++) {
      const e = c[kind](i);
      if (!saved.has(e.uri)) out.push(e);
    }
    return out;
  }
  const libraryPuts = () => env.sim.requests.filter((r) => r.kind === 'api' && r.path === '/v1/me/library' && r.method === 'PUT');

  describe('save, remove and check', function () {
    beforeEach(async function () {
      env = await createEnv();
      await env.load(flow(env));
      await env.authorize({ scopes: [...PACK_SCOPES] });
      env.sim.clearRequests();
    });

    it('saves 95 URIs of mixed types in 3 requests of at most 40, in order', async function () {
      const state = env.sim.state;
      const tracks = unsaved('track', 63);
      const albums = unsaved('album', 10);
      const episodes = unsaved('episode', 10);
      const shows = unsaved('show', 5);
      const books = unsaved('audiobook', 5);
      const user = state.users.find((u) => u.id !== state.me.id && !state.library.users.includes(u.id));
      const playlist = state.playlists.find((p) => p.public && !state.library.playlists.includes(p.id));
      assert.ok(user && playlist, 'the simulator has a user and a public playlist to follow');
      // Every form a user may paste: bare IDs (tracks), URIs, links, objects.
      const items: unknown[] = [
        ...tracks.slice(0, 20).map((t) => t.id),
        ...tracks.slice(20, 40).map((t) => `https://open.spotify.com/intl-de/track/${t.id}?si=x`),
        ...tracks.slice(40).map((t) => ({ uri: t.uri, name: 'x' })),
        ...albums.map((a) => a.uri),
        ...episodes.map((e) => `https://open.spotify.com/episode/${e.id}`),
        ...shows.map((s) => s.uri),
        ...books.map((b) => b.uri),
        user.uri,
        playlist.uri,
        // the same track again: sent once
        tracks[0].uri,
      ];
      const msg = await run('save', { payload: items, topic: 'kept' });
      const expected = [...tracks, ...albums, ...episodes, ...shows, ...books].map((x) => x.uri).concat(user.uri, playlist.uri);
      assert.equal(expected.length, 95);
      assert.deepEqual(msg.payload, { saved: 95, uris: expected, batches: 3, skipped: { local: 0, unavailable: 0 } });
      assert.equal(msg.topic, 'kept');
      assert.deepEqual(msg.spotify, { requests: 3 });

      const puts = libraryPuts();
      assert.equal(puts.length, 3);
      assert.deepEqual(
        puts.map((r) => r.query.uris.split(',')),
        [expected.slice(0, 40), expected.slice(40, 80), expected.slice(80)],
      );

      const lib = env.sim.state.library;
      // Newest first: the last one saved is on top.
      assert.deepEqual(
        lib.tracks.slice(0, 63).map((s) => s.uri),
        tracks.map((t) => t.uri).reverse(),
      );
      for (const [list, saved] of [
        [lib.albums, albums],
        [lib.episodes, episodes],
        [lib.shows, shows],
        [lib.audiobooks, books],
      ] as const) {
        const have = new Set(list.map((s) => s.uri));
        assert.ok(saved.every((x) => have.has(x.uri)));
      }
      assert.ok(lib.users.includes(user.id));
      assert.ok(lib.playlists.includes(playlist.id));
    });

    it('removes URIs of mixed types in batches of 40', async function () {
      const before = env.sim.state.library;
      const gone = [...before.tracks.slice(0, 25), ...before.albums.slice(0, 5), ...before.episodes.slice(0, 3)].map((s) => s.uri);
      const kept = before.tracks.slice(25).map((s) => s.uri);
      const msg = await run('remove', { payload: gone.join('\n') });
      assert.deepEqual(msg.payload, { removed: 33, uris: gone, batches: 1, skipped: { local: 0, unavailable: 0 } });
      const after = env.sim.state.library;
      const all = new Set([...after.tracks, ...after.albums, ...after.episodes].map((s) => s.uri));
      assert.ok(
        gone.every((u) => !all.has(u)),
        'every URI is gone',
      );
      assert.deepEqual(
        after.tracks.map((s) => s.uri),
        kept,
        'the others stay, in order',
      );
      assert.equal(env.sim.count({ method: 'DELETE', path: '/v1/me/library' }), 1);

      // 41 take two requests
      const more = unsaved('track', 41).map((t) => t.uri);
      await run('save', { payload: more });
      env.sim.clearRequests();
      const msg2 = await run('remove', { payload: more });
      assert.equal((msg2.payload as { batches: number }).batches, 2);
      assert.equal(env.sim.count({ method: 'DELETE', path: '/v1/me/library' }), 2);
      assert.ok(!env.sim.state.library.tracks.some((s) => more.includes(s.uri)));
    });

    it('checks 100 URIs in 3 requests and answers each one, in the order given', async function () {
      const lib = env.sim.state.library;
      const savedTracks = lib.tracks.slice(0, 30).map((s) => s.uri);
      const otherTracks = unsaved('track', 60).map((t) => t.uri);
      const followed = `spotify:artist:${lib.artists[0]}`;
      const c = env.sim.state.catalog;
      let notFollowed = '';
      for (let i = 0; !notFollowed; i++) if (!lib.artists.includes(c.artist(i).id)) notFollowed = c.artist(i).uri;
      const uris: string[] = [];
      for (let i = 0; i < 30; i++) uris.push(savedTracks[i], otherTracks[i], otherTracks[30 + i]);
      uris.push(followed, notFollowed, lib.albums[0].uri, lib.albums[0].uri, unsaved('album', 1)[0].uri);
      uris.push(
        `spotify:playlist:${lib.playlists.find((p) => p !== null)}`,
        savedTracks[0],
        otherTracks[0],
        savedTracks[1],
        savedTracks[2],
      );
      assert.equal(uris.length, 100);
      const saved = new Set([...savedTracks, followed, lib.albums[0].uri, uris[95]]);

      const msg = await run('check', { payload: uris });
      assert.deepEqual(
        msg.payload,
        uris.map((uri) => ({ uri, saved: saved.has(uri) })),
      );
      assert.equal(msg.saved, false);
      assert.deepEqual(msg.spotify, { requests: 3, count: 100, saved: uris.filter((u) => saved.has(u)).length });
      assert.equal(env.sim.count({ method: 'GET', path: '/v1/me/library/contains' }), 3);

      const one = await run('check', { payload: savedTracks[3] });
      assert.deepEqual(one.payload, [{ uri: savedTracks[3], saved: true }]);
      assert.equal(one.saved, true, 'one URI: msg.saved is its answer');
      const no = await run('check', { payload: { uri: otherTracks[5] } });
      assert.equal(no.saved, false);
    });

    /** The most requests of `list` that were in flight at the same moment (from the simulator's log). */
    function mostAtOnce(list: { at: number; answeredAt: number }[]): number {
      return Math.max(0, ...list.map((r) => list.filter((q) => q.at <= r.at && q.answeredAt > r.at).length));
    }

    it('"any order" sends several batches at a time: 400 URIs in 10 requests, every one saved', async function () {
      env.sim.setLatency(30); // answers take a while, so requests sent together are seen together
      const uris = unsaved('track', 400).map((t) => t.uri);
      const msg = await run('saveAny', { payload: uris });
      assert.deepEqual(msg.payload, { saved: 400, uris, batches: 10, skipped: { local: 0, unavailable: 0 } });
      const puts = libraryPuts();
      assert.equal(puts.length, 10);
      assert.ok(mostAtOnce(puts) > 1, 'batches overlapped');
      assert.deepEqual(puts.flatMap((r) => r.query.uris.split(',')).sort(), [...uris].sort(), 'each URI sent once');
      const have = new Set(env.sim.state.library.tracks.map((s) => s.uri));
      assert.ok(uris.every((u) => have.has(u)));

      env.sim.clearRequests();
      const removed = await run('removeAny', { payload: uris });
      assert.deepEqual(removed.payload, { removed: 400, uris, batches: 10, skipped: { local: 0, unavailable: 0 } });
      assert.ok(mostAtOnce(env.sim.requests.filter((r) => r.method === 'DELETE')) > 1, 'removals overlapped too');
      const left = new Set(env.sim.state.library.tracks.map((s) => s.uri));
      assert.ok(uris.every((u) => !left.has(u)));
    });

    it('keeps the order by default: one batch at a time', async function () {
      env.sim.setLatency(30);
      const uris = unsaved('track', 200).map((t) => t.uri);
      await run('save', { payload: uris });
      assert.equal(mostAtOnce(libraryPuts()), 1);
      assert.deepEqual(
        env.sim.state.library.tracks.slice(0, 200).map((s) => s.uri),
        [...uris].reverse(),
        'newest first: the order given, reversed',
      );
    });

    it('"any order": a failing batch still accounts for every URI, and says what happened', async function () {
      const uris = unsaved('track', 400).map((t) => t.uri);
      env.sim.addFault({ method: 'PUT', path: '/v1/me/library', status: 400, every: 2, times: 1 });
      const e = await failure('saveAny', { payload: uris });
      const applied = e.spotify?.applied as string[];
      const notApplied = e.spotify?.notApplied as string[];
      assert.equal(applied.length + notApplied.length, 400);
      assert.match(e.error.message, new RegExp(`${applied.length} of 400 URIs applied, ${notApplied.length} not applied`));
      assert.ok(notApplied.length >= 40, 'at least the failed batch');
      const have = new Set(env.sim.state.library.tracks.map((s) => s.uri));
      assert.deepEqual(
        uris.filter((u) => have.has(u)),
        uris.filter((u) => applied.includes(u)),
        'what it says is what happened',
      );
    });

    it('refuses an unknown order, naming the field', async function () {
      const e = await failure('saveBad', { payload: unsaved('track', 1).map((t) => t.uri) });
      assert.match(e.error.message, /Order/);
      assert.equal(libraryPuts().length, 0);
    });

    it('a failing batch reports what was saved and what was not', async function () {
      const uris = unsaved('track', 95).map((t) => t.uri);
      env.sim.addFault({ method: 'PUT', path: '/v1/me/library', status: 400, every: 2, times: 1 });
      const e = await failure('save', { payload: uris });
      assert.match(e.error.message, /40 of 95 URIs applied, 55 not applied/);
      assert.deepEqual(e.spotify?.applied, uris.slice(0, 40));
      assert.deepEqual(e.spotify?.notApplied, uris.slice(40));
      const have = new Set(env.sim.state.library.tracks.map((s) => s.uri));
      assert.deepEqual(
        uris.filter((u) => have.has(u)),
        uris.slice(0, 40),
        'what it says is what happened',
      );
    });

    it('names the scopes when Spotify answers 403 for a scope', async function () {
      env.sim.addFault({
        method: 'PUT',
        path: '/v1/me/library',
        status: 403,
        body: { error: { status: 403, message: 'Insufficient client scope' } },
      });
      const user = env.sim.state.users.find((u) => u.id !== env.sim.state.me.id);
      assert.ok(user);
      const e = await failure('save', { payload: [unsaved('track', 1)[0].uri, user.uri] });
      assert.match(e.error.message, /tick user-library-modify, user-follow-modify in the Spotify account node/);
      assert.equal(e.spotify?.status, 403);
    });

    it('refuses bad URIs naming the field and index, sending nothing', async function () {
      const [t] = unsaved('track', 1);
      let e = await failure('save', { payload: [t.uri, 'spotify:track:tooShort', t.id] });
      assert.match(e.error.message, /Items\[1\]: expected a Spotify track, album, episode, show, audiobook, user or playlist ID/);
      assert.doesNotMatch(e.error.message, /artist/, 'a write does not offer artists');
      e = await failure('save', { payload: [t.uri, t.uri, 'spotify:artist:4aawyAB9vmqN3uQ7FjRGTy'] });
      assert.match(e.error.message, /Items\[2\]: expected .*does not follow artists/);
      e = await failure('remove', { payload: `${t.uri}\nspotify:local:a:b:c:120` });
      assert.match(e.error.message, /Items\[1\]: expected .*local files/);
      e = await failure('check', { payload: [t.uri, 42] });
      assert.match(e.error.message, /items\[1\]: expected/);
      e = await failure('check', { payload: [] });
      assert.match(e.error.message, /items: expected at least one/);
      e = await failure('save', {});
      assert.match(e.error.message, /Items: expected/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('scopes checked before the request', function () {
    it('names the missing scope for the types in the list and sends nothing', async function () {
      env = await createEnv();
      await env.load(flow(env));
      await env.authorize({ scopes: ['user-read-private', 'user-library-read', 'user-library-modify'] });
      env.sim.clearRequests();
      const state = env.sim.state;
      const user = state.users.find((u) => u.id !== state.me.id);
      assert.ok(user);
      const [t] = unsaved('track', 1);
      let e = await failure('save', { payload: [t.uri, user.uri] });
      assert.match(e.error.message, /needs the scope user-follow-modify/);
      assert.deepEqual(e.spotify?.notApplied, [t.uri, user.uri], 'nothing was saved');
      assert.ok(!env.sim.state.library.tracks.some((s) => s.uri === t.uri));
      e = await failure('remove', { payload: [state.playlists[0].uri] });
      assert.match(e.error.message, /needs the scope playlist-modify-public or playlist-modify-private/);
      e = await failure('check', { payload: [t.uri, `spotify:artist:${state.library.artists[0]}`] });
      assert.match(e.error.message, /needs the scope user-follow-read/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
      // Tracks alone need only what was granted.
      const ok = await run('check', { payload: [t.uri] });
      assert.deepEqual(ok.payload, [{ uri: t.uri, saved: false }]);
    });
  });

  describe('saved items', function () {
    beforeEach(async function () {
      env = await createEnv({ data: { savedTracks: 120 } });
    });

    it('reads every page of 50 (120 tracks: 3 requests), newest first, with added_at', async function () {
      await env.load(flow(env, { itemType: 'tracks' }));
      await env.authorize({ scopes: [...PACK_SCOPES] });
      env.sim.clearRequests();
      const msg = await run('saved', { topic: 'kept' });
      const items = msg.payload as { added_at: string; track: { uri: string } }[];
      assert.deepEqual(
        items.map((s) => s.track.uri),
        env.sim.state.library.tracks.map((s) => s.uri),
      );
      assert.deepEqual(
        items.map((s) => s.added_at),
        env.sim.state.library.tracks.map((s) => s.added_at),
      );
      assert.ok(Date.parse(items[0].added_at) > Date.parse(items[119].added_at));
      assert.equal(msg.topic, 'kept');
      assert.deepEqual(msg.spotify, { type: 'tracks', total: 120, requests: 3, count: 120 });
      assert.equal(env.sim.count({ method: 'GET', path: '/v1/me/tracks' }), 3);
    });

    it('at most N reads only the pages it needs; one message per item sets msg.parts', async function () {
      await env.load(flow(env, { itemType: 'tracks', limit: 'limit', limitType: 'msg', output: 'split' }));
      await env.authorize({ scopes: [...PACK_SCOPES] });
      env.sim.clearRequests();
      const got = call.many('saved', { limit: 7 }, 7);
      const msgs = outputs(await got);
      assert.deepEqual(
        msgs.map((m) => (m.payload as { track: { uri: string } }).track.uri),
        env.sim.state.library.tracks.slice(0, 7).map((s) => s.uri),
      );
      assert.equal((msgs[6].parts as { count: number }).count, 7);
      assert.equal(env.sim.count({ path: '/v1/me/tracks' }), 1);
      assert.equal(env.sim.requests.find((r) => r.path === '/v1/me/tracks')?.query.limit, '7');
    });

    it('takes the type from msg.type and passes the market; at most 60 takes 2 requests', async function () {
      await env.load(flow(env, { itemType: 'msg', limit: '60', limitType: 'num', market: 'market', marketType: 'msg' }));
      await env.authorize({ scopes: [...PACK_SCOPES] });
      env.sim.clearRequests();
      const albums = await run('saved', { type: 'albums', market: 'de' });
      assert.deepEqual(
        (albums.payload as { album: { uri: string } }[]).map((s) => s.album.uri),
        env.sim.state.library.albums.map((s) => s.uri),
      );
      assert.equal(env.sim.requests.find((r) => r.path === '/v1/me/albums')?.query.market, 'DE');
      const tracks = await run('saved', { type: 'tracks' });
      assert.equal((tracks.payload as unknown[]).length, 60);
      assert.equal(env.sim.count({ path: '/v1/me/tracks' }), 2);
      // Saved shows and audiobooks take no market at Spotify: it is left out there.
      for (const type of ['shows', 'audiobooks']) {
        await run('saved', { type, market: 'de' });
        assert.deepEqual(
          env.sim.requests.filter((r) => r.path === `/v1/me/${type}`).map((r) => r.query.market),
          [undefined],
          type,
        );
      }

      let e = await failure('saved', { type: 'artists' });
      assert.match(e.error.message, /type: expected one of tracks, albums, shows, episodes, audiobooks/);
      e = await failure('saved', { type: 'tracks', market: 'Germany' });
      assert.match(e.error.message, /Market: expected a two-letter country code/);
    });

    it('names a missing user-library-read before the request', async function () {
      await env.load(flow(env));
      await env.authorize({ scopes: ['user-read-private'] });
      env.sim.clearRequests();
      const e = await failure('saved', {});
      assert.match(e.error.message, /needs the scope user-library-read/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });
});
