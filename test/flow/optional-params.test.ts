// Spotify's optional parameters within reach of the nodes that make the requests (issue 23): Offset on the
// offset listings, Market on the player reads, Album groups on an artist's albums, Entry fields on playlist
// tracks, Include external audio on search, Snapshot ID on replace tracks. Each one from the dialog and from the
// message: it reaches the request (the simulator's log) and changes what the user gets; a wrong value is an
// error naming the field by its dialog label, and nothing is sent.
import assert from 'node:assert/strict';
import type { NodeMessage } from 'node-red';
import { actionNode, createEnv, type FlowNode, type TestEnv } from '../support/env';
import { caught, ok, runner } from '../helpers/node-runner';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';

interface Entry {
  added_at?: string;
  added_by?: unknown;
  item?: { uri?: string; name?: string } | null;
}
interface Album {
  uri: string;
  album_type: string;
}
interface Episode {
  uri: string;
  is_externally_hosted: boolean;
  is_playable: boolean;
}

describe('optional parameters of the nodes', function () {
  // Searches and listings of several pages: a busy machine takes a while, and nothing here is timed.
  this.timeout(60_000);
  let env: TestEnv;
  const call = runner(() => env, 50_000);
  const node = (id: string, type: string, extra: Record<string, unknown> = {}): FlowNode => actionNode(id, `spotify-${type}`, extra);
  const fromMsg = (name: string) => ({ [name]: name, [`${name}Type`]: 'msg' });

  before(async function () {
    env = await createEnv(); // the user's playlists hold 0, 3, 12, 51 and 120 entries
    await env.load([
      env.accountNode({ scopes: PACK_SCOPES.join(' ') }),
      node('playlists', 'get-playlists', { ...fromMsg('limit'), ...fromMsg('offset') }),
      node('playlistsFrom2', 'get-playlists', { offset: '2', offsetType: 'num' }),
      node('tracks', 'playlist-tracks', { ...fromMsg('limit'), ...fromMsg('offset'), ...fromMsg('fields') }),
      node('tracksShaped', 'playlist-tracks', { fields: 'added_at,item(name)', fieldsType: 'str' }),
      node('saved', 'saved-items', { ...fromMsg('limit'), ...fromMsg('offset') }),
      node('top', 'top-items', { ...fromMsg('limit'), ...fromMsg('offset') }),
      node('contents', 'item-contents', { containerType: 'artist', ...fromMsg('offset'), ...fromMsg('groups') }),
      node('singles', 'item-contents', { containerType: 'artist', groups: 'single', groupsType: 'str' }),
      node('albumTracks', 'item-contents', { containerType: 'album', groups: 'single', groupsType: 'str' }),
      node('search', 'search', { types: ['track'], ...fromMsg('limit'), ...fromMsg('offset') }),
      node('episodes', 'search', { types: ['episode'], limit: '50', limitType: 'num' }),
      node('episodesExternal', 'search', { types: ['episode'], limit: '50', limitType: 'num', external: true }),
      node('state', 'playback-state', { what: 'state', market: 'se', marketType: 'str' }),
      node('current', 'playback-state', { what: 'current', ...fromMsg('market') }),
      node('devices', 'playback-state', { what: 'devices', market: 'se', marketType: 'str' }),
      node('nowPlaying', 'now-playing', { interval: '86400', market: 'se' }),
      node('replace', 'replace-tracks', fromMsg('snapshot')),
      node('replaceLiteral', 'replace-tracks', { snapshot: 'not-a-version-of-it', snapshotType: 'str' }),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize({ scopes: [...PACK_SCOPES] });
  });
  after(async function () {
    await env.close();
  });
  beforeEach(function () {
    env.sim.clearRequests();
  });

  const own = () => env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
  const withEntries = (n: number) => {
    const p = own().find((x) => x.items.length === n);
    assert.ok(p, `a playlist of the user with ${n} entries`);
    return p;
  };
  const run = async (id: string, msg: Record<string, unknown> = {}): Promise<NodeMessage & { payload: unknown }> => ok(await call(id, msg));
  const fail = async (id: string, msg: Record<string, unknown> = {}) => caught(await call(id, msg)).error.message;
  const requestsTo = (path: string) => env.sim.requests.filter((r) => r.path === `/v1${path}`);
  const uriList = (payload: unknown) => (payload as { uri: string }[]).map((x) => x.uri);

  describe('Offset: where a listing starts, At most counting from there', function () {
    it('get playlists: the user’s playlists from the given offset, as a msg property and from the dialog', async function () {
      const all = uriList((await run('playlists')).payload);
      assert.ok(all.length > 4, 'the user has several playlists');
      env.sim.clearRequests();
      const msg = await run('playlists', { offset: 2, limit: 2 });
      assert.deepEqual(uriList(msg.payload), all.slice(2, 4));
      assert.deepEqual(
        requestsTo('/me/playlists').map((r) => [r.query.offset, r.query.limit]),
        [['2', '2']],
      );
      assert.deepEqual(uriList((await run('playlistsFrom2')).payload), all.slice(2), 'the dialog literal');
    });

    it('playlist tracks: entries 60 to 114 of 120 read from offset 60, pages of 50 from there', async function () {
      const p = withEntries(120);
      const msg = await run('tracks', { playlist: p.id, offset: 60, limit: 55 });
      const entries = msg.payload as Entry[];
      assert.deepEqual(
        entries.map((e) => e.item?.uri),
        p.items.slice(60, 115).map((e) => e.uri),
      );
      assert.deepEqual(
        requestsTo(`/playlists/${p.id}/items`)
          .map((r) => [r.query.offset, r.query.limit])
          .sort(),
        [
          ['110', '5'],
          ['60', '50'],
        ],
      );
      assert.equal((msg as NodeMessage & { spotify: { total: number } }).spotify.total, 120, 'Spotify’s total, not the part read');
    });

    it('an offset past the end gives an empty list, not an error', async function () {
      const p = withEntries(12);
      const msg = await run('tracks', { playlist: p.id, offset: 500 });
      assert.deepEqual(msg.payload, []);
      assert.equal(requestsTo(`/playlists/${p.id}/items`).length, 1);
    });

    it('saved items and top items start at the offset', async function () {
      const saved = uriList((await run('saved', { limit: 8 })).payload);
      const savedFrom = await run('saved', { offset: 5, limit: 3 });
      assert.deepEqual(uriList(savedFrom.payload), saved.slice(5, 8));
      assert.equal(requestsTo('/me/tracks').at(-1)?.query.offset, '5');
      const top = uriList((await run('top', { limit: 10 })).payload);
      const topFrom = await run('top', { offset: 7, limit: 3 });
      assert.deepEqual(uriList(topFrom.payload), top.slice(7, 10));
      assert.equal(requestsTo('/me/top/tracks').at(-1)?.query.offset, '7');
    });

    it('search: results 20 to 34 of each type from offset 20, pages of 10 from there', async function () {
      const base = (await run('search', { payload: 'heart', limit: 35 })).payload as { tracks: { uri: string }[] };
      env.sim.clearRequests();
      const msg = await run('search', { payload: 'heart', offset: 20, limit: 15 });
      assert.deepEqual(uriList((msg.payload as { tracks: unknown }).tracks), uriList(base.tracks).slice(20, 35));
      assert.deepEqual(
        requestsTo('/search')
          .map((r) => [r.query.offset, r.query.limit])
          .sort(),
        [
          ['20', '10'],
          ['30', '5'],
        ],
      );
    });

    it('a wrong offset names the field and sends nothing', async function () {
      assert.match(await fail('playlists', { offset: -1 }), /^InputError: Offset: expected a whole number from 0 to 100000/);
      assert.match(await fail('search', { payload: 'heart', offset: 995 }), /^InputError: Offset: expected a whole number from 0 to 990/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('Album groups: an artist’s albums of some groups only (include_groups)', function () {
    /** An artist with both albums and singles, and all of its releases. */
    async function mixedArtist(): Promise<{ uri: string; releases: Album[] }> {
      for (let i = 0; i < 30; i++) {
        const uri = env.sim.state.catalog.artist(i).uri;
        const releases = (await run('contents', { payload: uri })).payload as Album[];
        const kinds = new Set(releases.map((a) => a.album_type));
        if (kinds.has('single') && kinds.has('album')) return { uri, releases };
      }
      throw new Error('no artist of the simulator has both albums and singles');
    }

    it('from the dialog and from msg.groups: only those groups, asked of Spotify', async function () {
      const artist = await mixedArtist();
      env.sim.clearRequests();
      const singles = (await run('singles', { payload: artist.uri })).payload as Album[];
      assert.deepEqual(uriList(singles), uriList(artist.releases.filter((a) => a.album_type === 'single')));
      assert.ok(singles.length < artist.releases.length, 'fewer than all of them');
      assert.ok(requestsTo(`/artists/${artist.uri.split(':')[2]}/albums`).every((r) => r.query.include_groups === 'single'));
      const albums = (await run('contents', { payload: artist.uri, groups: 'album, compilation' })).payload as Album[];
      assert.deepEqual(uriList(albums), uriList(artist.releases.filter((a) => a.album_type === 'album' || a.album_type === 'compilation')));
      assert.equal(requestsTo(`/artists/${artist.uri.split(':')[2]}/albums`).at(-1)?.query.include_groups, 'album,compilation');
    });

    it('not sent for an album (Spotify takes it on artists only), and a wrong group names the field', async function () {
      const album = env.sim.state.catalog.album(0);
      await run('albumTracks', { payload: album.uri });
      assert.equal(requestsTo(`/albums/${album.id}/tracks`)[0]?.query.include_groups, undefined);
      env.sim.clearRequests();
      assert.match(
        await fail('contents', { payload: env.sim.state.catalog.artist(0).uri, groups: 'singles' }),
        /^InputError: Album groups: expected one or more of album, single, appears_on, compilation, separated by commas/,
      );
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('Entry fields: what each playlist entry keeps (fields)', function () {
    it('shapes each entry, while the node still reads every page', async function () {
      const p = withEntries(120);
      const msg = await run('tracksShaped', { playlist: p.id });
      const entries = msg.payload as Entry[];
      assert.equal(entries.length, 120, 'all three pages read: the paging fields were kept');
      assert.deepEqual(Object.keys(entries[0]).sort(), ['added_at', 'item']);
      assert.deepEqual(Object.keys(entries[0].item ?? {}), ['name']);
      const requests = requestsTo(`/playlists/${p.id}/items`);
      assert.equal(requests.length, 3);
      for (const r of requests) assert.equal(r.query.fields, 'href,limit,next,offset,previous,total,items(added_at,item(name))');
    });

    it('from msg.fields, and a filter Spotify cannot read names the field', async function () {
      const p = withEntries(3);
      const msg = await run('tracks', { playlist: p.id, fields: 'item.uri' });
      assert.deepEqual(
        msg.payload,
        p.items.map((e) => ({ item: { uri: e.uri } })),
      );
      env.sim.clearRequests();
      assert.match(
        await fail('tracks', { playlist: p.id, fields: 'item(name' }),
        /^InputError: Entry fields: expected the fields of each entry/,
      );
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('Include externally hosted audio: include_external=audio on search', function () {
    it('marks externally hosted episodes playable only when ticked', async function () {
      const show = env.sim.state.catalog.show(1); // the simulator's shows 1, 5, 9… publish from their own feeds
      const without = (await run('episodes', { payload: show.name })).payload as { episodes: Episode[] };
      const external = without.episodes.filter((e) => e.is_externally_hosted);
      assert.ok(external.length > 0, 'the search finds externally hosted episodes');
      assert.ok(
        external.every((e) => !e.is_playable),
        'unplayable without the parameter',
      );
      assert.equal(requestsTo('/search')[0]?.query.include_external, undefined);
      env.sim.clearRequests();
      const withIt = (await run('episodesExternal', { payload: show.name })).payload as { episodes: Episode[] };
      assert.deepEqual(uriList(withIt.episodes), uriList(without.episodes), 'the same episodes');
      assert.ok(withIt.episodes.every((e) => e.is_playable));
      assert.ok(requestsTo('/search').every((r) => r.query.include_external === 'audio'));
    });
  });

  describe('Market on the player reads', function () {
    it('playback state and currently playing send it (dialog and msg.market); devices do not', async function () {
      env.sim.play(env.sim.state.catalog.track(3).uri);
      env.sim.clearRequests();
      const state = await run('state');
      assert.equal((state.payload as { item: { uri: string } }).item.uri, env.sim.state.catalog.track(3).uri);
      assert.equal(requestsTo('/me/player')[0]?.query.market, 'SE');
      await run('current', { market: 'from_token' });
      assert.equal(requestsTo('/me/player/currently-playing')[0]?.query.market, 'from_token');
      await run('devices');
      assert.equal(requestsTo('/me/player/devices')[0]?.query.market, undefined);
      env.sim.clearRequests();
      assert.match(await fail('current', { market: 'Sweden' }), /^InputError: Market: expected a two-letter country code/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });

    it('now playing polls with it', async function () {
      env.sim.play(env.sim.state.catalog.track(3).uri);
      // The answer is the change its first poll (at deploy) missed, or the state as it is.
      const msg = await run('nowPlaying', { topic: 'what is playing?' });
      const payload = msg.payload as { current: { item: { uri: string } } | null };
      assert.equal(payload.current?.item.uri, env.sim.state.catalog.track(3).uri);
      const polls = requestsTo('/me/player');
      assert.ok(polls.length > 0);
      assert.ok(polls.every((r) => r.query.market === 'SE'));
    });
  });

  describe('Snapshot ID on replace tracks', function () {
    it('replaces the version it names (msg.snapshot); a version the playlist never had is refused, the playlist unchanged', async function () {
      const p = withEntries(12);
      const before = p.items.map((e) => e.uri);
      const tracks = [env.sim.state.catalog.track(40).uri, env.sim.state.catalog.track(41).uri];
      assert.match(await fail('replaceLiteral', { playlist: p.id, payload: tracks }), /Invalid snapshot id/);
      assert.deepEqual(
        env.sim.state.playlist(p.id)?.items.map((e) => e.uri),
        before,
        'nothing replaced',
      );
      const msg = await run('replace', { playlist: p.id, payload: tracks, snapshot: p.snapshot_id });
      assert.equal((msg.payload as { replaced: number }).replaced, 2);
      assert.deepEqual(
        env.sim.state.playlist(p.id)?.items.map((e) => e.uri),
        tracks,
      );
      env.sim.clearRequests();
      assert.match(
        await fail('replace', { playlist: p.id, payload: tracks, snapshot: 'two words' }),
        /^InputError: Snapshot ID: expected a snapshot_id as Spotify sent it/,
      );
      assert.equal(env.sim.count({ method: 'PUT' }), 0);
    });
  });
});
