// What the pickers may cost the runtime, whoever calls them: an account id or store key nobody authorized costs no
// object; the accounts opened for authorized but undeployed accounts are at most MAX_STANDBY_ACCOUNTS and let go
// when idle; a burst of identical calls is one request to Spotify. In an in-process Node-RED against the
// simulator, and the two parts on their own on a fake clock.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpotifyAccount, tokenStoreAt } from '../../nodes/spotify/account';
import { newStoreKey, type StoredTokens, type TokenStore } from '../../nodes/spotify/token-store';
import { standbyAccountCount } from '../../nodes/node-red/picker-routes';
import { MAX_STANDBY_ACCOUNTS, STANDBY_IDLE_MS, StandbyAccounts } from '../../nodes/node-red/standby-accounts';
import { RECENT_ANSWER_MS, RecentAnswers } from '../../nodes/node-red/recent-answers';
import { ACCOUNT_ID, CLIENT_ID, createEnv, helper, type TestEnv } from '../support/env';

interface PickAnswer {
  ok: boolean;
  items: { id: string; name: string }[];
  reason?: string;
  error?: string;
}

describe('picker limits', function () {
  describe('through the routes, in Node-RED', function () {
    let env: TestEnv;
    beforeEach(async function () {
      env = await createEnv();
      await env.load([env.accountNode()]);
    });
    afterEach(async function () {
      await env.close();
    });

    const pick = async (what: string, body: Record<string, unknown>): Promise<{ status: number; json: PickAnswer }> => {
      const res = await helper.request().post(`/tunewire/pick/${what}`).send(body);
      return { status: res.status, json: res.body as unknown as PickAnswer };
    };

    it('answers made-up account ids and store keys "not authorized" and holds nothing for them', async function () {
      for (let i = 0; i < 200; i++) {
        const body = { accountId: `made-up-${i}`, clientId: `client-${i}`, ...(i % 5 === 0 ? {} : { storeKey: newStoreKey() }) };
        const res = await pick(i % 2 ? 'devices' : 'playlists', body);
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.equal(res.json.reason, 'not_authorized');
        assert.equal(standbyAccountCount(), 0, `after call ${i + 1}`);
      }
      // The deployed account with a store key that is not its own: the same.
      const other = await pick('devices', { accountId: ACCOUNT_ID, clientId: CLIENT_ID, storeKey: newStoreKey() });
      assert.equal(other.json.reason, 'not_authorized');
      assert.equal(standbyAccountCount(), 0);
      assert.equal(env.sim.count({ kind: 'api' }) + env.sim.count({ kind: 'accounts' }), 0, 'nothing reached Spotify');
    });

    it(`holds at most ${MAX_STANDBY_ACCOUNTS} undeployed accounts, and opens one again when asked again`, async function () {
      const ids = Array.from({ length: MAX_STANDBY_ACCOUNTS + 2 }, (_, i) => `undeployed-${i}`);
      for (const accountId of ids) await env.authorize({ accountId });
      for (const accountId of [...ids, ids[0], ids[1]]) {
        const res = await pick('playlists', { accountId, clientId: CLIENT_ID, storeKey: env.storeKey });
        assert.equal(res.status, 200, JSON.stringify(res.json));
        assert.ok(res.json.items.length > 0, `${accountId}: its playlists`);
        assert.ok(standbyAccountCount() <= MAX_STANDBY_ACCOUNTS, `${standbyAccountCount()} held after ${accountId}`);
      }
      assert.equal(standbyAccountCount(), MAX_STANDBY_ACCOUNTS);
      // Cleared: the next call finds nothing in the store and lets the account go.
      const clear = await helper.request().post('/tunewire/clear').send({ accountId: ids[1] });
      assert.equal(clear.status, 200);
      const gone = await pick('playlists', { accountId: ids[1], clientId: CLIENT_ID, storeKey: env.storeKey });
      assert.equal(gone.json.reason, 'not_authorized');
      assert.equal(standbyAccountCount(), MAX_STANDBY_ACCOUNTS - 1);
    });

    it('answers a burst of identical searches with one request to Spotify (one per few seconds)', async function () {
      await env.authorize();
      const [word, other] = [3, 4].map((n) => env.sim.state.catalog.track(n).name.split(/\s+/)[0]);
      const body = { accountId: ACCOUNT_ID, clientId: CLIENT_ID, q: word, type: 'track' };
      const before = env.sim.count({ path: '/v1/search' });
      const started = Date.now();
      // All sent before any is answered: each finds the first on its way, or its answer kept for a few seconds.
      const answers = await Promise.all(Array.from({ length: 200 }, () => pick('search', body)));
      const elapsed = Date.now() - started;
      assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
      assert.ok(
        answers.every((a) => JSON.stringify(a.json) === JSON.stringify(answers[0].json)),
        'the same answer',
      );
      assert.ok(answers[0].json.items.length > 0);
      // One, unless the burst outlasted a kept answer (a very busy machine): at most one more per that time.
      const asked = env.sim.count({ path: '/v1/search' }) - before;
      assert.ok(asked >= 1 && asked <= 1 + Math.floor(elapsed / RECENT_ANSWER_MS), `${asked} searches reached Spotify in ${elapsed} ms`);
      // Another question is asked.
      const next = await pick('search', { ...body, q: `${word} ${other}` });
      assert.equal(next.status, 200);
      assert.equal(env.sim.count({ path: '/v1/search' }) - before, asked + 1);
    });
  });

  describe('standby accounts', function () {
    let dir: string;
    let store: TokenStore;
    let now: number;
    let standby: StandbyAccounts;
    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-standby-'));
      store = tokenStoreAt(path.join(dir, 'tokens.json'));
      now = 1_000_000;
      standby = new StandbyAccounts({
        store,
        now: () => now,
        open: (id, tokens, storeKey, clientSecret) =>
          new SpotifyAccount({ id, clientId: tokens.clientId, clientSecret, storeKey, tokenStorePath: '', tokenStore: store }),
      });
    });
    afterEach(function () {
      standby.clear();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const tokens = (clientId = 'client-a'): StoredTokens => ({
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresAt: now + 3_600_000,
      scope: [],
      clientId,
      authorizedAt: now,
    });

    it('opens an account with the client its tokens were issued to, and the same one again while it is used', async function () {
      const key = newStoreKey();
      await store.set('a', key, tokens('client-a'));
      const first = await standby.get('a', key, undefined);
      assert.equal(first?.config.clientId, 'client-a');
      assert.equal(await standby.get('a', key, undefined), first, 'kept for the next call');
      assert.equal((await first?.tokens.load())?.state, 'authorized');
      assert.notEqual(await standby.get('a', key, 'a secret'), first, 'another secret: another account');
      assert.equal(standby.size, 1);
      assert.equal(await standby.get('a', newStoreKey(), undefined), undefined, 'another store key: nothing stored');
      assert.equal(standby.size, 0, 'and the account it replaced is let go');
    });

    it(`lets the least recently used go beyond ${MAX_STANDBY_ACCOUNTS}, and idle ones after ${STANDBY_IDLE_MS / 60_000} minutes`, async function () {
      const key = newStoreKey();
      const ids = Array.from({ length: MAX_STANDBY_ACCOUNTS + 1 }, (_, i) => `acc-${i}`);
      for (const id of ids) await store.set(id, key, tokens());
      const opened = new Map<string, SpotifyAccount | undefined>();
      for (const id of ids) {
        opened.set(id, await standby.get(id, key, undefined));
        opened.get(id)?.tokens.on('state', () => undefined);
        now += 1000;
      }
      assert.equal(standby.size, MAX_STANDBY_ACCOUNTS);
      assert.equal(opened.get(ids[0])?.tokens.listenerCount('state'), 0, 'the oldest was let go');
      assert.equal(opened.get(ids[1])?.tokens.listenerCount('state'), 1, 'the others are kept');
      const back = await standby.get(ids[0], key, undefined);
      assert.ok(back && back !== opened.get(ids[0]), 'asked again: opened again');

      now += STANDBY_IDLE_MS - 1;
      assert.equal(await standby.get(ids[0], key, undefined), back, 'not idle long enough to go');
      assert.equal(standby.size, 1, 'those idle longer went when the next call came');
    });
  });

  describe('recent answers', function () {
    it('shares one answer among identical questions in flight and for a few seconds, then asks again', async function () {
      let now = 0;
      const answers = new RecentAnswers<number[]>(() => now);
      const owner = {};
      let asked = 0;
      let release: (n: number) => void = () => undefined;
      const ask = (): Promise<number[]> => {
        asked++;
        return new Promise<number[]>((resolve) => (release = (n) => resolve([n])));
      };
      const waiting = [answers.get(owner, 'q', ask), answers.get(owner, 'q', ask), answers.get(owner, 'q', ask)];
      assert.equal(asked, 1, 'one question in flight');
      now = 10_000; // however long the answer takes: kept from when it arrived
      release(7);
      assert.deepEqual(await Promise.all(waiting), [[7], [7], [7]]);
      now += RECENT_ANSWER_MS - 1;
      assert.equal(await answers.get(owner, 'q', ask), await waiting[0], 'the same answer');
      assert.equal(asked, 1);
      assert.notEqual(answers.get({}, 'q', ask), waiting[0], 'another account asks itself');
      assert.equal(asked, 2);
      release(8);
      now += 1;
      const again = answers.get(owner, 'q', ask);
      assert.equal(asked, 3, 'asked again once the answer is old');
      release(9);
      assert.deepEqual(await again, [9]);
    });

    it('shares a failure with those who waited for it, and keeps it for nobody else', async function () {
      const answers = new RecentAnswers<number[]>(() => 0);
      const owner = {};
      let asked = 0;
      const fail = (): Promise<number[]> => {
        asked++;
        return Promise.reject(new Error('429'));
      };
      const both = [answers.get(owner, 'q', fail), answers.get(owner, 'q', fail)];
      for (const p of both) await assert.rejects(p, /429/);
      assert.equal(asked, 1);
      assert.deepEqual(await answers.get(owner, 'q', () => Promise.resolve([5])), [5], 'the next one asks');
    });

    it('keeps no empty list: "nothing online" may change the next moment', async function () {
      const answers = new RecentAnswers<number[]>(() => 0);
      const owner = {};
      assert.deepEqual(await answers.get(owner, 'devices', () => Promise.resolve([])), []);
      assert.deepEqual(await answers.get(owner, 'devices', () => Promise.resolve([1])), [1], 'asked again');
      assert.deepEqual(await answers.get(owner, 'devices', () => Promise.resolve([2])), [1], 'a list is kept');
    });

    it('keeps a bounded number of answers per account', async function () {
      const answers = new RecentAnswers<number[]>(() => 0);
      const owner = {};
      let asked = 0;
      const ask = (): Promise<number[]> => Promise.resolve([++asked]);
      for (let i = 0; i < 100; i++) await answers.get(owner, `q${i}`, ask);
      assert.deepEqual(await answers.get(owner, 'q99', ask), [100], 'a recent one is kept');
      assert.deepEqual(await answers.get(owner, 'q0', ask), [101], 'the oldest was dropped: asked again');
    });
  });
});
