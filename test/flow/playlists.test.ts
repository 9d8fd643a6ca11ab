// The playlist nodes against the simulator: get playlist, playlist tracks, create / update playlist, remove /
// replace / reorder tracks and playlist cover. What a user sees: outputs, the playlist's state afterwards,
// request counts, and errors at a catch node that name the field or explain Spotify's refusal.
import assert from 'node:assert/strict';
import type { NodeMessage } from 'node-red';
import { actionNode, createEnv, type FlowNode, type TestEnv } from '../support/env';
import { caught, ok, outputs, runner } from '../helpers/node-runner';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';
import { example } from '../support/examples';
import { runExample } from '../support/run-example';

const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46];

function jpeg(bytes: number): Buffer {
  const buf = Buffer.alloc(bytes, 0x42);
  Buffer.from(JPEG_HEAD).copy(buf);
  return buf;
}

interface Entry {
  added_at: string;
  item: { uri: string } | null;
  track?: unknown;
}

describe('playlist nodes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  const node = (id: string, type: string, extra: Record<string, unknown> = {}): FlowNode => actionNode(id, `spotify-${type}`, extra);

  beforeEach(async function () {
    env = await createEnv(); // the user's playlists hold 0, 3, 12 (with an episode and a local file), 51 and 120 entries
    await env.load([
      env.accountNode({ scopes: PACK_SCOPES.join(' ') }),
      node('get', 'get-playlist', { fields: 'fields', fieldsType: 'msg', market: 'market', marketType: 'msg' }),
      node('tracks', 'playlist-tracks', { limit: 'limit', limitType: 'msg', market: 'market', marketType: 'msg', output: 'array' }),
      node('tracksSplit', 'playlist-tracks', { limit: '3', limitType: 'num', output: 'split' }),
      node('create', 'create-playlist'),
      node('update', 'update-playlist'),
      node('remove', 'remove-tracks', { snapshot: 'snapshot_id', snapshotType: 'msg' }),
      node('replace', 'replace-tracks'),
      node('reorder', 'reorder-tracks', {
        rangeStart: 'range_start',
        rangeStartType: 'msg',
        insertBefore: 'insert_before',
        insertBeforeType: 'msg',
        rangeLength: 'range_length',
        rangeLengthType: 'msg',
        snapshot: 'snapshot_id',
        snapshotType: 'msg',
      }),
      node('coverGet', 'playlist-cover', { action: 'get' }),
      node('coverUp', 'playlist-cover', { action: 'upload' }),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize({ scopes: [...PACK_SCOPES] });
    env.sim.clearRequests();
  });
  afterEach(async function () {
    await env.close();
  });

  const own = () => env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
  const foreign = () => {
    const p = env.sim.state.playlists.find((x) => x.owner.id !== env.sim.state.me.id && !x.collaborative);
    assert.ok(p);
    return p;
  };
  const state = (id: string) => {
    const p = env.sim.state.playlist(id);
    assert.ok(p, `playlist ${id} exists`);
    return p;
  };
  const uris = (id: string) => state(id).items.map((e) => e.uri);
  const tracks = (n: number, from = 0) => Array.from({ length: n }, (_, i) => env.sim.state.catalog.track(from + i).uri);
  /** The node's output; an error at the catch node fails the test with its message. */
  const run = async (id: string, msg: Record<string, unknown>): Promise<NodeMessage> => ok(await call(id, msg));
  const fail = async (id: string, msg: Record<string, unknown>) => caught(await call(id, msg));

  describe('get playlist', function () {
    it('outputs the playlist with its items (the new field) from a link', async function () {
      const p = own()[1];
      const msg = await run('get', { playlist: `https://open.spotify.com/playlist/${p.id}?si=x`, market: 'de' });
      const payload = msg.payload as { id: string; name: string; items: { total: number; items: Entry[] } };
      assert.equal(payload.id, p.id);
      assert.equal(payload.name, p.name);
      assert.equal(payload.items.total, 3);
      assert.deepEqual(
        payload.items.items.map((e) => e.item?.uri),
        uris(p.id),
      );
      assert.deepEqual(msg.spotify, { requests: 1, total: 3 });
      const req = env.sim.requests.find((r) => r.path === `/v1/playlists/${p.id}`);
      assert.equal(req?.query.market, 'DE');
    });

    it('applies a fields filter', async function () {
      const p = own()[4];
      const msg = await run('get', { playlist: p.uri, fields: 'name,items.total' });
      assert.deepEqual(msg.payload, { name: p.name, items: { total: 120 } });
    });

    it('reads a playlist the user follows but does not own (details only)', async function () {
      const p = foreign();
      const msg = await run('get', { playlist: p.id });
      assert.equal((msg.payload as { name: string }).name, p.name);
      assert.equal((msg.spotify as { total: number }).total, p.items.length);
    });

    it('names the field of bad input and sends nothing', async function () {
      assert.match(
        (await fail('get', { playlist: 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy' })).error.message,
        /^InputError: playlist: expected .*not an album/,
      );
      assert.match((await fail('get', { playlist: own()[1].id, market: 'Germany' })).error.message, /^InputError: Market: expected/);
      assert.match((await fail('get', {})).error.message, /^InputError: playlist: expected/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('playlist tracks', function () {
    it('reads all 120 entries of a playlist in ceil(120/50) = 3 requests, in order, each with item and added_at', async function () {
      const p = own()[4];
      const msg = await run('tracks', { playlist: p.uri });
      const entries = msg.payload as Entry[];
      assert.equal(entries.length, 120);
      assert.deepEqual(
        entries.map((e) => e.item?.uri),
        uris(p.id),
      );
      assert.deepEqual(
        entries.map((e) => e.added_at),
        state(p.id).items.map((e) => e.added_at),
      );
      assert.equal(env.sim.count({ method: 'GET', path: `/v1/playlists/${p.id}/items` }), 3);
      assert.deepEqual(msg.spotify, { playlist_id: p.id, total: 120, requests: 3, count: 120 });
    });

    it('stops at most N, and keeps tracks, episodes and local files as Spotify sends them', async function () {
      const p = own()[2];
      const msg = await run('tracks', { playlist: p.id, limit: 10 });
      const entries = msg.payload as (Entry & { is_local: boolean })[];
      assert.equal(entries.length, 10);
      assert.equal(env.sim.count({ method: 'GET', path: `/v1/playlists/${p.id}/items` }), 1);
      assert.match(entries[5].item?.uri ?? '', /^spotify:episode:/);
      assert.equal(entries[9].is_local, true);
    });

    it('sends one message per entry with msg.parts', async function () {
      const p = own()[3];
      const msgs = outputs(await call.many('tracksSplit', { playlist: p.id }, 3));
      assert.deepEqual(
        msgs.map((m) => (m.payload as Entry).item?.uri),
        uris(p.id).slice(0, 3),
      );
      assert.deepEqual(
        msgs.map((m) => (m.parts as { index: number }).index),
        [0, 1, 2],
      );
      assert.equal((msgs[2].parts as { count: number }).count, 3);
    });

    it('adds item when Spotify sends only the deprecated track', async function () {
      const p = own()[1];
      const track = { uri: tracks(1)[0], type: 'track', name: 'Old shape' };
      env.sim.addFault({
        method: 'GET',
        path: `/v1/playlists/${p.id}/items`,
        status: 200,
        body: {
          href: '',
          items: [{ added_at: '2026-01-01T00:00:00Z', track }],
          limit: 50,
          next: null,
          offset: 0,
          previous: null,
          total: 1,
        },
      });
      const msg = await run('tracks', { playlist: p.id });
      assert.deepEqual(msg.payload, [{ added_at: '2026-01-01T00:00:00Z', track, item: track }]);
    });

    it('explains a 403 on a playlist the user neither owns nor collaborates on', async function () {
      const e = await fail('tracks', { playlist: foreign().id });
      assert.match(e.error.message, /only lists the items of playlists the user owns or collaborates on/);
      assert.equal((e.spotify as { status: number }).status, 403);
    });
  });

  describe('create playlist', function () {
    it('creates a playlist from msg.payload and the given details, and outputs it', async function () {
      const before = env.sim.state.playlists.length;
      const msg = await run('create', { payload: 'Road songs', public: false, description: 'for the A7' });
      const created = msg.payload as { id: string; name: string; public: boolean; items: { total: number } };
      const p = state(created.id);
      assert.equal(env.sim.state.playlists.length, before + 1);
      assert.deepEqual([p.name, p.public, p.description, p.owner.id], ['Road songs', false, 'for the A7', env.sim.state.me.id]);
      assert.deepEqual([created.name, created.public, created.items.total], ['Road songs', false, 0]);
      assert.equal(env.sim.count({ method: 'POST', path: '/v1/me/playlists' }), 1);
    });

    it('makes a collaborative playlist private unless told otherwise; refuses a public collaborative one', async function () {
      const msg = await run('create', { payload: 'Party', collaborative: true });
      const p = state((msg.payload as { id: string }).id);
      assert.deepEqual([p.collaborative, p.public], [true, false]);
      const e = await fail('create', { payload: 'Party', collaborative: true, public: true });
      assert.match(e.error.message, /^InputError: collaborative: expected false when public is true/);
    });

    it('never re-sends after a lost answer: reports it, and exactly one playlist exists', async function () {
      const before = env.sim.state.playlists.length;
      env.sim.addFault({ method: 'POST', path: '/v1/me/playlists', reset: true, afterEffect: true, times: 1 });
      const e = await fail('create', { payload: 'Once only' });
      assert.match(e.error.message, /may or may not have been applied/);
      assert.equal(env.sim.count({ method: 'POST', path: '/v1/me/playlists' }), 1);
      assert.equal(env.sim.state.playlists.filter((p) => p.name === 'Once only').length, 1);
      assert.equal(env.sim.state.playlists.length, before + 1);
    });

    it('names the field of bad input and sends nothing', async function () {
      assert.match((await fail('create', { payload: 1765432100000 })).error.message, /^InputError: name: expected non-empty text/);
      assert.match((await fail('create', { payload: '  ' })).error.message, /^InputError: name: expected/);
      assert.match((await fail('create', { payload: 'x', public: 'maybe' })).error.message, /^InputError: public: expected true or false/);
      assert.match((await fail('create', { payload: 'x', description: 42 })).error.message, /^InputError: description: expected/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('update playlist', function () {
    it('changes only the details given', async function () {
      const p = own()[1];
      const description = p.description;
      const msg = await run('update', { playlist: p.uri, name: 'Renamed', public: 'false' });
      assert.deepEqual(msg.payload, { playlist_id: p.id, updated: { name: 'Renamed', public: false } });
      assert.deepEqual([state(p.id).name, state(p.id).public, state(p.id).description], ['Renamed', false, description]);
      assert.equal(env.sim.count({ method: 'PUT', path: `/v1/playlists/${p.id}` }), 1);
    });

    it('explains a 403 on a playlist the user does not own', async function () {
      const p = foreign();
      const e = await fail('update', { playlist: p.id, name: 'Mine now' });
      assert.match(e.error.message, /only change playlists you own or collaborate on/);
      assert.equal(state(p.id).name, p.name);
    });

    it('refuses a message with nothing to change, naming it, and sends nothing', async function () {
      assert.match((await fail('update', { playlist: own()[1].id })).error.message, /^InputError: details: expected at least one of name/);
      assert.match((await fail('update', { playlist: own()[1].id, name: '' })).error.message, /^InputError: name: expected non-empty/);
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('remove tracks', function () {
    it('removes 110 tracks of a 120-track playlist in 2 batches and outputs the final snapshot_id', async function () {
      const p = own()[4];
      const all = uris(p.id);
      const gone = all.filter((_, i) => i % 12 !== 0); // 110 of them; entries 0, 12, … 108 stay
      const kept = all.filter((_, i) => i % 12 === 0);
      const msg = await run('remove', { playlist: p.id, payload: gone });
      assert.deepEqual(uris(p.id), kept);
      assert.equal(env.sim.count({ method: 'DELETE', path: `/v1/playlists/${p.id}/items` }), 2);
      assert.deepEqual(msg.payload, { playlist_id: p.id, snapshot_id: state(p.id).snapshot_id, removed: gone.length, batches: 2 });
    });

    it('takes entries from playlist tracks (episode and local file included) and a snapshot_id', async function () {
      const p = own()[2];
      const before = uris(p.id);
      const snapshot = state(p.id).snapshot_id;
      const listed = await run('tracks', { playlist: p.id });
      const entries = (listed.payload as Entry[]).slice(4, 10); // 5 is an episode, 9 a local file
      const msg = await run('remove', { playlist: p.id, payload: entries, snapshot_id: snapshot });
      assert.deepEqual(uris(p.id), [...before.slice(0, 4), ...before.slice(10)]);
      assert.equal((msg.payload as { snapshot_id: string }).snapshot_id, state(p.id).snapshot_id);
      assert.notEqual(state(p.id).snapshot_id, snapshot);
    });

    it('a failing batch reports which were removed and which not', async function () {
      const p = own()[4];
      const all = uris(p.id);
      const gone = [...all].reverse(); // all 120, last first
      env.sim.addFault({ method: 'DELETE', path: `/v1/playlists/${p.id}/items`, status: 400, every: 2, times: 1 });
      const e = await fail('remove', { playlist: p.id, payload: gone });
      assert.match(e.error.message, /100 of 120 tracks applied, 20 not applied/);
      const info = e.spotify as { applied: string[]; notApplied: string[] };
      assert.deepEqual(info.applied, gone.slice(0, 100));
      assert.deepEqual(info.notApplied, gone.slice(100));
      assert.deepEqual(uris(p.id), all.slice(0, 20), 'what it says is what happened');
    });

    it('explains a 403 and names the field of bad input', async function () {
      const f = foreign();
      assert.match(
        (await fail('remove', { playlist: f.id, payload: uris(f.id).slice(0, 1) })).error.message,
        /only change playlists you own/,
      );
      assert.equal(state(f.id).items.length, f.items.length);
      env.sim.clearRequests();
      const p = own()[1];
      assert.match((await fail('remove', { playlist: p.id, payload: [] })).error.message, /^InputError: tracks: expected at least one/);
      assert.match(
        (await fail('remove', { playlist: p.id, payload: [uris(p.id)[0], 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy'] })).error.message,
        /^InputError: tracks\[1\]: expected/,
      );
      assert.match(
        (await fail('remove', { playlist: p.id, payload: uris(p.id), snapshot_id: 'has spaces in it' })).error.message,
        /^InputError: snapshot_id: expected/,
      );
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });
  });

  describe('replace tracks', function () {
    it('replaces a playlist with 250 tracks, in order: one PUT, then two POSTs', async function () {
      const p = own()[1];
      const list = tracks(250, 1000);
      const msg = await run('replace', { playlist: p.id, payload: list });
      assert.deepEqual(uris(p.id), list);
      assert.equal(env.sim.count({ method: 'PUT', path: `/v1/playlists/${p.id}/items` }), 1);
      assert.equal(env.sim.count({ method: 'POST', path: `/v1/playlists/${p.id}/items` }), 2);
      assert.deepEqual(msg.payload, {
        playlist_id: p.id,
        snapshot_id: state(p.id).snapshot_id,
        replaced: 250,
        batches: 3,
        given: 250,
        skipped: { local: 0, unavailable: 0 },
      });
    });

    it('keeps duplicates, and an empty array clears the playlist', async function () {
      const p = own()[2];
      const [a, b] = tracks(2, 300);
      await run('replace', { playlist: p.id, payload: [a, b, a] });
      assert.deepEqual(uris(p.id), [a, b, a]);
      const msg = await run('replace', { playlist: p.id, payload: [] });
      assert.deepEqual(uris(p.id), []);
      assert.equal((msg.payload as { replaced: number }).replaced, 0);
    });

    it('a failure part way says what the playlist holds now', async function () {
      const p = own()[1];
      const list = tracks(250, 2000);
      env.sim.addFault({ method: 'POST', path: `/v1/playlists/${p.id}/items`, status: 400, every: 2, times: 1 });
      const e = await fail('replace', { playlist: p.id, payload: list });
      assert.match(
        e.error.message,
        /200 of 250 tracks applied, 50 not applied: the playlist now holds the first 200 of 250 tracks; run replace tracks again/,
      );
      assert.deepEqual(uris(p.id), list.slice(0, 200));
      assert.deepEqual((e.spotify as { notApplied: string[] }).notApplied, list.slice(200));
    });

    it('a refused replace leaves the playlist unchanged and says so', async function () {
      const p = own()[1];
      const before = uris(p.id);
      env.sim.addFault({ method: 'PUT', path: `/v1/playlists/${p.id}/items`, status: 400, times: 1 });
      const e = await fail('replace', { playlist: p.id, payload: tracks(150) });
      assert.match(e.error.message, /0 of 150 tracks applied, 150 not applied: the playlist was not changed/);
      assert.deepEqual(uris(p.id), before);
      assert.equal(env.sim.count({ method: 'POST', path: `/v1/playlists/${p.id}/items` }), 0);
    });

    it('a replace whose answers were lost says it may or may not have happened, and adds nothing after it', async function () {
      const p = own()[1];
      const list = tracks(150, 700);
      env.sim.addFault({ method: 'PUT', path: `/v1/playlists/${p.id}/items`, reset: true, afterEffect: true });
      const e = await fail('replace', { playlist: p.id, payload: list });
      assert.match(e.error.message, /the playlist may or may not have been replaced with the first 100 of 150/);
      const info = e.spotify as { applied: string[]; uncertain: string[]; notApplied: string[] };
      assert.deepEqual([info.applied, info.uncertain, info.notApplied], [[], list.slice(0, 100), list.slice(100)]);
      assert.deepEqual(uris(p.id), list.slice(0, 100), 'the PUT did happen (a replace is safe to repeat, so it was retried)');
      assert.equal(env.sim.count({ method: 'POST', path: `/v1/playlists/${p.id}/items` }), 0);
    });

    it('never empties a playlist because the tracks are missing; rejects local files', async function () {
      const p = own()[1];
      assert.match((await fail('replace', { playlist: p.id })).error.message, /^InputError: Tracks: expected .*empty array \[\] to clear/);
      const local = 'spotify:local:Artist:Album:Song:180';
      assert.match(
        (await fail('replace', { playlist: p.id, payload: [tracks(1)[0], local] })).error.message,
        /^InputError: Tracks\[1\]: expected .*local files cannot be added/,
      );
      assert.equal(env.sim.count({ kind: 'api' }), 0);
      assert.equal(state(p.id).items.length, 3);
    });
  });

  describe('reorder tracks', function () {
    it('moves a range and outputs the new snapshot_id', async function () {
      const p = own()[2];
      const before = uris(p.id);
      const snapshot = state(p.id).snapshot_id;
      const msg = await run('reorder', { playlist: p.id, range_start: 0, range_length: 2, insert_before: 5, snapshot_id: snapshot });
      assert.deepEqual(uris(p.id), [...before.slice(2, 5), before[0], before[1], ...before.slice(5)]);
      assert.deepEqual(msg.payload, {
        playlist_id: p.id,
        snapshot_id: state(p.id).snapshot_id,
        range_start: 0,
        insert_before: 5,
        range_length: 2,
      });
      await run('reorder', { playlist: p.id, range_start: '11', insert_before: '0' });
      assert.equal(uris(p.id)[0], before[11]);
    });

    it('validates each position, naming the field, and sends nothing', async function () {
      const p = own()[2];
      assert.match(
        (await fail('reorder', { playlist: p.id, insert_before: 3 })).error.message,
        /^InputError: Move from: expected a whole number from 0/,
      );
      assert.match(
        (await fail('reorder', { playlist: p.id, range_start: -1, insert_before: 3 })).error.message,
        /^InputError: Move from: expected/,
      );
      assert.match(
        (await fail('reorder', { playlist: p.id, range_start: 0, insert_before: 1.5 })).error.message,
        /^InputError: To before: expected a whole number/,
      );
      assert.match(
        (await fail('reorder', { playlist: p.id, range_start: 0, insert_before: 'end' })).error.message,
        /^InputError: To before: expected/,
      );
      assert.match(
        (await fail('reorder', { playlist: p.id, range_start: 0, insert_before: 3, range_length: 0 })).error.message,
        /^InputError: How many: expected a whole number from 1/,
      );
      assert.equal(env.sim.count({ kind: 'api' }), 0);
    });

    it("passes on Spotify's answer to a range beyond the end", async function () {
      const p = own()[1];
      const e = await fail('reorder', { playlist: p.id, range_start: 5, insert_before: 0 });
      assert.match(e.error.message, /Index out of bounds/);
      assert.equal((e.spotify as { status: number }).status, 400);
    });
  });

  describe('playlist cover', function () {
    it('gets the cover images', async function () {
      const p = own()[2];
      const msg = await run('coverGet', { playlist: p.id });
      assert.deepEqual(msg.payload, state(p.id).images);
      assert.equal((msg.payload as unknown[]).length, 3);
    });

    it('uploads a JPEG from a Buffer, and from a base64 data URL', async function () {
      const p = own()[1];
      const msg = await run('coverUp', { playlist: p.id, payload: jpeg(1000) });
      assert.deepEqual(msg.payload, { playlist_id: p.id, uploaded: true, bytes: 1000 });
      assert.match(state(p.id).images[0].url, /image-cdn/);
      const first = state(p.id).images[0].url;
      await run('coverUp', { playlist: p.id, payload: `data:image/jpeg;base64,${jpeg(3000).toString('base64')}` });
      assert.notEqual(state(p.id).images[0].url, first);
      assert.equal(env.sim.count({ method: 'PUT', path: `/v1/playlists/${p.id}/images` }), 2);
    });

    it('checks format and size before sending anything', async function () {
      const p = own()[1];
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.match(
        (await fail('coverUp', { playlist: p.id, payload: png })).error.message,
        /^InputError: image: expected a JPEG .*starts with 89 50 4E \(a PNG\)/,
      );
      assert.match(
        (await fail('coverUp', { playlist: p.id, payload: `data:image/png;base64,${png.toString('base64')}` })).error.message,
        /^InputError: image: expected a JPEG .*not image\/png/,
      );
      assert.match(
        (await fail('coverUp', { playlist: p.id, payload: 'not base64 at all!' })).error.message,
        /^InputError: image: expected/,
      );
      // 200,000 bytes of JPEG are 266,668 bytes of base64: over Spotify's 256 KB.
      const big = await fail('coverUp', { playlist: p.id, payload: jpeg(200_000) });
      assert.match(big.error.message, /^InputError: image: expected a JPEG of at most 256 KB once base64-encoded.*this one is 260\.4 KB/);
      assert.match(
        (await fail('coverUp', { playlist: p.id, payload: jpeg(200_000).toString('base64') })).error.message,
        /256 KB.*260\.4 KB/,
      );
      assert.equal(env.sim.count({ kind: 'api' }), 0);
      // Just under the limit goes through.
      await run('coverUp', { playlist: p.id, payload: jpeg(196_000) });
      assert.equal(env.sim.count({ method: 'PUT', path: `/v1/playlists/${p.id}/images` }), 1);
    });

    it('explains a 403 when uploading to a playlist the user does not own', async function () {
      const e = await fail('coverUp', { playlist: foreign().id, payload: jpeg(100) });
      assert.match(e.error.message, /only change playlists you own/);
    });
  });
});

// Each example flow, as shipped, against the simulator's seeded data: click the inject, expect output at the
// example's debug node and nothing at its catch node. Only the account node is pointed at the simulator.
describe('playlist examples', function () {
  const EXAMPLES = [
    'Get playlist',
    'Playlist tracks',
    'Create playlist',
    'Update playlist details',
    'Remove tracks',
    'Replace tracks',
    'Reorder tracks',
    'Playlist cover',
  ];
  let env: TestEnv;
  beforeEach(async function () {
    env = await createEnv();
  });
  afterEach(async function () {
    await env.close();
  });

  for (const name of EXAMPLES) {
    it(`Nodes/${name} runs with no edits`, async function () {
      const ex = example(`Nodes/${name}`);
      const main = ex.nodes.find((n) => n.type === 'debug' && n.name !== 'error');
      assert.ok(main, 'the example has a debug node for the result');
      const run = await runExample(env, ex);
      await run.authorize();
      env.node(run.node({ type: 'inject' }).id).receive({});
      const [msg] = await run.received(String(main.name), 1, 10_000);
      assert.deepEqual(
        run.seen('error').map((m) => (m as { error?: unknown }).error),
        [],
        "the example's catch node got nothing",
      );
      assert.ok(msg.payload !== undefined && msg.payload !== null);
      if (name === 'Playlist tracks') assert.ok((msg.payload as unknown[]).length > 0, 'shows entries');
    });
  }
});
