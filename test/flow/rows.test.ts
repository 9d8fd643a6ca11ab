// Rows for people: list nodes with "Items as: rows for a table" emit one flat object per item — title, artists as
// one string, album, duration "3:45", times in Node-RED's time zone (readable and ISO), a small cover's URL —
// ready for a Dashboard 2 table or a CSV file. The process runs in Asia/Kolkata here (UTC+05:30), so a time
// shown in UTC would be visibly wrong.
import assert from 'node:assert/strict';
import { duration, smallImage, toRow } from '../../nodes/spotify/rows';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { ok, runner } from '../helpers/node-runner';
import { minuteIn } from '../support/zone-time';

const ZONE = 'Asia/Kolkata';

/** "2026-08-26 21:30" in ZONE. */
const inZone = (iso: string): string => minuteIn(ZONE, iso);

type Json = Record<string, unknown>;
const names = (list: unknown) => (list as { name: string }[]).map((a) => a.name).join(', ');
const mmss = (ms: number) => `${Math.floor(Math.round(ms / 1000) / 60)}:${String(Math.round(ms / 1000) % 60).padStart(2, '0')}`;

describe('rows for tables', function () {
  let savedTz: string | undefined;
  before(function () {
    savedTz = process.env.TZ;
    process.env.TZ = ZONE; // Node applies it at once, to this process's Node-RED too
  });
  after(function () {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  describe('from list nodes, in the local time zone', function () {
    let env: TestEnv;
    const call = runner(() => env);
    const pair = (id: string, type: string, extra: Record<string, unknown> = {}): FlowNode[] => [
      { id, type: `spotify-${type}`, account: ACCOUNT_ID, format: 'rows', ...extra, wires: [['out']] },
      { id: `${id}Objects`, type: `spotify-${type}`, account: ACCOUNT_ID, format: 'objects', ...extra, wires: [['out']] },
    ];
    before(async function () {
      env = await createEnv();
      await env.load([
        env.accountNode({ scopes: PACK_SCOPES.join(' ') }),
        ...pair('plays', 'recently-played', { limit: '5' }),
        ...pair('entries', 'playlist-tracks'),
        ...pair('saved', 'saved-items', { itemType: 'tracks', limit: '3' }),
        ...pair('albums', 'saved-items', { itemType: 'albums', limit: '2' }),
        ...pair('playlists', 'get-playlists', { limit: '3' }),
        { id: 'out', type: 'helper' },
        { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      await env.authorize({ scopes: [...PACK_SCOPES] });
    });
    after(async function () {
      await env.close();
    });

    /** The rows and, for the same message, Spotify's objects they were made from. */
    const both = async (id: string, msg: Json = {}): Promise<{ rows: Json[]; objects: Json[] }> => ({
      rows: ok(await call(id, msg)).payload as Json[],
      objects: ok(await call(`${id}Objects`, msg)).payload as Json[],
    });

    it('playlist tracks: one flat row per entry, the same columns for tracks, the episode and the local file', async function () {
      const p = env.sim.state.playlists.filter((x) => x.owner.id === env.sim.state.me.id)[2]; // an episode at 5, a local file at 9
      const { rows, objects } = await both('entries', { playlist: p.uri });
      assert.equal(rows.length, 12);
      const entry = objects[0] as { item: Json & { album: Json & { images: { url: string; width: number }[] } } };
      assert.deepEqual(rows[0], {
        added_at: '2026-08-26 21:30', // 16:00 UTC, as Spotify sends it
        title: entry.item.name,
        artists: names(entry.item.artists),
        album: entry.item.album.name,
        duration: mmss(entry.item.duration_ms as number),
        cover: entry.item.album.images.find((i) => i.width === 64)?.url,
        link: (entry.item.external_urls as Json).spotify,
        uri: entry.item.uri,
        type: 'track',
        duration_ms: entry.item.duration_ms,
        added_by: 'Demo Listener',
        added_at_iso: '2026-08-26T21:30:00+05:30',
      });
      assert.ok(
        rows.every((r) => JSON.stringify(Object.keys(r)) === JSON.stringify(Object.keys(rows[0]))),
        'every row has the same columns',
      );
      // The columns in order for a csv node (as core's csv node sets them); Spotify's objects carry none.
      assert.equal(ok(await call('entries', { playlist: p.uri })).columns, Object.keys(rows[0]).join(','));
      assert.equal(ok(await call('entriesObjects', { playlist: p.uri })).columns, undefined);
      const episode = objects[5] as { item: Json & { show: Json } };
      assert.deepEqual(
        [rows[5].type, rows[5].title, rows[5].album, rows[5].artists],
        ['episode', episode.item.name, episode.item.show.name, episode.item.show.publisher ?? episode.item.show.name],
      );
      assert.deepEqual(
        [rows[9].type, rows[9].title, rows[9].artists, rows[9].album, rows[9].duration, rows[9].cover],
        ['track', 'Kitchen Song', 'Home Recordings', 'Demos', '3:07', ''],
      );
    });

    it('recently played: played_at in local time, newest first', async function () {
      const { rows, objects } = await both('plays');
      assert.equal(rows.length, 5);
      rows.forEach((row, i) => {
        const play = objects[i] as { played_at: string; track: Json };
        assert.equal(row.played_at, inZone(play.played_at));
        assert.equal(row.title, play.track.name);
        assert.equal(row.artists, names(play.track.artists));
        assert.match(String(row.played_at_iso), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/);
        assert.equal(Date.parse(String(row.played_at_iso)), Math.floor(Date.parse(play.played_at) / 1000) * 1000, 'the same instant');
      });
      assert.deepEqual(Object.keys(rows[0]), [
        'played_at',
        'title',
        'artists',
        'album',
        'duration',
        'cover',
        'link',
        'uri',
        'type',
        'duration_ms',
        'played_at_iso',
      ]);
    });

    it('saved items: tracks and albums, with the time they were saved', async function () {
      const tracks = await both('saved');
      assert.equal(tracks.rows[0].added_at, '2026-10-01 17:30'); // 12:00 UTC
      assert.equal(tracks.rows[0].added_at_iso, '2026-10-01T17:30:00+05:30');
      assert.equal(tracks.rows[0].title, (tracks.objects[0] as { track: Json }).track.name);
      const albums = await both('albums');
      const album = (albums.objects[0] as { album: Json }).album;
      assert.deepEqual(albums.rows[0], {
        added_at: '2026-10-01 17:30',
        title: album.name,
        artists: names(album.artists),
        release_date: album.release_date,
        tracks: album.total_tracks,
        cover: (album.images as { url: string; width: number }[]).find((i) => i.width === 64)?.url,
        link: (album.external_urls as Json).spotify,
        uri: album.uri,
        type: 'album',
        added_at_iso: '2026-10-01T17:30:00+05:30',
      });
    });

    it('get playlists: title, owner, how many tracks, public or not', async function () {
      const { rows, objects } = await both('playlists');
      const p = objects[0] as Json & { owner: Json; items: Json };
      assert.deepEqual(
        [rows[0].title, rows[0].owner, rows[0].tracks, rows[0].public, rows[0].uri, rows[0].type],
        [p.name, p.owner.display_name, p.items.total, p.public, p.uri, 'playlist'],
      );
    });
  });

  describe('the mapping', function () {
    it('durations as a person reads them', function () {
      assert.deepEqual([0, 999, 59_500, 225_000, 3_599_000, 3_723_000].map(duration), ['0:00', '0:01', '1:00', '3:45', '59:59', '1:02:03']);
      assert.equal(duration(null), '');
    });

    it('a small cover: the smallest of at least 60 px, else what there is', function () {
      const img = (width: number | null, url = `u${width}`) => ({ url, width, height: width });
      assert.equal(smallImage([img(640), img(300), img(64)]), 'u64');
      assert.equal(smallImage([img(40), img(30)]), 'u40');
      assert.equal(smallImage([img(null, 'mosaic')]), 'mosaic');
      assert.equal(smallImage(undefined), '');
      assert.equal(smallImage('https://evil.example/x.png'), '');
    });

    it('an entry whose item Spotify took down keeps its time and empty columns', function () {
      const row = toRow({ added_at: '2026-01-01T00:00:00Z', added_by: { id: 'u1' }, is_local: false, item: null });
      assert.deepEqual(row, {
        added_at: '2026-01-01 05:30',
        title: '',
        artists: '',
        album: '',
        duration: '',
        cover: '',
        link: '',
        uri: '',
        type: 'track',
        duration_ms: null,
        added_by: 'u1',
        added_at_iso: '2026-01-01T05:30:00+05:30',
      });
    });

    it('artists, shows and audiobooks get their own columns; odd values from outside give empty cells, not errors', function () {
      assert.deepEqual(
        toRow({
          type: 'artist',
          name: 'Ana',
          uri: 'spotify:artist:a',
          genres: ['rock', 7, 'indie'],
          followers: { total: 12 },
          popularity: 40,
        }),
        {
          title: 'Ana',
          genres: 'rock, indie',
          followers: 12,
          popularity: 40,
          cover: '',
          link: '',
          uri: 'spotify:artist:a',
          type: 'artist',
        },
      );
      assert.deepEqual(toRow({ added_at: 'not a time', show: { type: 'show', name: 'Pod', publisher: 'Pub', total_episodes: 'many' } }), {
        added_at: '',
        title: 'Pod',
        artists: 'Pub',
        episodes: null,
        cover: '',
        link: '',
        uri: '',
        type: 'show',
        added_at_iso: '',
      });
      const book = toRow({ type: 'audiobook', name: 'Book', authors: [{ name: 'A' }, { name: 'B' }], total_chapters: 9 });
      assert.deepEqual([book.title, book.artists, book.chapters], ['Book', 'A, B', 9]);
      const hostile = toRow({ type: 'track', name: { toString: 'x' }, artists: 'Ana', duration_ms: -5, album: [] });
      assert.deepEqual([hostile.title, hostile.artists, hostile.album, hostile.duration], ['', '', '', '']);
      assert.deepEqual(toRow(null), { title: '', cover: '', link: '', uri: '', type: '' });
    });
  });
});
