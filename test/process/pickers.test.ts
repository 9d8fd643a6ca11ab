// The pickers' admin routes, in a real Node-RED with adminAuth on: an account's playlists (writable ones told
// apart), its devices and a short catalog search, each with the reason when the list is empty (not authorized,
// a missing scope named, no device online); a read-only editor user gets a 403 that says why and costs nothing
// (no request to Spotify, no token refresh), another site is refused, bad requests get a 4xx naming the field, a
// burst of identical searches is one request to Spotify; and an account that was never deployed is served from
// the token store as soon as it is authorized.
import assert from 'node:assert/strict';
import {
  RedSession,
  SESSION_ACCOUNT,
  SESSION_CLIENT_ID,
  SESSION_CLIENT_SECRET,
  editorTokens,
  twoEditorUsers,
} from '../support/red-session';
import { CRASH_PATTERNS } from '../support/process-watch';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { RECENT_ANSWER_MS } from '../../nodes/node-red/recent-answers';
import type { SimPlaylist, Simulator } from '../simulator';

interface Answer {
  ok: boolean;
  items: { id: string; name: string; owner?: string; size?: number; writable?: boolean; type?: string; by?: string }[];
  reason?: string;
  message?: string;
  scope?: string;
  error?: string;
}

describe('picker routes', function () {
  this.timeout(120_000);
  let s: RedSession;
  let admin: string;
  let reader: string;

  before(async function () {
    s = await RedSession.start({
      // What a picker stores: the playlist's ID with the type "from list" (spotify-id).
      flows: (sim) => [
        {
          id: 'i-add',
          type: 'inject',
          props: [{ p: 'payload' }],
          payload: `spotify:track:${sim.state.catalog.track(7).id}`,
          payloadType: 'str',
          repeat: '',
          once: false,
          wires: [['add']],
        },
        {
          id: 'add',
          type: 'spotify-add-tracks',
          account: SESSION_ACCOUNT,
          playlist: ownedPlaylist(sim).id,
          playlistType: 'spotify-id',
          playlistName: ownedPlaylist(sim).name,
          tracks: 'payload',
          tracksType: 'msg',
          wires: [['d-out']],
        },
        { id: 'd-out', type: 'debug', active: true, tosidebar: true, console: false, complete: 'true', targetType: 'full', wires: [] },
      ],
      settings: twoEditorUsers(),
    });
    ({ admin, reader } = await editorTokens(s.url));
  });
  after(async function () {
    const log = s?.red.log ?? '';
    await s?.stop();
    assert.doesNotMatch(log, CRASH_PATTERNS, 'Node-RED logged no crash');
  });

  const pick = async (what: string, body: Record<string, unknown>, token = admin): Promise<{ status: number; json: Answer }> => {
    const res = await s.call('POST', `/tunewire/pick/${what}`, { accountId: SESSION_ACCOUNT, clientId: SESSION_CLIENT_ID, ...body }, token);
    return { status: res.status, json: res.json as Answer };
  };

  it('says "not authorized" before Authorize Access, for every list', async function () {
    for (const [what, body] of [
      ['playlists', {}],
      ['devices', {}],
      ['search', { q: 'love', type: 'track' }],
    ] as const) {
      const res = await pick(what, body);
      assert.equal(res.status, 200, what);
      assert.deepEqual(res.json.items, [], what);
      assert.equal(res.json.reason, 'not_authorized', what);
      assert.match(String(res.json.message), /Not authorized/, what);
    }
  });

  it("lists the user's playlists, writable ones told apart, and only those on request", async function () {
    await s.authorize(admin);
    const me = s.sim.state.me.id;
    const library = s.sim.state.library.playlists.filter((id): id is string => id !== null).map((id) => s.sim.state.playlist(id)!);
    const writable = library.filter((p) => p.owner.id === me || p.collaborative);
    const readOnly = library.filter((p) => p.owner.id !== me && !p.collaborative);
    assert.ok(writable.length > 1 && readOnly.length > 0, 'the simulator has both kinds');

    const all = await pick('playlists', {});
    assert.equal(all.status, 200, JSON.stringify(all.json));
    assert.deepEqual(
      all.json.items.map((p) => p.id),
      library.map((p) => p.id),
      'every playlist of the library, in order',
    );
    const shared = all.json.items.find((p) => p.id === readOnly[0].id)!;
    assert.equal(shared.writable, false);
    assert.equal(shared.owner, readOnly[0].owner.display_name);
    assert.equal(shared.size, readOnly[0].items.length);

    const mine = await pick('playlists', { writable: true });
    assert.deepEqual(
      mine.json.items.map((p) => [p.id, p.name, p.owner, p.size]),
      writable.map((p) => [p.id, p.name, p.owner.display_name, p.items.length]),
    );
  });

  it('names the missing scope: the session was authorized without user-read-playback-state', async function () {
    const res = await pick('devices', {});
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.items, []);
    assert.equal(res.json.reason, 'missing_scope');
    assert.equal(res.json.scope, 'user-read-playback-state');
    // In the words the account dialog's checklist shows for it; Spotify's name only in `scope` (the tooltip).
    assert.equal(
      res.json.message,
      'Needs the permission to read the player and devices: tick it in the Spotify account node and authorize again',
    );
  });

  it('searches the catalog: names and artists of one type', async function () {
    const track = s.sim.state.catalog.track(3);
    const word = track.name.split(/\s+/)[0];
    const res = await pick('search', { q: word, type: 'track' });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.ok(res.json.items.length > 0 && res.json.items.length <= 10, `1 to 10 results, got ${res.json.items.length}`);
    assert.ok(
      res.json.items.every((i) => i.type === 'track' && i.by !== ''),
      'tracks with their artists',
    );
    assert.ok(
      res.json.items.every((i) => i.name.toLowerCase().includes(word.toLowerCase()) || i.by?.toLowerCase().includes(word.toLowerCase())),
      'results match the query',
    );

    // Several types (the play node's picker): one request, results grouped by type in the order asked.
    const requests = s.sim.count({ kind: 'api' });
    const mixed = await pick('search', { q: word, type: 'track,album,artist' });
    assert.equal(mixed.status, 200, JSON.stringify(mixed.json));
    assert.equal(s.sim.count({ kind: 'api' }), requests + 1, 'one request to Spotify');
    const order = mixed.json.items.map((i) => i.type);
    assert.ok(order.includes('track'), 'tracks among the results');
    assert.deepEqual(
      order,
      [...order].sort((a, b) => ['track', 'album', 'artist'].indexOf(a!) - ['track', 'album', 'artist'].indexOf(b!)),
    );
  });

  it('serves an account that was never deployed, from the store key the dialog holds', async function () {
    const storeKey = newStoreKey();
    const accountId = 'not-deployed';
    const start = await s.call(
      'POST',
      '/tunewire/authorize',
      {
        accountId,
        clientId: SESSION_CLIENT_ID,
        clientSecret: SESSION_CLIENT_SECRET,
        storeKey,
        scopes: ['user-read-playback-state', 'playlist-read-private'],
        redirectUri: `${s.url}/tunewire/callback`,
      },
      admin,
    );
    assert.equal(start.status, 200, start.text);
    const back = await fetch(await s.sim.consent((start.json as { authorizeUrl: string }).authorizeUrl, 'approve'));
    assert.equal(back.status, 200);

    const without = await pick('devices', { accountId });
    assert.equal(without.json.reason, 'not_authorized', 'no store key known to the runtime yet');
    const fault = s.sim.addFault({ method: 'GET', path: '/me/player/devices', status: 200, body: { devices: [] } });
    try {
      const none = await pick('devices', { accountId, storeKey });
      assert.equal(none.status, 200, JSON.stringify(none.json));
      assert.deepEqual(none.json.items, []);
      assert.equal(none.json.reason, 'no_devices');
      assert.match(String(none.json.message), /No devices online/);
    } finally {
      s.sim.removeFault(fault);
    }
    // The user opens Spotify somewhere and looks again: the empty answer was not kept.
    const devices = await pick('devices', { accountId, storeKey });
    assert.equal(devices.status, 200, JSON.stringify(devices.json));
    assert.deepEqual(
      devices.json.items.map((d) => [d.id, d.name, d.type]),
      s.sim.state.player.devices.map((d) => [d.id, d.name, d.type]),
    );
  });

  it('runs a node whose playlist was picked: the stored ID is used like a string', async function () {
    const playlist = ownedPlaylist(s.sim);
    const before = playlist.items.length;
    await s.listen(admin);
    await s.inject('i-add', admin);
    await s.waitForDebug('d-out', 1);
    const after = s.sim.state.playlist(playlist.id)!;
    assert.equal(after.items.length, before + 1, 'one track added to the picked playlist');
    assert.equal(after.items[after.items.length - 1].uri, `spotify:track:${s.sim.state.catalog.track(7).id}`);
  });

  it('refuses bad requests with 400 naming the field', async function () {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['playlists', { accountId: '' }, /^accountId: /],
      ['search', { q: 'x', type: 'playlist' }, /^type: expected one or more of track, album, artist/],
      ['search', { q: 'x'.repeat(201), type: 'track' }, /^q: expected at most 200 characters/],
      ['devices', { accountId: 'x'.repeat(201), storeKey: newStoreKey() }, /^accountId: /],
    ];
    for (const [what, body, message] of cases) {
      const res = await pick(what, body);
      assert.equal(res.status, 400, `${what} ${JSON.stringify(body).slice(0, 80)}`);
      assert.match(String(res.json.error), message);
    }
  });

  it('refuses a read-only editor user with a 403 that says why, before anything reaches Spotify', async function () {
    const requests = s.sim.requests.length;
    for (const [what, body] of [
      ['playlists', {}],
      ['devices', {}],
      ['search', { q: 'love', type: 'track' }],
      // Made-up ids and store keys, as an intruder would send them: refused the same way.
      ['devices', { accountId: 'made-up', storeKey: newStoreKey() }],
    ] as const) {
      const res = await pick(what, body, reader);
      assert.equal(res.status, 403, `${what}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json.ok, false);
      // What the picker shows under its search box.
      assert.equal(res.json.error, 'Only editor users who may change flows can use the Spotify pickers (permission spotify-account.write)');
    }
    assert.equal(s.sim.requests.length, requests, 'no request to Spotify, no token refresh');
  });

  it('answers 200 identical searches at once with one request to Spotify', async function () {
    const word = s.sim.state.catalog.track(5).name.split(/\s+/)[0];
    const searches = s.sim.count({ path: '/v1/search' });
    const started = Date.now();
    // All sent before any is answered: each finds the first on its way, or its answer kept for a few seconds.
    const answers = await Promise.all(Array.from({ length: 200 }, () => pick('search', { q: word, type: 'album,track' })));
    const elapsed = Date.now() - started;
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    assert.ok(answers[0].json.items.length > 0, 'with results');
    // One, unless the burst outlasted a kept answer (a very busy machine): at most one more per that time.
    const asked = s.sim.count({ path: '/v1/search' }) - searches;
    assert.ok(asked >= 1 && asked <= 1 + Math.floor(elapsed / RECENT_ANSWER_MS), `${asked} searches reached Spotify in ${elapsed} ms`);
  });

  // Last of those that reach Spotify: the account then waits out an hour's cooldown.
  it('answers Spotify failures with a 4xx and a message, never a 500, and holds a 429 cooldown', async function () {
    // Each a search of its own: an answer that just arrived would serve the same question again (no request).
    let n = 0;
    const search = () => pick('search', { q: `failure ${++n}`, type: 'track' });
    for (const [status, expected] of [
      [500, 424],
      [403, 424],
      // Last: the account then waits out the cooldown, and the pickers respect it like the nodes do.
      [429, 429],
    ] as const) {
      const fault = s.sim.addFault({ path: '/v1/search', status, retryAfter: 3600 });
      try {
        const res = await search();
        assert.equal(res.status, expected, `Spotify ${status}: ${JSON.stringify(res.json)}`);
        assert.equal(res.json.ok, false);
        assert.ok(res.json.error && res.json.error.length > 0, 'with a message');
      } finally {
        s.sim.removeFault(fault);
      }
    }
    const requests = s.sim.count({ kind: 'api' });
    const held = await search();
    assert.equal(held.status, 429, 'still cooling down');
    assert.equal(s.sim.count({ kind: 'api' }), requests, 'Spotify was not asked during the cooldown');
  });

  it('refuses requests without a token, and those another site sends', async function () {
    for (const what of ['playlists', 'devices', 'search']) {
      const none = await s.call('POST', `/tunewire/pick/${what}`, { accountId: SESSION_ACCOUNT });
      assert.equal(none.status, 401, `${what} without a token`);
      const cross = await fetch(`${s.url}/tunewire/pick/${what}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ accountId: SESSION_ACCOUNT, q: 'x', type: 'track' }),
      });
      assert.equal(cross.status, 403, `${what} from another site`);
      assert.match(((await cross.json()) as { error: string }).error, /another site/);
      const form = await fetch(`${s.url}/tunewire/pick/${what}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ accountId: SESSION_ACCOUNT }),
      });
      assert.equal(form.status, 415, `${what} as text/plain`);
    }
  });
});

/** A playlist the simulated user owns, with a few entries. */
function ownedPlaylist(sim: Simulator): SimPlaylist {
  const me = sim.state.me.id;
  const found = sim.state.playlists.find((p) => p.owner.id === me && p.items.length > 0 && p.items.length < 20);
  if (!found) throw new Error('the simulator has no small playlist of its user');
  return found;
}
