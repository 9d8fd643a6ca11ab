// The now-playing card's runtime parts without a dashboard: the simulator's player playing on by itself, the
// view a screen gets (plain facts, nothing unsafe), the buttons' commands, and one shared poll for any number
// of cards of an account.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { playerView, planCommand, cardRequest } from '../../nodes/spotify/player-remote';
import type { PlaybackState } from '../../nodes/spotify/player-watch';
import { feedFor } from '../../nodes/node-red/player-feed';
import type { AccountConfigNode } from '../../nodes/node-red/action-node';
import type { PlayerView } from '../../nodes/spotify/player-remote';
import { startSimulator, type Simulator } from '../simulator';
import { createEnv, ACCOUNT_ID, type TestEnv } from '../support/env';

describe('the simulator plays on', function () {
  let sim: Simulator;
  let clock: sinon.SinonFakeTimers;

  beforeEach(async function () {
    sim = await startSimulator();
    // Only the clock the player reads: the HTTP server's timers stay real.
    clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
  });
  afterEach(async function () {
    clock.restore();
    await sim.stop();
  });

  function ownPlaylist() {
    const p = sim.state.playlists.find(
      (x) => x.owner.id === sim.state.me.id && x.items.filter((e) => e.uri.startsWith('spotify:track:')).length >= 3,
    );
    assert.ok(p);
    return { uri: p.uri, tracks: p.items.filter((e) => e.uri.startsWith('spotify:track:')).map((e) => e.uri) };
  }

  function duration(uri: string): number {
    const c = sim.state.catalog;
    for (let i = 0; i < c.counts.tracks; i++) if (c.track(i).uri === uri) return c.track(i).duration_ms;
    throw new Error(uri);
  }

  it('progress advances while playing, and stands still while paused', function () {
    const { uri, tracks } = ownPlaylist();
    sim.play(tracks[0], { contextUri: uri, progressMs: 1000 });
    clock.tick(5000);
    assert.equal(sim.state.player.progress_ms, 6000);
    sim.pause();
    clock.tick(5000);
    assert.equal(sim.state.player.progress_ms, 6000);
    sim.resume();
    clock.tick(1000);
    assert.equal(sim.state.player.progress_ms, 7000);
  });

  it('a track that ends gives way to the next of its context, at the moment it ended, and is recorded as played', function () {
    const { uri, tracks } = ownPlaylist();
    const played = sim.state.plays.length;
    sim.play(tracks[0], { contextUri: uri, progressMs: duration(tracks[0]) - 1000 });
    clock.tick(1500);
    assert.equal(sim.state.player.item_uri, tracks[1]);
    assert.equal(sim.state.player.progress_ms, 500);
    assert.equal(sim.state.player.is_playing, true);
    assert.deepEqual(
      sim.state.plays.slice(played).map((p) => p.uri),
      [tracks[0], tracks[1]],
    );
    // Two tracks on at once after a long look away.
    clock.tick(duration(tracks[1]) - 500 + duration(tracks[2]) - 1);
    assert.equal(sim.state.player.item_uri, tracks[2]);
  });

  it('the next button on the phone skips; a queue comes first; the end of the context stops', function () {
    const { uri, tracks } = ownPlaylist();
    sim.play(tracks[0], { contextUri: uri });
    sim.next();
    assert.equal(sim.state.player.item_uri, tracks[1]);
    const last = tracks[tracks.length - 1];
    sim.play(last, { contextUri: uri, progressMs: duration(last) - 10 });
    clock.tick(20);
    assert.equal(sim.state.player.is_playing, false, 'the end of the playlist stops the player');
  });
});

