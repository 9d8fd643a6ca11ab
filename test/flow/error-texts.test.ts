// Errors in the user's terms (issue 22 item 7), as the Debug sidebar, a Catch node and the node's status show
// them: headed by the node's label (not its hex ID), statuses in words (not "error 404"), the request named in a
// sentence only when one was sent, and no "check the ID" for an ID the user may never have typed.
import assert from 'node:assert/strict';
import type { NodeMessage } from 'node-red';
import { actionNode as node, createEnv, helper, type TestEnv } from '../support/env';
import { caught, lastStatus, runner } from '../helpers/node-runner';

type LogEntry = { level: number; id: string; name?: string; msg: unknown };

/** What Node-RED logged as errors (level 20) for node `id` — an error no Catch node took: the Debug sidebar heads
 *  each with `name`, else the node's ID. */
function errorsLoggedBy(id: string): LogEntry[] {
  return (helper.log() as unknown as { args: [LogEntry][] }).args.map(([e]) => e).filter((e) => e && e.level === 20 && e.id === id);
}

const GONE_ALBUM = 'spotify:album:0000000000000000000000';

describe("errors in the user's terms", function () {
  let env: TestEnv;
  const call = runner(() => env);
  before(async function () {
    env = await createEnv();
    await env.load([
      env.accountNode(),
      node('item', 'spotify-get-item', { items: 'payload', itemsType: 'msg', itemType: 'album' }),
      node('picked', 'spotify-get-item', { items: GONE_ALBUM, itemsType: 'spotify-id', itemsName: 'Road Trip Mix', itemType: 'album' }),
      node('named', 'spotify-get-item', { name: 'Album lookup', items: 'payload', itemsType: 'msg', itemType: 'album' }),
      node('me', 'spotify-my-profile'),
      // Outside the Catch node's scope: its error goes to the log and the Debug sidebar.
      node('loose', 'spotify-get-item', { items: 'payload', itemsType: 'msg', itemType: 'album' }),
      // Nodes whose canvas label is what their dialog set, not their palette words.
      node('volume', 'spotify-player-control', {
        command: 'volume',
        value: 'payload',
        valueType: 'msg',
        device: 'kitchen-speaker-id',
        deviceType: 'spotify-id',
        deviceName: 'Kitchen speaker',
      }),
      node('devices', 'spotify-playback-state', { what: 'devices' }),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: ['item', 'picked', 'named', 'me'], uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize();
  });
  after(async function () {
    await env.close();
  });

  it("heads an unnamed node's error with its label, and the picked item's name, never the node's hex ID", async function () {
    const plain = caught(await call('item', { payload: GONE_ALBUM }));
    assert.equal((plain.error as { source?: { name?: string } }).source?.name, 'get item');
    const loose = env.node('loose');
    const logged = new Promise((resolve) => loose.once('call:error', resolve));
    loose.receive({ payload: GONE_ALBUM });
    await logged;
    assert.deepEqual(
      errorsLoggedBy('loose').map((e) => e.name),
      ['get item'],
      'the Debug sidebar shows "node: get item"',
    );
    const picked = caught(await call('picked', {}));
    assert.equal((picked.error as { source?: { name?: string } }).source?.name, 'get item → Road Trip Mix');
    const named = caught(await call('named', { payload: GONE_ALBUM }));
    assert.equal((named.error as { source?: { name?: string } }).source?.name, 'Album lookup', "the user's own name first");
  });

  it('heads the errors of player control and playback state with what their node shows on the canvas', async function () {
    const headers = async (id: string, msg: NodeMessage): Promise<(string | undefined)[]> => {
      const n = env.node(id);
      const logged = new Promise((resolve) => n.once('call:error', resolve));
      n.receive(msg);
      await logged;
      return errorsLoggedBy(id).map((e) => e.name);
    };
    // Volume out of range: refused before any request, headed by the command and the picked device.
    assert.deepEqual(await headers('volume', { payload: 150 }), ['volume → Kitchen speaker'], 'not the palette words "pause, next, …"');
    env.sim.addFault({ path: '/v1/me/player/devices', status: 403, body: { error: { status: 403, message: 'Forbidden' } }, times: 1 });
    assert.deepEqual(await headers('devices', {}), ['devices']);
  });

  it('a 404 says not found in words, names the request that was sent in a sentence, and does not ask to check the ID', async function () {
    const e = caught(await call('item', { payload: GONE_ALBUM }));
    assert.match(
      e.error.message,
      /^SpotifyApiError: Not found \([^)]+\): it was deleted, or is not available to this account — Spotify answered 404 Not Found to GET \/albums\/0000000000000000000000$/,
    );
    assert.doesNotMatch(e.error.message, /check the ID|\[|→/);
    assert.deepEqual(lastStatus(env.node('item')), { fill: 'red', shape: 'ring', text: 'not found' });
  });

  it("statuses say what Spotify's answer means, not its number", async function () {
    const cases: [number, string, string][] = [
      [400, 'Bad request', 'rejected by Spotify'],
      [403, 'Forbidden', 'not allowed by Spotify'],
      [409, 'Conflict', 'refused by Spotify'],
    ];
    for (const [status, message, text] of cases) {
      env.sim.addFault({ path: '/v1/me', status, body: { error: { status, message } }, times: 1 });
      const e = caught(await call('me', {}));
      assert.match(e.error.message, new RegExp(`${message}.* — Spotify answered ${status} [A-Z].* to GET /me$`), e.error.message);
      assert.deepEqual(lastStatus(env.node('me')), { fill: 'red', shape: 'ring', text }, `status after ${status}`);
    }
  });

  it('bad input still names the field by its dialog label', async function () {
    const e = caught(await call('item', { payload: 42 }));
    assert.match(e.error.message, /^InputError: Items: expected a Spotify album, .*, got number 42$/);
    assert.deepEqual(lastStatus(env.node('item')), { fill: 'red', shape: 'ring', text: 'bad Items' });
  });
});
