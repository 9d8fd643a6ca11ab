// Trigger nodes against the simulator: each change emitted exactly once (no repeats, no misses), across a
// restart and a 429 storm; idle polls cost one small request; closing stops everything.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { NodeMessage } from 'node-red';
import type { AccountConfigNode } from '../../nodes/node-red/action-node';
import { Poller } from '../../nodes/node-red/poller';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import { diffPlaylist, type PlaylistEntry } from '../../nodes/spotify/list-watch';
import { OPERATIONS } from '../../nodes/spotify/operations';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import { nextPlayerPoll, playerChange, type PlaybackState } from '../../nodes/spotify/player-watch';
import { createEnv, helper, nextMessage, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { ok, runner } from '../helpers/node-runner';
import { example } from '../support/examples';
import { runExample } from '../support/run-example';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Rig {
  env: TestEnv;
  out: NodeMessage[];
  errors: (NodeMessage & { error: { message: string } })[];
  /** Asks the trigger to poll now and resolves when that poll is over. */
  poll(): Promise<void>;
  flow: FlowNode[];
  /** Loads the flow again (after helper.unload(): a restart with the same store directory). */
  restart(): Promise<void>;
}

/** A trigger wired to a helper, a catch node, and a complete node that tells when an asked-for poll ended. */
async function rig(env: TestEnv, trigger: Record<string, unknown>): Promise<Rig> {
  const flow: FlowNode[] = [
    env.accountNode({ scopes: DEFAULT_SCOPES.join(' ') }),
    { id: 'trig', account: ACCOUNT_ID, firstRun: 'remember', ...trigger, type: String(trigger.type), wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: ['trig'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
    { id: 'completer', type: 'complete', scope: ['trig'], uncaught: false, wires: [['completed']] },
    { id: 'completed', type: 'helper' },
  ];
  const r: Rig = {
    env,
    out: [],
    errors: [],
    flow,
    async poll() {
      const done = nextMessage(env.node('completed'), 15_000);
      env.node('trig').receive({});
      await done;
    },
    async restart() {
      await env.load(flow);
      attach();
    },
  };
  const attach = (): void => {
    env.node('out').on('input', (msg: NodeMessage) => r.out.push(msg));
    env.node('caught').on('input', (msg: NodeMessage) => r.errors.push(msg as NodeMessage & { error: { message: string } }));
  };
  await env.load(flow);
  attach();
  await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  return r;
}

function account(env: TestEnv): NonNullable<AccountConfigNode['account']> {
  const acc = env.node<AccountConfigNode>(ACCOUNT_ID).account;
  if (!acc) throw new Error('account not running');
  return acc;
}

describe('trigger nodes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  afterEach(async function () {
    // The building-block tests start no environment.
    if (env) await env.close();
    env = undefined as unknown as TestEnv;
  });

  describe('now playing', function () {
    interface Payload {
      event: string;
      changes: string[];
      current: { item: { uri: string }; is_playing: boolean; device: { id: string } } | null;
      previous: { item: { uri: string }; is_playing: boolean } | null;
    }
    const events = (r: Rig) => r.out.map((m) => m.payload as Payload).filter((p) => p.event !== 'current');

    it('emits start, track, pause, resume, device and stop once each, with the previous and the new state', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 } });
      const r = await rig(env, { type: 'spotify-now-playing', interval: '0.15', idleFactor: '1' });
      await r.poll(); // the first poll only remembers: nothing is playing
      assert.equal(events(r).length, 0);
      const [a, b] = [env.sim.state.catalog.track(3), env.sim.state.catalog.track(4)];
      const phone = env.sim.state.player.devices[1];

      const step = async (change: () => void, n: number) => {
        change();
        await until(`${n} events`, () => events(r).length >= n);
      };
      await step(() => env.sim.play(a.uri), 1);
      await step(() => env.sim.play(b.uri), 2);
      await step(() => env.sim.pause(), 3);
      await step(() => env.sim.play(b.uri, { progressMs: 5000 }), 4);
      await step(() => env.sim.play(b.uri, { deviceId: phone.id, progressMs: 6000 }), 5);
      await step(() => env.sim.addFault({ method: 'GET', path: '/v1/me/player', status: 204, body: '' }), 6);
      await sleep(600); // several more polls: nothing repeated
      const got = events(r);
      assert.deepEqual(
        got.map((p) => p.event),
        ['started', 'track', 'paused', 'resumed', 'device', 'stopped'],
      );
      assert.equal(got[0].previous, null);
      assert.equal(got[0].current?.item.uri, a.uri);
      assert.equal(got[1].previous?.item.uri, a.uri);
      assert.equal(got[1].current?.item.uri, b.uri);
      assert.equal(got[2].previous?.is_playing, true);
      assert.equal(got[2].current?.is_playing, false);
      assert.equal(got[4].current?.device.id, phone.id);
      assert.equal(got[5].current, null);
      assert.equal(got[5].previous?.item.uri, b.uri);
      assert.equal(r.out.find((m) => m.topic !== 'current')?.topic, 'started', 'msg.topic is the event');
      assert.equal(r.errors.length, 0);
    });

    it('polls right after the expected end of a track, and less often while nothing plays', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 } });
      // An interval of a day: a poll before it can only be the one scheduled for the end of the track.
      const r = await rig(env, { type: 'spotify-now-playing', interval: '86400' });
      await r.poll();
      const a = env.sim.state.catalog.track(5);
      env.sim.play(a.uri, { progressMs: a.duration_ms - 1000 });
      await r.poll(); // sees the start; the track ends in 1 s
      env.sim.clearRequests();
      const b = env.sim.state.catalog.track(6);
      env.sim.play(b.uri);
      await until('the track change', () => events(r).some((p) => p.event === 'track'), 20_000);
      assert.equal(env.sim.count({ path: '/v1/me/player' }), 1, 'seen by the one poll scheduled for the end of the track');
      assert.deepEqual(
        events(r).map((p) => p.event),
        ['started', 'track'],
      );

      // Nothing active: with a 0.1 s interval and the default ×4, a poll at most every 0.4 s (×1 would be 0.1 s).
      await helper.unload();
      env.sim.addFault({ method: 'GET', path: '/v1/me/player', status: 204, body: '' });
      r.flow[1].interval = '0.1';
      env.sim.clearRequests();
      await r.restart();
      const idle = () => env.sim.requests.filter((q) => q.path === '/v1/me/player');
      await until('four idle polls', () => idle().length >= 4, 20_000);
      const at = idle().map((q) => q.at);
      // A busy machine only lengthens the gaps; 10 ms spare for the timers' and the log's rounding.
      for (let i = 1; i < at.length; i++) assert.ok(at[i] - at[i - 1] >= 390, `idle poll ${i} came ${at[i] - at[i - 1]} ms after the last`);
    });

    it('answers an input message with the current state, and can emit it on the first run', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 } });
      const a = env.sim.state.catalog.track(9);
      env.sim.play(a.uri);
      const r = await rig(env, { type: 'spotify-now-playing', interval: '30', firstRun: 'emit' });
      await until('the first-run message', () => r.out.length === 1);
      const first = r.out[0].payload as Payload;
      assert.equal(first.event, 'current');
      assert.equal(first.current?.item.uri, a.uri);
      const answer = ok(await call('trig', { topic: 'what is playing?', keep: 42 }));
      assert.equal((answer.payload as Payload).event, 'current');
      assert.equal((answer as Record<string, unknown>).keep, 42, 'the input message is kept');
    });
  });

  describe('new recently played', function () {
    const uris = (msgs: NodeMessage[]) => msgs.map((m) => (m.payload as { track: { uri: string } }).track.uri);

    it('emits each new play once, oldest first, across a restart', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 } });
      const r = await rig(env, { type: 'spotify-new-plays', interval: '0.15', format: 'objects' });
      await r.poll();
      assert.equal(r.out.length, 0, 'the first poll only remembers');
      env.sim.clearRequests();
      await r.poll();
      assert.equal(env.sim.count({ kind: 'api' }), 1, 'an idle poll is one request');

      const t = (i: number) => env.sim.state.catalog.track(20 + i).uri;
      env.sim.play(t(0));
      await sleep(3);
      env.sim.play(t(1));
      await until('two plays', () => r.out.length >= 2);
      env.sim.play(t(2));
      await until('three plays', () => r.out.length >= 3);
      await sleep(400);
      assert.deepEqual(uris(r.out), [t(0), t(1), t(2)]);

      await helper.unload();
      env.sim.play(t(3)); // while Node-RED is down
      await sleep(3);
      env.sim.play(t(4));
      await r.restart();
      await until('the plays made while stopped', () => r.out.length >= 5);
      await sleep(400);
      assert.deepEqual(uris(r.out), [t(0), t(1), t(2), t(3), t(4)], 'nothing repeated, nothing skipped');
      assert.equal(r.errors.length, 0);
    });

    it('backs off through a 429 storm, waiting out Retry-After, and loses nothing', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05, maxRetryAfterSeconds: 0 } });
      const r = await rig(env, { type: 'spotify-new-plays', interval: '0.1', format: 'objects' });
      await r.poll();
      const a = env.sim.state.catalog.track(40).uri;
      env.sim.clearRequests();
      env.sim.addFault({ path: '/v1/me/player/recently-played', status: 429, retryAfter: 1, times: 3 });
      env.sim.play(a);
      await until('the play after the storm', () => r.out.length >= 1, 10_000);
      await sleep(300);
      assert.deepEqual(uris(r.out), [a]);
      const reqs = env.sim.requests.filter((q) => q.path === '/v1/me/player/recently-played');
      assert.deepEqual(
        reqs.slice(0, 4).map((q) => q.status),
        [429, 429, 429, 200],
      );
      for (let i = 1; i < 4; i++) {
        assert.ok(reqs[i].at - reqs[i - 1].at >= 950, `request ${i} waited out the cooldown (${reqs[i].at - reqs[i - 1].at} ms)`);
      }
      assert.ok(r.errors.length >= 1 && r.errors.length <= 3, 'the rate limit reached the catch node');
      assert.equal(r.errors[0].spotify && (r.errors[0].spotify as { status: number }).status, 429);
    });
  });

  describe('playlist changed', function () {
    interface Change {
      playlist: { id: string };
      snapshot_id: string;
      previous_snapshot_id: string | null;
      added: { item: { uri: string } }[];
      removed: { uri: string }[];
    }

    it("costs one request per poll when idle (the snapshots come from the user's playlist list), and emits what was added and removed (duplicates count)", async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 }, data: { playlistSizes: [3, 120] } });
      const [p0, p1] = env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
      const followed = env.sim.state.playlists.find((p) => p.name === 'Curated Sounds Weekly');
      assert.ok(followed);
      const r = await rig(env, {
        type: 'spotify-playlist-changed',
        interval: '30',
        playlists: `${p0.uri}\nhttps://open.spotify.com/playlist/${p1.id}?si=x, ${followed.id}`,
      });
      await r.poll();
      assert.equal(r.out.length, 0);
      await until('the 403 of the followed playlist', () => r.errors.length === 1);
      assert.match(r.errors[0].error.message, /403|owns or collaborates/);

      env.sim.clearRequests();
      for (let i = 0; i < 3; i++) await r.poll();
      assert.equal(env.sim.count({ kind: 'api' }), 3, 'three polls × one page of /me/playlists for all three playlists');
      assert.equal(env.sim.count({ path: '/v1/me/playlists' }), 3);
      assert.equal(env.sim.count({ path: /\/items$/ }), 0);
      assert.equal(r.errors.length, 1, 'a failure that persists is reported once');

      const client = account(env).client;
      const dup = p0.items[0].uri;
      const [x, y] = [env.sim.state.catalog.track(900).uri, env.sim.state.catalog.track(901).uri];
      await client.call(OPERATIONS.addPlaylistItems, { params: { playlist_id: p0.id }, body: { uris: [x, dup, y] } });
      const removedUri = p1.items[60].uri;
      await client.call(OPERATIONS.removePlaylistItems, {
        params: { playlist_id: p1.id },
        body: { items: [{ uri: removedUri, positions: [60] }] },
      });
      await r.poll();
      assert.equal(r.out.length, 2);
      const [c0, c1] = r.out.map((m) => m.payload as Change);
      assert.equal(c0.playlist.id, p0.id);
      assert.deepEqual(
        c0.added.map((e) => e.item.uri),
        [x, dup, y],
      );
      assert.deepEqual(c0.removed, []);
      assert.equal(c0.snapshot_id, env.sim.state.playlist(p0.id)?.snapshot_id);
      assert.notEqual(c0.previous_snapshot_id, c0.snapshot_id);
      assert.equal(c1.playlist.id, p1.id);
      assert.deepEqual(c1.added, []);
      assert.deepEqual(c1.removed, [{ uri: removedUri }]);

      // One copy of a duplicated track goes: that is a removal although the uri is still there.
      const at = env.sim.state.playlist(p0.id)?.items.findIndex((e, i) => i > 0 && e.uri === dup) ?? -1;
      await client.call(OPERATIONS.removePlaylistItems, {
        params: { playlist_id: p0.id },
        body: { items: [{ uri: dup, positions: [at] }] },
      });
      // A reorder moves the snapshot but adds and removes nothing: no message.
      await client.call(OPERATIONS.reorderPlaylistItems, { params: { playlist_id: p1.id }, body: { range_start: 0, insert_before: 5 } });
      await r.poll();
      assert.equal(r.out.length, 3);
      assert.deepEqual((r.out[2].payload as Change).removed, [{ uri: dup }]);
      assert.deepEqual((r.out[2].payload as Change).added, []);

      // Changed while Node-RED was stopped: reported after the restart, once.
      await helper.unload();
      await client.call(OPERATIONS.addPlaylistItems, { params: { playlist_id: p1.id }, body: { uris: [x] } });
      await r.restart();
      await r.poll();
      await r.poll();
      assert.equal(r.out.length, 4);
      assert.deepEqual(
        (r.out[3].payload as Change).added.map((e) => e.item.uri),
        [x],
      );
    });

    it('reads the watched list from a flow variable at every poll', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 }, data: { playlistSizes: [3] } });
      const [p0] = env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id);
      const r = await rig(env, {
        type: 'spotify-playlist-changed',
        interval: '30',
        playlists: 'watched',
        playlistsType: 'flow',
        firstRun: 'emit',
      });
      await r.poll();
      assert.equal(r.out.length, 0, 'nothing to watch yet');
      env
        .node('trig')
        .context()
        .flow.set('watched', [{ uri: p0.uri, name: p0.name }]);
      await r.poll();
      assert.equal(r.out.length, 1, 'first run with "emit": the current items');
      const first = r.out[0].payload as Change;
      assert.equal(first.previous_snapshot_id, null);
      assert.deepEqual(
        first.added.map((e) => e.item.uri),
        p0.items.map((e) => e.uri),
      );
    });
  });

  describe('new saved items', function () {
    const uris = (msgs: NodeMessage[]) => msgs.map((m) => (m.payload as { track: { uri: string } }).track.uri);

    it('emits each newly saved track once, oldest first, with one small request when idle, across a restart', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 }, data: { savedTracks: 30 } });
      const r = await rig(env, { type: 'spotify-new-saved', interval: '30', savedType: 'tracks' });
      await r.poll();
      assert.equal(r.out.length, 0);
      env.sim.clearRequests();
      await r.poll();
      await r.poll();
      assert.equal(env.sim.count({ kind: 'api' }), 2, 'one request per idle poll');
      assert.ok(
        env.sim.requests.every((q) => Number(q.query.limit) <= 10),
        'with a small limit',
      );

      const client = account(env).client;
      const t = (i: number) => env.sim.state.catalog.track(700 + i).uri;
      const save = (list: string[]) => client.call(OPERATIONS.saveToLibrary, { query: { uris: list.join(',') } });
      await save([t(0), t(1)]); // the same second: one added_at for both
      await r.poll();
      await save([t(2)]); // likely still the same second as the mark
      await r.poll();
      await r.poll();
      assert.deepEqual(uris(r.out), [t(0), t(1), t(2)]);

      // Removing is not "new"; saving it again later is.
      await client.call(OPERATIONS.removeFromLibrary, { query: { uris: t(0) } });
      await r.poll();
      assert.equal(r.out.length, 3);

      // 60 saves while stopped: more than one page, all of them once, oldest first.
      await helper.unload();
      const many = Array.from({ length: 60 }, (_, i) => t(10 + i));
      for (let i = 0; i < many.length; i += 20) await save(many.slice(i, i + 20));
      await r.restart();
      await r.poll();
      await r.poll();
      assert.deepEqual(uris(r.out.slice(3)), many, 'each new save once, in the order they were saved');
      assert.equal(r.errors.length, 0);
    });

    it('watches albums too, and emits the newest page on a first run with "emit"', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 } });
      const r = await rig(env, { type: 'spotify-new-saved', interval: '30', savedType: 'albums', firstRun: 'emit' });
      await r.poll();
      const albums = env.sim.state.library.albums;
      const got = r.out.map((m) => (m.payload as { album: { uri: string } }).album.uri);
      assert.deepEqual(
        got,
        albums
          .slice(0, 10)
          .map((a) => a.uri)
          .reverse(),
        'newest 10, oldest first',
      );
      assert.equal((r.out[0].spotify as { firstRun: boolean }).firstRun, true);
    });
  });

  describe('the latest N as one list', function () {
    const playUris = (m: NodeMessage) => (m.payload as { track: { uri: string } }[]).map((p) => p.track.uri);

    it('new recently played sends one message with the latest N plays, newest first, on each new play', async function () {
      env = await createEnv({ settings: { minPollSeconds: 0.05 } });
      const r = await rig(env, { type: 'spotify-new-plays', interval: '30', emit: 'latest', latest: '3', format: 'objects' });
      await r.poll();
      assert.equal(r.out.length, 0, 'the first poll only remembers');
      const seeded = env.sim.state.plays.map((p) => p.uri).reverse(); // newest first
      const t = (i: number) => env.sim.state.catalog.track(60 + i).uri;

      env.sim.play(t(0));
      await r.poll();
      assert.equal(r.out.length, 1);
      assert.deepEqual(playUris(r.out[0]), [t(0), seeded[0], seeded[1]], 'the new play and the two before it');
      assert.deepEqual([(r.out[0].spotify as { count: number }).count, (r.out[0].spotify as { new: number }).new], [3, 1]);

      for (let i = 1; i <= 4; i++) {
        env.sim.play(t(i));
        await sleep(3); // plays a few ms apart, as Spotify's played_at tells them apart
      }
      env.sim.clearRequests();
      await r.poll();
      assert.equal(r.out.length, 2, 'four new plays: one message');
      assert.deepEqual(playUris(r.out[1]), [t(4), t(3), t(2)]);
      assert.equal(env.sim.count({ kind: 'api' }), 1, 'enough new plays to fill the list: no second request');

      await r.poll();
      assert.equal(r.out.length, 2, 'nothing new, nothing sent');
      assert.equal(r.errors.length, 0);
    });

    it('new saved sends the latest N saved items as rows for a table, in the local time zone', async function () {
      const savedTz = process.env.TZ;
      process.env.TZ = 'Asia/Kolkata';
      try {
        env = await createEnv({ settings: { minPollSeconds: 0.05 } });
        const r = await rig(env, { type: 'spotify-new-saved', interval: '30', emit: 'latest', latest: '2', format: 'rows' });
        await r.poll();
        const before = env.sim.state.library.tracks[0];
        const added = env.sim.state.catalog.track(800);
        await account(env).client.call(OPERATIONS.saveToLibrary, { query: { uris: added.uri } });
        await r.poll();
        assert.equal(r.out.length, 1);
        const rows = r.out[0].payload as Record<string, unknown>[];
        assert.deepEqual(
          rows.map((row) => row.uri),
          [added.uri, before.uri],
          'the new save and the one before it, newest first',
        );
        assert.equal(rows[0].title, added.name);
        assert.equal(rows[1].added_at, '2026-10-01 17:30', "the library's newest seeded save, 12:00 UTC");
        assert.match(String(rows[0].added_at_iso), /\+05:30$/);
      } finally {
        if (savedTz === undefined) delete process.env.TZ;
        else process.env.TZ = savedTz;
      }
    });
  });

  it('closing stops the timer and abandons the poll in flight', async function () {
    env = await createEnv({ settings: { minPollSeconds: 0.05 } });
    const r = await rig(env, { type: 'spotify-new-plays', interval: '0.1', format: 'objects' });
    await r.poll();
    env.sim.addFault({ path: '/v1/me/player/recently-played', delayMs: 15_000 }); // far longer than any close
    env.sim.play(env.sim.state.catalog.track(50).uri);
    const waiting = () => env.sim.requests.find((q) => q.path === '/v1/me/player/recently-played' && q.faulted && q.answeredAt === 0);
    await until('a poll waiting for its slow answer', () => waiting() !== undefined);
    const slow = waiting();
    await helper.unload();
    assert.equal(slow?.answeredAt, 0, 'close did not wait for the slow request (still unanswered when close ended)');
    const count = env.sim.count({ kind: 'api' });
    await sleep(1000); // the interval is 0.1 s: ten polls would have come by now
    assert.equal(env.sim.count({ kind: 'api' }), count, 'no polls after close');
    assert.equal(r.out.length, 0, 'nothing sent after close');
    // The play was not sent, so the cursor did not move: after a restart it comes.
    env.sim.clearFaults();
    await r.restart();
    await until('the play', () => r.out.length === 1);
  });

  describe('example flows', function () {
    for (const name of ['Nodes/Now playing', 'Nodes/New recently played', 'Nodes/Playlist changed', 'Nodes/New saved']) {
      it(`${name} runs against the simulator as shipped`, async function () {
        env = await createEnv();
        const ex = example(name);
        const run = await runExample(env, ex);
        await run.authorize();
        env.node(run.node({ type: 'inject' }).id).receive({});
        const main = String(ex.nodes.find((n) => n.type === 'debug' && n.name !== 'error' && n.name !== 'poll finished')?.name);
        await run.received(main);
        await sleep(300);
        assert.deepEqual(run.seen('error'), [], 'no error');
        assert.ok(run.seen(main).every((m) => typeof m.payload === 'string' && m.payload.length > 0));
      });
    }
  });

  describe('building blocks', function () {
    const entry = (uri: string, at: string): PlaylistEntry => ({ added_at: at, item: { uri } });

    it('diffs playlists as multisets: the newest copies are the added ones', function () {
      const old = ['a', 'b', 'a', 'c'];
      const now = [
        entry('a', '2026-01-01T00:00:00Z'),
        entry('a', '2026-03-01T00:00:00Z'),
        entry('c', '2026-01-01T00:00:00Z'),
        entry('a', '2026-02-01T00:00:00Z'),
        entry('d', '2026-03-01T00:00:00Z'),
      ];
      const diff = diffPlaylist(old, now);
      assert.deepEqual(diff.added, [now[1], now[4]], 'one more a (the newest copy) and d');
      assert.deepEqual(diff.removed, [{ uri: 'b' }]);
      assert.deepEqual(diffPlaylist(['x', 'x', 'y'], [entry('x', '')]).removed, [{ uri: 'x' }, { uri: 'y' }]);
      assert.deepEqual(
        diffPlaylist(['x'], [entry('x', ''), { added_at: '', item: null }]),
        { added: [], removed: [] },
        'unavailable entries are not changes',
      );
    });

    it('names the most significant player change, and schedules the next poll', function () {
      const state = (uri: string | null, playing: boolean, device = 'd1', progress = 0, duration = 200_000): PlaybackState => ({
        is_playing: playing,
        progress_ms: progress,
        item: uri ? { uri, duration_ms: duration } : null,
        device: { id: device },
      });
      assert.equal(playerChange(null, null), undefined);
      assert.deepEqual(playerChange(state('a', true), state('b', true, 'd2')), { event: 'track', changes: ['track', 'device'] });
      assert.deepEqual(playerChange(null, state('a', false)), { event: 'device', changes: ['device'] });
      assert.equal(playerChange(state('a', true, 'd1', 1000), state('a', true, 'd1', 9000)), undefined, 'progress alone is no change');
      assert.deepEqual(nextPlayerPoll(state('a', true, 'd1', 195_000), 30_000, 4, false), { delayMs: 7000, early: true });
      assert.deepEqual(
        nextPlayerPoll(state('a', true, 'd1', 200_000), 30_000, 4, true),
        { delayMs: 30_000, early: false },
        'never two early polls in a row',
      );
      assert.deepEqual(nextPlayerPoll(state('a', false), 30_000, 4, false), { delayMs: 120_000, early: false });
      assert.deepEqual(nextPlayerPoll(null, 30_000, 4, false), { delayMs: 120_000, early: false });
    });

    it('the poller never overlaps polls, waits out a 429 cooldown, and stops on close', async function () {
      const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const calls: number[] = [];
        let inFlight = 0;
        let overlapped = false;
        const failures: number[] = [];
        const poller = new Poller({
          intervalMs: 20,
          poll: async () => {
            calls.push(Date.now());
            overlapped ||= inFlight > 0;
            inFlight++;
            await new Promise((r) => setTimeout(r, 30)); // longer than the interval
            inFlight--;
            if (calls.length === 2) {
              throw new SpotifyApiError({ message: 'rate limited', method: 'GET', path: '/x', status: 429, retryAt: Date.now() + 400 });
            }
            return { text: 'ok' };
          },
          onSuccess: () => undefined,
          onFailure: (_err, n) => failures.push(n),
          notBefore: (err) => (err instanceof SpotifyApiError ? err.retryAt : undefined),
        });
        poller.start(0);
        const asked = Promise.all([poller.pollNow(), poller.pollNow()]); // two asks during a poll: one extra poll
        await clock.tickAsync(60);
        await asked;
        assert.equal(calls.length, 2, 'the two asks made one poll and one extra');
        while (calls.length < 4) await clock.tickAsync(10);
        const closing = poller.close();
        await clock.tickAsync(30);
        await closing;
        const n = calls.length;
        await clock.tickAsync(1000); // fifty intervals
        assert.equal(calls.length, n, 'no poll after close');
        assert.equal(overlapped, false);
        assert.deepEqual(failures, [1]);
        assert.ok(calls[2] - calls[1] >= 400, `the poll after the 429 waited for the cooldown (${calls[2] - calls[1]} ms)`);
        assert.ok(calls[3] - calls[2] >= 20, 'the next poll waited for the interval after the last one ended');
      } finally {
        clock.restore();
      }
    });
  });
});
