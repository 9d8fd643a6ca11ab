// The player nodes against the simulator: playback state (204 → null), play by device name, each control
// command reaching the player, the queue in order, and the errors a user can act on.
import assert from 'node:assert/strict';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { failed, ok, runner } from '../helpers/node-runner';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';

function playerFlow(env: TestEnv, extra: FlowNode[] = []): FlowNode[] {
  const node = (id: string, type: string, props: Record<string, unknown> = {}): FlowNode => ({
    id,
    type,
    account: ACCOUNT_ID,
    ...props,
    wires: [['out']],
  });
  return [
    env.accountNode(),
    node('state', 'spotify-playback-state', { what: 'state' }),
    node('current', 'spotify-playback-state', { what: 'current' }),
    node('devices', 'spotify-playback-state', { what: 'devices' }),
    node('queue', 'spotify-playback-state', { what: 'queue' }),
    node('play', 'spotify-play', {
      play: 'payload',
      playType: 'msg',
      offset: 'offset',
      offsetType: 'msg',
      positionMs: 'position',
      positionMsType: 'msg',
      device: 'device',
      deviceType: 'msg',
      volume: 'volume',
      volumeType: 'msg',
    }),
    node('ctl', 'spotify-player-control', {
      command: 'pause',
      value: 'payload',
      valueType: 'msg',
      device: 'device',
      deviceType: 'msg',
      play: true,
    }),
    node('enqueue', 'spotify-add-to-queue', { items: 'payload', itemsType: 'msg', device: 'device', deviceType: 'msg' }),
    ...extra,
    { id: 'out', type: 'helper' },
    { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

describe('player nodes', function () {
  let env: TestEnv;
  const call = runner(() => env);
  const device = (name: string) => {
    const d = env.sim.state.player.devices.find((x) => x.name === name);
    assert.ok(d, name);
    return d;
  };
  const track = (i: number) => env.sim.state.catalog.track(i);

  before(async function () {
    env = await createEnv();
    await env.load(playerFlow(env));
    await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  });
  after(async function () {
    await env.close();
  });

  it('playback state: nothing active is payload null with spotify.active false, not an error', async function () {
    assert.equal(env.sim.state.player.device_id, null, 'the simulator starts idle');
    const msg = ok(await call('state', { topic: 'kept' }));
    assert.equal(msg.payload, null);
    assert.equal(msg.spotify.active, false);
    assert.equal(msg.topic, 'kept', 'the rest of the message is kept');
    const cur = ok(await call('current'));
    assert.equal(cur.payload, null);
    const devices = ok(await call('devices'));
    assert.deepEqual(
      (devices.payload as { name: string }[]).map((d) => d.name),
      ['Living Room Speaker', 'Phone'],
    );
  });

  it('NO_ACTIVE_DEVICE says to open Spotify on a device', async function () {
    assert.equal(env.sim.state.player.device_id, null, 'still idle');
    const e = failed(await call('play', { payload: track(1).uri }));
    assert.match(e.message, /No active device: open Spotify on a device first/);
    assert.equal(e.spotify.reason, 'NO_ACTIVE_DEVICE');
    assert.match(failed(await call('enqueue', { payload: track(1).uri })).message, /No active device: open Spotify on a device first/);
  });

  it('play: a context on a device named case-insensitively changes the player', async function () {
    const album = env.sim.state.catalog.album(3);
    const msg = ok(await call('play', { payload: album.uri, device: '  phone ' }));
    const player = env.sim.state.player;
    assert.equal(player.device_id, device('Phone').id);
    assert.equal(player.context_uri, album.uri);
    assert.equal(player.is_playing, true);
    assert.deepEqual(msg.payload, { context_uri: album.uri, device_id: device('Phone').id });
    assert.equal(msg.spotify.requests, 2, 'one lookup of the devices, one play');

    const state = ok(await call('state'));
    assert.equal(state.spotify.active, true);
    assert.equal((state.payload as { device: { name: string } }).device.name, 'Phone');
  });

  it('play: at a volume, set on the device it plays on; a volume out of range stops before anything plays', async function () {
    const album = env.sim.state.catalog.album(4);
    const speaker = device('Living Room Speaker');
    const msg = ok(await call('play', { payload: album.uri, device: speaker.id, volume: 30 }));
    assert.equal(env.sim.state.player.context_uri, album.uri);
    assert.equal(device('Living Room Speaker').volume_percent, 30);
    assert.deepEqual(msg.payload, { context_uri: album.uri, device_id: speaker.id, volume_percent: 30 });

    const other = env.sim.state.catalog.album(5);
    const e = failed(await call('play', { payload: other.uri, device: speaker.id, volume: 150 }));
    assert.match(e.message, /Volume/);
    assert.match(e.message, /0 to 100|0 and 100/);
    assert.equal(env.sim.state.player.context_uri, album.uri, 'nothing else started');
    assert.equal(device('Living Room Speaker').volume_percent, 30);
  });

  it('play: tracks with an offset (URI or position) and position_ms; a device id needs no lookup', async function () {
    const uris = [track(10).uri, track(11).uri, track(12).uri];
    env.sim.clearRequests();
    ok(await call('play', { payload: uris, offset: track(11).uri, position: 5000, device: device('Living Room Speaker').id }));
    let p = env.sim.state.player;
    assert.equal(p.item_uri, track(11).uri);
    assert.equal(p.device_id, device('Living Room Speaker').id);
    assert.ok(p.progress_ms >= 5000 && p.progress_ms < 10_000, `progress ${p.progress_ms}`);
    assert.equal(env.sim.count({ path: '/v1/me/player/devices' }), 0);
    ok(await call('play', { payload: uris.join(','), offset: 2 }));
    p = env.sim.state.player;
    assert.equal(p.item_uri, track(12).uri);
  });

  it('play: bad input names the field; an unknown device name lists the devices', async function () {
    env.sim.clearRequests();
    assert.match(
      failed(await call('play', { payload: [env.sim.state.catalog.album(1).uri, track(1).uri] })).message,
      /play: expected one context/,
    );
    assert.match(
      failed(await call('play', { payload: [track(1).uri], offset: 5 })).message,
      /Start at: expected a whole number from 0 to 0/,
    );
    assert.match(
      failed(await call('play', { payload: [track(1).uri], offset: track(2).uri })).message,
      /Start at: expected one of the tracks/,
    );
    assert.match(failed(await call('play', { payload: [track(1).uri], position: -3 })).message, /Position \(ms\): expected/);
    assert.match(failed(await call('play', { offset: 1 })).message, /Start at: expected/);
    assert.equal(env.sim.count({ kind: 'api' }), 0, 'nothing was sent');
    const unknown = failed(await call('play', { payload: track(1).uri, device: 'Kitchen Radio' }));
    assert.match(
      unknown.message,
      /device: expected the name or id of an available device: "Living Room Speaker", "Phone", got "Kitchen Radio"/,
    );
    assert.equal(env.sim.count({ method: 'PUT', path: '/v1/me/player/play' }), 0);
  });

  it('player control: every command reaches the player; msg.command overrides the node', async function () {
    const uris = [track(20).uri, track(21).uri, track(22).uri];
    ok(await call('play', { payload: uris, device: 'Phone' }));

    let msg = ok(await call('ctl', {}));
    assert.deepEqual(msg.payload, { command: 'pause' });
    assert.equal(env.sim.state.player.is_playing, false);
    ok(await call('ctl', { command: 'resume' }));
    assert.equal(env.sim.state.player.is_playing, true);
    ok(await call('ctl', { command: 'next' }));
    assert.equal(env.sim.state.player.item_uri, uris[1]);
    ok(await call('ctl', { command: 'previous' }));
    assert.equal(env.sim.state.player.item_uri, uris[0]);
    ok(await call('ctl', { command: 'pause' }));
    msg = ok(await call('ctl', { command: 'seek', payload: 42_000 }));
    assert.deepEqual(msg.payload, { command: 'seek', position_ms: 42_000 });
    assert.equal(env.sim.state.player.progress_ms, 42_000);
    ok(await call('ctl', { command: 'volume', payload: '35' }));
    assert.equal(device('Phone').volume_percent, 35);
    ok(await call('ctl', { command: 'shuffle', payload: true }));
    assert.equal(env.sim.state.player.shuffle_state, true);
    ok(await call('ctl', { command: 'shuffle', payload: 'off' }));
    assert.equal(env.sim.state.player.shuffle_state, false);
    ok(await call('ctl', { command: 'repeat', payload: 'Context' }));
    assert.equal(env.sim.state.player.repeat_state, 'context');
    msg = ok(await call('ctl', { command: 'transfer', payload: 'living room speaker' }));
    assert.equal(env.sim.state.player.device_id, device('Living Room Speaker').id);
    assert.equal(env.sim.state.player.is_playing, true, 'transfer with "start playing" ticked plays');
    assert.deepEqual(msg.payload, { command: 'transfer', play: true, device_id: device('Living Room Speaker').id });
    // A device named for another command: targets it (device_id) after resolving the name.
    ok(await call('ctl', { command: 'volume', payload: 12, device: 'Living Room Speaker' }));
    assert.equal(device('Living Room Speaker').volume_percent, 12);
  });

  it('player control: each bad value names its field and sends nothing', async function () {
    env.sim.clearRequests();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ command: 'volume', payload: 101 }, /volume: expected a whole number from 0 to 100, got number 101/],
      [{ command: 'volume' }, /volume: expected a whole number from 0 to 100$/],
      [{ command: 'seek', payload: -1 }, /position_ms: expected a whole number/],
      [{ command: 'shuffle', payload: 'maybe' }, /shuffle: expected true or false/],
      [{ command: 'repeat', payload: 'sometimes' }, /repeat: expected one of track, context, off/],
      [{ command: 'rewind' }, /command: expected one of pause, resume, next/],
      [{ command: 'transfer' }, /device: expected the name or id of the device/],
    ];
    for (const [msg, expected] of cases) assert.match(failed(await call('ctl', msg)).message, expected);
    assert.equal(env.sim.count({ kind: 'api' }), 0);
  });

  it('add to queue: many items in order, one POST each; a lost answer is not repeated and is reported', async function () {
    ok(await call('play', { payload: [track(30).uri], device: 'Phone' }));
    const items = [track(31).uri, track(32).uri, env.sim.state.catalog.episode(2).uri];
    env.sim.clearRequests();
    const msg = ok(await call('enqueue', { payload: items }));
    assert.deepEqual(env.sim.state.player.queue, items);
    assert.deepEqual(msg.payload, { queued: items, skipped: { local: 0, unavailable: 0 } });
    assert.equal(env.sim.count({ method: 'POST', path: '/v1/me/player/queue' }), 3);
    const queue = ok(await call('queue'));
    assert.deepEqual(
      (queue.payload as { queue: { uri: string }[] }).queue.slice(0, 3).map((i) => i.uri),
      items,
    );

    ok(await call('ctl', { command: 'next' })); // empties the queue one by one
    ok(await call('ctl', { command: 'next' }));
    ok(await call('ctl', { command: 'next' }));
    assert.deepEqual(env.sim.state.player.queue, []);
    const more = [track(40).uri, track(41).uri, track(42).uri];
    env.sim.clearRequests();
    env.sim.addFault({ method: 'POST', path: '/v1/me/player/queue', reset: true, afterEffect: true, every: 2, times: 1 });
    const e = failed(await call('enqueue', { payload: more }));
    assert.match(e.message, /may or may not have been applied/);
    assert.deepEqual(e.spotify.applied, [more[0]]);
    assert.deepEqual(e.spotify.uncertain, [more[1]]);
    assert.deepEqual(e.spotify.notApplied, [more[2]]);
    assert.equal(env.sim.count({ method: 'POST', path: '/v1/me/player/queue' }), 2, 'the POST whose answer was lost was not sent again');
    assert.deepEqual(env.sim.state.player.queue, [more[0], more[1]], 'each queued once');
    env.sim.clearFaults();
    assert.match(
      failed(await call('enqueue', { payload: [track(1).uri, env.sim.state.catalog.album(1).uri] })).message,
      /Tracks\[1\]: expected/,
    );
  });
});

describe('player nodes without Premium', function () {
  let env: TestEnv;
  before(async function () {
    env = await createEnv({ premium: false });
    await env.load(playerFlow(env));
    await env.authorize({ scopes: [...DEFAULT_SCOPES] });
  });
  after(async function () {
    await env.close();
  });

  it('PREMIUM_REQUIRED says Premium is needed, for play and for control; reading state still works', async function () {
    const call = runner(() => env);
    const e = failed(await call('play', { payload: env.sim.state.catalog.album(1).uri, device: 'Phone' }));
    assert.match(e.message, /Spotify Premium is required/);
    assert.equal(e.spotify.reason, 'PREMIUM_REQUIRED');
    assert.equal(e.spotify.status, 403);
    assert.match(failed(await call('ctl', { command: 'volume', payload: 10 })).message, /Spotify Premium is required/);
    const devices = ok(await call('devices'));
    assert.equal((devices.payload as unknown[]).length, 2);
  });
});
