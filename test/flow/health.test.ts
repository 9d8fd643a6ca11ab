// The account's health where the user looks: node statuses that say when a rate-limit wait ends, until when a
// fail-fast lasts and which input was bad; errors as whole text; and the status route's health facts.
import assert from 'node:assert/strict';
import type { Node } from 'node-red';
import { createEnv, helper, ACCOUNT_ID, type TestEnv } from '../support/env';
import { caught, ok, runner } from '../helpers/node-runner';
import * as path from 'node:path';
import { tokenStoreAt } from '../../nodes/spotify/account';
import { clock, day } from '../../nodes/spotify/local-time';
import { refreshTokenExpiry } from '../../nodes/spotify/consent';

type Status = { fill?: string; shape?: string; text?: string };
type Spy = { getCalls(): { args: unknown[] }[]; lastCall: { args: unknown[] } };

function statuses(node: Node): Status[] {
  return (node as unknown as { status: Spy }).status.getCalls().map((c) => c.args[0] as Status);
}

function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() > end) reject(new Error('condition not met in time'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

const SCOPES = ['user-read-private', 'playlist-read-private', 'playlist-modify-private', 'user-read-recently-played'];

describe('account health', function () {
  let env: TestEnv;
  const call = runner(() => env);
  beforeEach(async function () {
    env = await createEnv({ data: { playlistSizes: [3, 0] } });
    await env.load([
      env.accountNode(),
      { id: 'lists', type: 'spotify-get-playlists', account: ACCOUNT_ID, wires: [['out']] },
      { id: 'add', type: 'spotify-add-tracks', account: ACCOUNT_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize({ scopes: SCOPES });
  });
  afterEach(async function () {
    await env.close();
  });

  it('while a Retry-After is waited out, the status says when requests resume', async function () {
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 2, times: 1 });
    const node = env.node('lists');
    const sent = Date.now();
    const out = call('lists', {});
    await until(() => statuses(node).some((s) => /^waiting until /.test(s.text ?? '')));
    const waiting = statuses(node).find((s) => /^waiting until /.test(s.text ?? ''));
    const shown = waiting?.text?.slice('waiting until '.length) ?? '';
    // The time the 429 named: about 2 s after it was answered (a busy machine may take a while to get there).
    const candidates = Array.from({ length: 30 }, (_, i) => clock(sent + 1000 + i * 1000));
    assert.ok(candidates.includes(shown), `"${waiting?.text}" names the time the wait ends`);
    assert.equal(waiting?.fill, 'yellow');
    ok(await out);
    await until(() => statuses(node).at(-1)?.fill === 'green');
  });

  it('a Retry-After beyond the cap fails at once, and the error and status say until when', async function () {
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 3600, times: 1 });
    const node = env.node('lists');
    const err = caught(await call('lists', {}));
    const retryAt = Date.parse(String((err.spotify as { retryAt?: string }).retryAt));
    assert.ok(Math.abs(retryAt - (Date.now() + 3_600_000)) < 120_000, 'msg.spotify.retryAt is an hour away');
    assert.ok(err.error.message.includes(clock(retryAt)), `local time in ${err.error.message}`);
    assert.doesNotMatch(err.error.message, /\d{4}-\d\d-\d\dT/, 'no ISO UTC time');
    await until(() => statuses(node).at(-1)?.fill === 'red');
    assert.equal(statuses(node).at(-1)?.text, `rate limited until ${clock(retryAt)}`);
  });

  it('a bad input shows its short reason in the status, and the whole error is logged as text', async function () {
    const node = env.node('add');
    const playlist = env.sim.state.playlists.find((p) => p.owner.id === env.sim.state.me.id);
    assert.ok(playlist);
    const t = (i: number) => env.sim.state.catalog.track(i).uri;
    const err = caught(await call('add', { playlist: playlist.id, payload: [t(0), t(1), t(2), 'not a track'] }));
    assert.match(err.error.message, /^InputError: Tracks\[3\]: expected /);
    await until(() => statuses(node).at(-1)?.fill === 'red');
    assert.equal(statuses(node).at(-1)?.text, 'bad Tracks at 3');
    // What Node-RED logs (and the Debug sidebar shows) is the text itself, not an Error object.
    const logged: unknown = (node as unknown as { error: Spy }).error.lastCall.args[0];
    assert.equal(typeof logged, 'string');
    assert.equal(logged, err.error.message);
  });

  it("a node's status names the scope it lacks, in the dialog's words", async function () {
    // top items needs user-top-read, which the authorization (SCOPES) lacks.
    await helper.unload();
    await env.load([
      env.accountNode({ scopes: SCOPES.join(' ') }),
      { id: 'top', type: 'spotify-top-items', account: ACCOUNT_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const node = env.node('top');
    env.sim.clearRequests();
    const err = caught(await call('top', {}));
    assert.match(err.error.message, /needs the scope user-top-read/);
    await until(() => statuses(node).at(-1)?.fill === 'red');
    assert.equal(statuses(node).at(-1)?.text, 'needs: read top artists and tracks');
    assert.equal(env.sim.count({ kind: 'api' }), 0, 'nothing was sent');
  });

  it('the account warns of a ticked scope its authorization lacks, by name; an authorization after an untick is no "addition"', async function () {
    const warnings = (): string[] => (env.node(ACCOUNT_ID) as unknown as { warn: Spy }).warn.getCalls().map((c) => String(c.args[0]));
    const withCover = [...SCOPES, 'ugc-image-upload'].join(' ');
    // Deployed with upload images ticked, over an authorization from before without it.
    await helper.unload();
    await env.load([env.accountNode({ scopes: withCover })]);
    await until(() => warnings().length > 0);
    assert.deepEqual(warnings(), [
      'Ticked in the Spotify account node but not granted by its authorization: upload images. Open the account node and click Authorize Access again',
    ]);
    // Authorized with it; then unticked in the dialog and authorized again before Deploy: the deployed node still
    // has it ticked, and nothing was added.
    await env.authorize({ scopes: [...SCOPES, 'ugc-image-upload'] });
    await helper.unload();
    await env.load([env.accountNode({ scopes: withCover })]);
    await until(() => statuses(env.node(ACCOUNT_ID)).at(-1)?.fill === 'green');
    const shown = statuses(env.node(ACCOUNT_ID)).length;
    await env.authorize({ scopes: SCOPES });
    // The running node has seen the new authorization: its status was set again.
    await until(() => statuses(env.node(ACCOUNT_ID)).length > shown);
    assert.deepEqual(warnings(), []);
  });

  it('the status route tells scopes granted, consent, refresh expiry, cooldown and requests in the last hour', async function () {
    const read = async (): Promise<Record<string, unknown>> => {
      const res = await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID, storeKey: env.storeKey });
      return res.body;
    };
    const before = await read();
    assert.equal(before.state, 'authorized');
    assert.deepEqual([...(before.scopes as string[])].sort(), [...SCOPES].sort());
    const consent = Date.parse(String(before.authorizedAt));
    assert.ok(Math.abs(consent - Date.now()) < 120_000, 'consent was just given');
    assert.equal(before.refreshExpiresAt, new Date(refreshTokenExpiry(consent)).toISOString());
    const months = (Date.parse(String(before.refreshExpiresAt)) - consent) / 86_400_000;
    assert.ok(months >= 181 && months <= 185, `about 6 months (${months} days)`);
    assert.equal(before.cooldownUntil, undefined);
    assert.equal(before.requestsLastHour, 0);
    assert.deepEqual((before.nodeScopes as Record<string, unknown>)['spotify-get-playlists'], ['playlist-read-private']);

    env.sim.clearRequests(); // the authorization's own /me went through another client
    ok(await call('lists', {}));
    env.sim.addFault({ path: '/v1/me/playlists', status: 429, retryAfter: 3600, times: 1 });
    caught(await call('lists', {}));
    const apiRequests = env.sim.requests.filter((r) => r.kind === 'api').length;

    const after = await read();
    assert.equal(after.requestsLastHour, apiRequests);
    const cooldown = Date.parse(String(after.cooldownUntil));
    assert.ok(Math.abs(cooldown - (Date.now() + 3_600_000)) < 120_000, 'the cooldown ends in an hour');
    // Reading changed nothing: no request went out, the statuses stayed.
    const statusCount = statuses(env.node('lists')).length;
    assert.deepEqual(await read(), after);
    assert.equal(env.sim.requests.filter((r) => r.kind === 'api').length, apiRequests);
    assert.equal(statuses(env.node('lists')).length, statusCount);
  });

  it('two weeks before Spotify stops accepting the consent, the account and its nodes say by when to authorize again', async function () {
    const store = tokenStoreAt(path.join(env.storeDir, 'tunewire-tokens.json'));
    const tokens = await store.get(ACCOUNT_ID, env.storeKey);
    assert.ok(tokens);
    // A consent given 6 months less 10 days ago.
    const consent = new Date();
    consent.setMonth(consent.getMonth() - 6);
    consent.setDate(consent.getDate() + 10);
    await store.set(ACCOUNT_ID, env.storeKey, { ...tokens, authorizedAt: consent.getTime() });
    const flow = [
      env.accountNode(),
      { id: 'lists', type: 'spotify-get-playlists', account: ACCOUNT_ID, wires: [[]] },
      { id: 'fresh', type: 'spotify-my-profile', account: ACCOUNT_ID, wires: [[]] },
    ];
    await helper.unload();
    await env.load(flow);
    const expected = `authorize again by ${day(refreshTokenExpiry(consent.getTime()))}`;
    for (const id of [ACCOUNT_ID, 'lists', 'fresh']) {
      const node = env.node(id);
      await until(() => statuses(node).some((s) => s.text === expected));
      assert.equal(statuses(node).at(-1)?.fill, 'yellow', id);
    }
    // Still authorized: requests go on until the date.
    const status = (await helper.request().post('/tunewire/status').send({ accountId: ACCOUNT_ID })).body as {
      state: string;
      reauthorizeSoon: boolean;
    };
    assert.deepEqual([status.state, status.reauthorizeSoon], ['authorized', true]);
  });
});
