import assert from 'node:assert/strict';
import { InputError } from '../../nodes/spotify/errors';
import { parseRef, parseRefs, SPOTIFY_TYPES, SpotifyRef, SpotifyType } from '../../nodes/spotify/ids';

const TRACK = '4iV5W9uYEdYUVa79Axb7Rh';
const TRACK2 = '1301WleyT98MSxVHPZCA6M';
const ALBUM = '4aawyAB9vmqN3uQ7FjRGTy';
const PLAYLIST = '37i9dQZF1DXcBWIGoYBM5M';
const EPISODE = '512ojhOuo1ktJprKbVcKyQ';
const LOCAL = 'spotify:local:Daft+Punk:Discovery:One+More+Time:320';

const track = (id: string): SpotifyRef => ({ type: 'track', id, uri: `spotify:track:${id}` });

/** Asserts an InputError whose message names `field` and contains every fragment. */
function throwsInput(fn: () => unknown, field: string, ...fragments: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.field, field);
    assert.ok(err.message.startsWith(`${field}: expected `), err.message);
    for (const f of fragments) assert.ok(err.message.includes(f), `${JSON.stringify(err.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

describe('ids: parseRef', () => {
  describe('accepted forms', () => {
    const forms: [string, string][] = [
      ['bare ID', TRACK],
      ['bare ID with surrounding whitespace', `  ${TRACK}\n`],
      ['URI', `spotify:track:${TRACK}`],
      ['URI with upper-case scheme and type', `Spotify:Track:${TRACK}`],
      ['https link with si', `https://open.spotify.com/track/${TRACK}?si=abc123def456`],
      ['https link with fragment', `https://open.spotify.com/track/${TRACK}#x`],
      ['intl link', `https://open.spotify.com/intl-de/track/${TRACK}?si=x`],
      ['intl link with region', `https://open.spotify.com/intl-pt-br/track/${TRACK}`],
      ['http link', `http://open.spotify.com/track/${TRACK}`],
      ['link without scheme', `open.spotify.com/track/${TRACK}`],
      ['link with trailing slash', `https://open.spotify.com/track/${TRACK}/`],
      ['link with trailing slash and query', `https://open.spotify.com/track/${TRACK}//?si=1`],
      ['play.spotify.com link', `https://play.spotify.com/track/${TRACK}`],
      ['upper-case host', `HTTPS://OPEN.SPOTIFY.COM/track/${TRACK}`],
      ['embed link', `https://open.spotify.com/embed/track/${TRACK}?utm_source=generator`],
    ];
    for (const [name, input] of forms) {
      it(name, () => assert.deepEqual(parseRef(input, 'track', ['track']), track(TRACK)));
    }

    it('every type by URI and by link', () => {
      for (const type of SPOTIFY_TYPES) {
        const id = type === 'user' ? 'wizzler' : ALBUM;
        const want = { type, id, uri: `spotify:${type}:${id}` };
        assert.deepEqual(parseRef(`spotify:${type}:${id}`, 'ref', [type]), want);
        assert.deepEqual(parseRef(`https://open.spotify.com/${type}/${id}?si=1`, 'ref', [type]), want);
      }
    });

    it('a bare ID takes accept[0]', () => {
      assert.deepEqual(parseRef(ALBUM, 'x', ['album', 'track']), { type: 'album', id: ALBUM, uri: `spotify:album:${ALBUM}` });
      assert.deepEqual(parseRef(TRACK, 'x', ['episode', 'track']).type, 'episode');
    });

    it('picks the type named by a URI or link among several accepted', () => {
      const accept: SpotifyType[] = ['track', 'episode'];
      assert.deepEqual(parseRef(`spotify:episode:${EPISODE}`, 'x', accept), {
        type: 'episode',
        id: EPISODE,
        uri: `spotify:episode:${EPISODE}`,
      });
      assert.equal(parseRef(`open.spotify.com/episode/${EPISODE}`, 'x', accept).type, 'episode');
    });

    it('user URIs, links and (when user comes first) bare names', () => {
      const want = { type: 'user', id: 'some.user_name-1', uri: 'spotify:user:some.user_name-1' };
      assert.deepEqual(parseRef('spotify:user:some.user_name-1', 'owner', ['user']), want);
      assert.deepEqual(parseRef('https://open.spotify.com/user/some.user_name-1?si=x', 'owner', ['user']), want);
      assert.deepEqual(parseRef('some.user_name-1', 'owner', ['user']), want);
      assert.deepEqual(parseRef('open.spotify.com/user/11130460071', 'owner', ['user']).id, '11130460071');
      assert.equal(parseRef('https://open.spotify.com/user/wiz%2Ezler', 'owner', ['user']).id, 'wiz.zler');
    });

    it('legacy user playlist URIs and links name the playlist', () => {
      const want = { type: 'playlist', id: PLAYLIST, uri: `spotify:playlist:${PLAYLIST}` };
      assert.deepEqual(parseRef(`spotify:user:spotify:playlist:${PLAYLIST}`, 'p', ['playlist']), want);
      assert.deepEqual(parseRef(`https://open.spotify.com/user/spotify/playlist/${PLAYLIST}`, 'p', ['playlist']), want);
    });

    it('local files where tracks are accepted', () => {
      assert.deepEqual(parseRef(LOCAL, 'track', ['track']), { type: 'track', id: '', uri: LOCAL, local: true });
      assert.deepEqual(parseRef('spotify:local:::Untitled:0', 'track', ['episode', 'track']), {
        type: 'track',
        id: '',
        uri: 'spotify:local:::Untitled:0',
        local: true,
      });
    });

    it('objects carrying uri, id (+type), or wrapping one', () => {
      assert.deepEqual(parseRef({ uri: `spotify:track:${TRACK}`, name: 'x' }, 't', ['track']), track(TRACK));
      assert.deepEqual(parseRef({ id: TRACK }, 't', ['track']), track(TRACK));
      assert.equal(parseRef({ id: EPISODE, type: 'episode' }, 't', ['track', 'episode']).type, 'episode');
      assert.deepEqual(parseRef({ added_at: 'x', item: { uri: `spotify:track:${TRACK}` } }, 't', ['track']), track(TRACK));
    });
  });

  describe('rejections', () => {
    it('a type not accepted names the field, what was expected and what was got', () => {
      throwsInput(
        () => parseRef(`spotify:album:${ALBUM}`, 'track', ['track']),
        'track',
        'a Spotify track ID, spotify:track: URI or open.spotify.com/track/… link',
        'not an album',
        `got "spotify:album:${ALBUM.slice(0, 13)}`,
      );
      throwsInput(() => parseRef(`https://open.spotify.com/playlist/${PLAYLIST}`, 'album', ['album']), 'album', 'not a playlist');
      throwsInput(() => parseRef('spotify:user:wizzler', 'track', ['track']), 'track', 'not a user');
    });

    it('lists every accepted type in the message', () => {
      throwsInput(
        () => parseRef(`spotify:album:${ALBUM}`, 'items', ['track', 'episode']),
        'items',
        'track or episode',
        'spotify:track:/spotify:episode:',
        'open.spotify.com/track/… or /episode/…',
        'a bare ID counts as a track',
      );
    });

    it('local files where tracks are not accepted', () => {
      throwsInput(() => parseRef(LOCAL, 'episode', ['episode']), 'episode', 'not a local file');
    });

    const bad: [string, unknown][] = [
      ['a number', 12345],
      ['a boolean', true],
      ['null', null],
      ['undefined', undefined],
      ['an array', [TRACK]],
      ['an empty string', ''],
      ['blank', '   '],
      ['21 chars', TRACK.slice(1)],
      ['23 chars', `${TRACK}x`],
      ['bad characters', `${TRACK.slice(1)}-`],
      ['inner whitespace', `spotify:track:${TRACK.slice(0, 10)} ${TRACK.slice(10)}`],
      ['a control character', `${TRACK}\u0000`],
      ['an unknown type', `spotify:genre:${TRACK}`],
      ['a URI with too many parts', `spotify:track:${TRACK}:extra`],
      ['a URI with a short id', 'spotify:track:abc'],
      ['another host', `https://example.com/track/${TRACK}`],
      ['a look-alike host', `https://open.spotify.com.evil.example/track/${TRACK}`],
      ['a host glued to the path', `https://open.spotify.comtrack/${TRACK}`],
      ['a host with a port', `https://open.spotify.com:443/track/${TRACK}`],
      ['userinfo trick', `https://open.spotify.com@evil.example/track/${TRACK}`],
      ['a spotify host without type', 'https://open.spotify.com/'],
      ['a link with extra segments', `https://open.spotify.com/track/${TRACK}/more`],
      ['a link with a short id', 'https://open.spotify.com/track/abc'],
      ['a bare non-ID word', 'hello'],
      ['a malformed local file', 'spotify:local:artist:title'],
      ['a local file without duration', 'spotify:local:a:b:c:d'],
      ['a local file missing a field', 'spotify:local:artist:title:200'],
      ['an object without uri or id', { name: 'x' }],
      ['an object with a non-string uri', { uri: 42 }],
      ['an inherited uri', Object.create({ uri: `spotify:track:${TRACK}` }) as object],
      ['uri under __proto__', JSON.parse(`{"__proto__": {"uri": "spotify:track:${TRACK}"}}`) as object],
      ['uri under constructor', { constructor: { uri: `spotify:track:${TRACK}` } }],
    ];
    for (const [name, input] of bad) {
      it(`rejects ${name}`, () => throwsInput(() => parseRef(input, 'track', ['track']), 'track', 'a Spotify track ID'));
    }

    it('never reads a uri through a getter', () => {
      let called = false;
      const obj = {
        get uri(): string {
          called = true;
          return `spotify:track:${TRACK}`;
        },
      };
      throwsInput(() => parseRef(obj, 'track', ['track']), 'track');
      assert.equal(called, false);
    });

    it('shows a truncated copy of what was got', () => {
      const long = 'x'.repeat(500);
      assert.throws(
        () => parseRef(long, 'track', ['track']),
        (err: Error) => err.message.includes(`"${'x'.repeat(40)}…"`) && !err.message.includes('x'.repeat(41)),
      );
    });

    it('rejects items over 2,000 characters, fast even when crafted', () => {
      const started = Date.now();
      throwsInput(() => parseRef(`https://open.spotify.com/track/${'a'.repeat(5000)}`, 't', ['track']), 't', 'at most 2000 characters');
      throwsInput(() => parseRef(`open.spotify.com/${'/'.repeat(1990)}x`, 't', ['track']), 't');
      throwsInput(() => parseRef(`spotify:${':'.repeat(1990)}`, 't', ['track']), 't');
      throwsInput(() => parseRef(`https://open.spotify.com/intl-${'-aa'.repeat(600)}`, 't', ['track']), 't');
      // Backtracking on crafted input would take minutes, not the seconds a busy machine may need.
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    });

    it('a user name is not a bare ID unless user is accepted first', () => {
      throwsInput(() => parseRef('wizzler', 'x', ['track', 'user']), 'x');
      throwsInput(() => parseRef('spotify:user:bad/name', 'x', ['user']), 'x', 'a Spotify user ID');
      throwsInput(() => parseRef('https://open.spotify.com/user/%E0%A4%A', 'x', ['user']), 'x');
    });

    it('refuses an empty accept list (a programming error)', () => {
      assert.throws(() => parseRef(TRACK, 'x', []), TypeError);
    });
  });
});