describe('the card: view, commands and the shared poll', function () {
  const state = (over: Partial<PlaybackState> = {}): PlaybackState => ({
    is_playing: true,
    progress_ms: 1200,
    device: { id: 'd1', name: 'Kitchen', type: 'Speaker', volume_percent: 30, is_active: true },
    item: {
      uri: 'spotify:track:1',
      name: 'Song',
      duration_ms: 200_000,
      artists: [{ name: 'A' }, { name: 'B' }],
      album: {
        name: 'Album',
        images: [
          { url: 'https://i.scdn.co/image/small', width: 64 },
          { url: 'https://i.scdn.co/image/big', width: 640 },
        ],
      },
    },
    shuffle_state: true,
    repeat_state: 'context',
    ...over,
  });

  it('a view holds what a screen shows, and only web addresses for covers', function () {
    const v = playerView(state(), 5);
    assert.deepEqual(v, {
      mode: 'playing',
      item: {
        uri: 'spotify:track:1',
        name: 'Song',
        artists: ['A', 'B'],
        album: 'Album',
        image: 'https://i.scdn.co/image/big',
        duration_ms: 200_000,
      },
      progress_ms: 1200,
      device: { id: 'd1', name: 'Kitchen', type: 'Speaker', volume_percent: 30, is_active: true },
      shuffle: true,
      repeat: 'context',
      at: 5,
    });
    const risky = state({ item: { uri: 'spotify:track:2', name: 'x', album: { images: [{ url: 'javascript:alert(1)', width: 1 }] } } });
    assert.equal(playerView(risky, 0).item?.image, null);
    assert.equal(playerView(null, 0).mode, 'no-device');
    assert.equal(playerView(state({ item: null }), 0).mode, 'idle');
    assert.equal(playerView(state({ is_playing: false }), 0).mode, 'paused');
  });

  it('buttons: toggle by what is shown, repeat cycles, bad values name the field', function () {
    const playing = playerView(state(), 0);
    assert.equal(planCommand(cardRequest('toggle', undefined), playing).op.path, '/me/player/pause');
    assert.equal(planCommand(cardRequest('toggle', undefined), playerView(state({ is_playing: false }), 0)).op.path, '/me/player/play');
    assert.deepEqual(planCommand(cardRequest('repeat', undefined), playing).query, { state: 'track' });
    assert.deepEqual(planCommand(cardRequest('shuffle', ''), playing).query, { state: false });
    assert.deepEqual(planCommand(cardRequest('Play', 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'), playing).body, {
      context_uri: 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M',
    });
    assert.throws(() => planCommand(cardRequest('volume', 101), playing), /^InputError: volume: expected a whole number from 0 to 100/);
    assert.throws(() => cardRequest('explode', undefined), /^InputError: command: expected one of play, pause/);
  });

  describe('one shared poll', function () {
    let env: TestEnv;
    before(async function () {
      env = await createEnv();
      await env.load([env.accountNode()]);
      await env.authorize({ scopes: ['user-read-private', 'user-read-playback-state', 'user-modify-playback-state'] });
    });
    after(async function () {
      await env.close();
    });

    it('ten cards of one account: one request per poll, each card sees every answer, a command polls once for all', async function () {
      const account = env.node<AccountConfigNode>(ACCOUNT_ID).account;
      assert.ok(account);
      const track = env.sim.state.catalog.track(3);
      env.sim.play(track.uri);
      env.sim.clearRequests();
      const feed = feedFor(account);
      const seen: PlayerView[][] = Array.from({ length: 10 }, () => []);
      const stops = seen.map((list) => feed.subscribe((v) => list.push(v), { intervalMs: 3_600_000, idleFactor: 1 }));
      await waitUntil(() => seen.every((l) => l.length >= 1));
      assert.equal(env.sim.count({ path: /^\/v1\/me\/player/ }), 1, 'one poll for ten cards');
      assert.ok(seen.every((l) => l[0].item?.name === track.name));

      await feed.command(cardRequest('pause', undefined));
      assert.ok(seen.every((l) => l[l.length - 1].mode === 'paused'));
      assert.deepEqual(
        env.sim.requests.filter((r) => r.kind === 'api').map((r) => `${r.method} ${r.path}`),
        ['GET /v1/me/player', 'PUT /v1/me/player/pause', 'GET /v1/me/player'],
      );
      await Promise.all(stops.map((stop) => stop()));
      assert.notEqual(feedFor(account), feed, 'the last card gone, the poll is gone');
    });

    it('commands in a row poll once, after the last, also when the last one fails', async function () {
      const account = env.node<AccountConfigNode>(ACCOUNT_ID).account;
      assert.ok(account);
      env.sim.play(env.sim.state.catalog.track(4).uri);
      const feed = feedFor(account);
      const seen: PlayerView[] = [];
      const stop = feed.subscribe((v) => seen.push(v), { intervalMs: 3_600_000, idleFactor: 1 });
      await waitUntil(() => seen.length >= 1);
      env.sim.clearRequests();
      // Another command follows at once: this one leaves its poll to it.
      await feed.command(cardRequest('pause', undefined), () => false);
      const fault = env.sim.addFault({ method: 'PUT', path: '/v1/me/player/volume', status: 403, times: 1 });
      await assert.rejects(feed.command(cardRequest('volume', 30)), /403/);
      env.sim.removeFault(fault);
      assert.deepEqual(
        env.sim.requests.filter((r) => r.kind === 'api').map((r) => `${r.method} ${r.path}`),
        ['PUT /v1/me/player/pause', 'PUT /v1/me/player/volume', 'GET /v1/me/player'],
      );
      assert.equal(seen[seen.length - 1].mode, 'paused', 'every screen shows the pause');
      await stop();
    });
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), 'never happened');
}