describe('ids: parseRefs', () => {
  it("takes a search node's answer as it is: the items of its lists in order, a wrong one named by where it is", () => {
    const answer = { tracks: [{ uri: `spotify:track:${TRACK}`, name: 'a' }, { uri: `spotify:track:${TRACK2}` }] };
    assert.deepEqual(parseRefs(answer, 'items', ['track']), [track(TRACK), track(TRACK2)]);
    throwsInput(
      () => parseRefs({ tracks: [{ uri: `spotify:track:${TRACK}` }], albums: [{ uri: `spotify:album:${ALBUM}` }] }, 'items', ['track']),
      'items.albums[0]',
      'not an album',
    );
    throwsInput(() => parseRefs({ tracks: [] }, 'items', ['track']), 'items', 'at least one');
    // Other objects are still one item each.
    throwsInput(() => parseRefs({ tracks: 3 }, 'items', ['track']), 'items');
  });

  it('splits a string on commas, whitespace and newlines, keeping order and duplicates', () => {
    const input = `${TRACK}, spotify:track:${TRACK2}\nhttps://open.spotify.com/track/${TRACK}?si=1\t\r\n,,${TRACK2}`;
    assert.deepEqual(parseRefs(input, 'tracks', ['track']), [track(TRACK), track(TRACK2), track(TRACK), track(TRACK2)]);
  });

  it('takes an array of strings', () => {
    assert.deepEqual(parseRefs([` ${TRACK} `, `spotify:track:${TRACK2}`, LOCAL], 'tracks', ['track']), [
      track(TRACK),
      track(TRACK2),
      { type: 'track', id: '', uri: LOCAL, local: true },
    ]);
  });

  it('takes objects: track objects, playlist and library entries, mixed with strings', () => {
    const input = [
      { id: TRACK, type: 'track', uri: `spotify:track:${TRACK}`, name: 'A' }, // track object
      { added_at: '2026-01-01T00:00:00Z', is_local: false, item: { type: 'track', id: TRACK2, uri: `spotify:track:${TRACK2}` } },
      { added_at: '2026-01-01T00:00:00Z', track: { id: TRACK } }, // saved track / older playlist entry
      { added_at: '2026-01-01T00:00:00Z', episode: { uri: `spotify:episode:${EPISODE}` } }, // saved episode
      { played_at: 'x', track: { uri: `spotify:track:${TRACK2}` }, context: { uri: `spotify:playlist:${PLAYLIST}` } },
      { is_local: true, item: { uri: LOCAL, id: null } },
      `spotify:track:${TRACK}`,
    ];
    const refs = parseRefs(input, 'tracks', ['track', 'episode']);
    assert.deepEqual(
      refs.map((r) => r.uri),
      [
        `spotify:track:${TRACK}`,
        `spotify:track:${TRACK2}`,
        `spotify:track:${TRACK}`,
        `spotify:episode:${EPISODE}`,
        `spotify:track:${TRACK2}`,
        LOCAL,
        `spotify:track:${TRACK}`,
      ],
    );
  });

  it('takes a single object', () => {
    assert.deepEqual(parseRefs({ uri: `spotify:album:${ALBUM}` }, 'albums', ['album']), [
      { type: 'album', id: ALBUM, uri: `spotify:album:${ALBUM}` },
    ]);
  });

  it('names the index of a bad item', () => {
    throwsInput(() => parseRefs([TRACK, TRACK2, TRACK, `spotify:album:${ALBUM}`], 'tracks', ['track']), 'tracks[3]', 'not an album');
    throwsInput(() => parseRefs(`${TRACK} ${TRACK2} nope`, 'tracks', ['track']), 'tracks[2]', 'got "nope"');
    throwsInput(() => parseRefs([TRACK, 7], 'tracks', ['track']), 'tracks[1]', 'got number 7');
    throwsInput(() => parseRefs([TRACK, null], 'tracks', ['track']), 'tracks[1]', 'got null');
    throwsInput(() => parseRefs([TRACK, ''], 'tracks', ['track']), 'tracks[1]');
    throwsInput(() => parseRefs([{ uri: `spotify:track:${TRACK}` }, { item: null }], 'tracks', ['track']), 'tracks[1].item', 'got null');
    throwsInput(() => parseRefs([{ item: { name: 'x' } }], 'tracks', ['track']), 'tracks[0].item');
  });

  it('a single pasted item reports under the plain field name', () => {
    throwsInput(() => parseRefs('nope', 'tracks', ['track']), 'tracks', 'got "nope"');
  });

  it('rejects arrays nested deeper than one level', () => {
    throwsInput(() => parseRefs([TRACK, [TRACK2]], 'tracks', ['track']), 'tracks[1]', 'cannot be nested');
  });

  it('does not unwrap more than one level', () => {
    throwsInput(() => parseRefs([{ item: { track: { uri: `spotify:track:${TRACK}` } } }], 'tracks', ['track']), 'tracks[0].item');
  });

  it('rejects numbers and booleans as the whole input', () => {
    throwsInput(() => parseRefs(42, 'tracks', ['track']), 'tracks', 'got number 42');
    throwsInput(() => parseRefs(false, 'tracks', ['track']), 'tracks', 'got boolean false');
  });

  it('empty input is an error unless allowEmpty', () => {
    for (const empty of [undefined, null, '', ' , \n', []]) {
      throwsInput(() => parseRefs(empty, 'tracks', ['track']), 'tracks', 'at least one Spotify track ID');
      assert.deepEqual(parseRefs(empty, 'tracks', ['track'], { allowEmpty: true }), []);
    }
  });

  it('max caps the count', () => {
    const ids = Array.from({ length: 5 }, () => TRACK);
    assert.equal(parseRefs(ids, 'tracks', ['track'], { max: 5 }).length, 5);
    throwsInput(() => parseRefs(ids, 'tracks', ['track'], { max: 4 }), 'tracks', 'at most 4 items, got 5');
    throwsInput(() => parseRefs(ids.join(','), 'tracks', ['track'], { max: 4 }), 'tracks', 'at most 4 items, got 5');
  });

  it('handles a large list and rejects a huge string', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      i % 2 ? `spotify:track:${TRACK}` : `https://open.spotify.com/track/${TRACK2}?si=x`,
    ).join('\n');
    assert.equal(parseRefs(many, 'tracks', ['track']).length, 10_000);
    throwsInput(() => parseRefs(' '.repeat(2_000_001), 'tracks', ['track']), 'tracks', 'at most 2000000 characters');
  });
});
