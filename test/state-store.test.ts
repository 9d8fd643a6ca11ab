// The state store on its own: Redis (a real redis-server on a free port) for compare-and-set, the lock and its
// expiry, events between two clients, and a store that goes away and comes back; and the token store on top of
// it, whose entries are the same ciphertext as the token file's.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { KeyValueTokenStore } from '../nodes/spotify/kv-token-store';
import { RedisStateStore, redisLabel } from '../nodes/spotify/redis-store';
import { StoreUnavailableError, type StoreEvent } from '../nodes/spotify/state-store';
import { newStoreKey, type StoredTokens } from '../nodes/spotify/token-store';
import { RedisServer, redisServerPath } from './support/redis-server';

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const TOKENS: StoredTokens = {
  accessToken: 'access-secret-1',
  refreshToken: 'refresh-secret-1',
  expiresAt: 1_900_000_000_000,
  scope: ['user-read-private'],
  clientId: 'client',
  displayName: 'Listener',
  authorizedAt: 1_800_000_000_000,
};

describe('the Redis state store', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  const open: RedisStateStore[] = [];
  const store = (prefix = 'unit:'): RedisStateStore => {
    const s = new RedisStateStore(redis.url, { prefix, lockPollMs: 5 });
    open.push(s);
    return s;
  };

  before(async function () {
    const binary = redisServerPath();
    if (!binary) {
      if (process.env.CI === 'true') throw new Error('redis-server is required with CI=true (scripts/install-test-deps.sh redis)');
      console.log('      SKIPPED: no redis-server on this machine (scripts/install-test-deps.sh redis says how to get one)');
      this.skip();
    }
    redis = new RedisServer(binary);
    await redis.start();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  after(async () => {
    await redis?.remove();
  });

  it('names the store without the password of its address', () => {
    assert.equal(redisLabel('redis://user:hunter2@cache.example:6380/2'), 'Redis store at redis://cache.example:6380/2');
    assert.equal(redisLabel('rediss://:pw@cache.example'), 'Redis store at rediss://cache.example');
  });

  it('compare-and-set moves a value once, from absent or from what was read', async () => {
    const [a, b] = [store(), store()];
    assert.equal(await a.compareAndSet('cas', undefined, '1'), true);
    assert.equal(await b.compareAndSet('cas', undefined, '2'), false, 'no longer absent');
    const results = await Promise.all([a.compareAndSet('cas', '1', 'a'), b.compareAndSet('cas', '1', 'b')]);
    assert.deepEqual(results.filter(Boolean), [true], 'exactly one of two processes wins');
    assert.ok(['a', 'b'].includes((await a.get('cas')) ?? ''));
    await a.set('cas', undefined);
    assert.equal(await b.get('cas'), undefined);
  });

  it('the lock lets one holder at a time, across clients, and expires when its holder never lets go', async () => {
    const [a, b] = [store(), store()];
    let inside = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
    };
    await Promise.all([a, b, a, b, a, b].map((s) => s.withLock('l', 10_000, work)));
    assert.equal(most, 1);

    // A holder that died: its lock (taken directly, never released) frees itself after its expiry.
    const c = store();
    let held = false;
    const stuck = c.withLock('dead', 300, async () => {
      held = true;
      await new Promise(() => undefined); // never settles: the holder hangs
    });
    void stuck;
    await until(() => held, 'the first holder');
    let second = false;
    await b.withLock('dead', 300, async () => {
      second = true;
      return Promise.resolve();
    });
    assert.equal(second, true);
  });

  it('a live holder keeps the lock past its lease; one that dies frees it within a lease, long before its ttl', async () => {
    const options = { prefix: 'lease:', lockPollMs: 5, lockLeaseMs: 1500 };
    const [a, b] = [new RedisStateStore(redis.url, options), new RedisStateStore(redis.url, options)];
    open.push(a, b);
    const raw = new Redis(redis.url);
    try {
      let holding = false;
      void a.withLock('refresh', 60_000, () => {
        holding = true;
        return new Promise<never>(() => undefined); // works on, then dies without letting go
      });
      await until(() => holding, 'the first holder');
      let second = false;
      const waiting = b.withLock('refresh', 60_000, () => {
        second = true;
        return Promise.resolve();
      });
      // Renewed while the holder lives: its time to live climbs back up again and again, never above the lease.
      let renewals = 0;
      let last = Infinity;
      while (renewals < 3) {
        const ttl = await raw.pttl('lease:lock:refresh');
        assert.ok(ttl > 0 && ttl <= 1500, `a lease of at most 1.5 s, not the 60 s the holder may take: ${ttl}`);
        if (ttl > last) renewals++;
        last = ttl;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(second, false, 'the waiter waits while the holder lives');
      await a.close(); // the holder's process is gone: nobody renews
      await waiting;
      assert.equal(second, true);
    } finally {
      raw.disconnect();
    }
  });

  it('events reach the other clients, not the one that published', async () => {
    const [a, b] = [store(), store()];
    const got: Record<string, StoreEvent[]> = { a: [], b: [] };
    a.subscribe((e) => got.a.push(e));
    b.subscribe((e) => got.b.push(e));
    // The subscription is made in the background: publish until it is in place.
    await until(() => {
      void a.publish({ type: 'tokens', accountId: 'x' });
      return got.b.length > 0;
    }, 'an event at b');
    assert.deepEqual(got.b[0], { type: 'tokens', accountId: 'x' });
    assert.deepEqual(got.a, []);
  });

  it('unreachable: every operation fails at once naming the store; when Redis returns it works again and says so', async () => {
    const outages: StoreUnavailableError[] = [];
    const s = new RedisStateStore(redis.url, { prefix: 'down:', connectWaitMs: 200, onOutage: (e) => outages.push(e) });
    open.push(s);
    let recovered = 0;
    s.onRecovered(() => recovered++);
    await s.set('k', 'before');
    await redis.stop('SIGKILL');
    await assert.rejects(s.get('k'), (err: Error) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.match(err.message, /^The Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(.*\): the pack retries by itself/);
      return true;
    });
    await assert.rejects(s.compareAndSet('k', 'before', 'half'), StoreUnavailableError);
    assert.equal(outages.length, 1, 'one log line per outage');
    await redis.start();
    await until(() => recovered === 1, 'the store to report its recovery');
    assert.equal(await s.get('k'), 'before', 'nothing lost, nothing half-written');
  });

  it('the token store keeps the token file’s ciphertext, opens it only with the key, and moves entries in only where none is', async () => {
    const s = store('tokens:');
    const tokens = new KeyValueTokenStore(s);
    const key = newStoreKey();
    await tokens.set('acc', key, TOKENS);
    const raw = (await s.get('tokens:acc')) ?? '';
    assert.deepEqual(Object.keys(JSON.parse(raw) as object).sort(), ['data', 'iv', 'tag']);
    for (const secret of ['access-secret-1', 'refresh-secret-1', 'Listener']) assert.ok(!raw.includes(secret));
    assert.deepEqual(await tokens.get('acc', key), TOKENS);
    assert.equal(await tokens.get('acc', newStoreKey()), undefined, 'another key opens nothing');
    assert.equal(typeof tokens.exclusive, 'function', 'a shared store serializes refreshes');

    const entry = JSON.parse(raw) as { iv: string; tag: string; data: string };
    assert.equal(await tokens.adopt({ acc: { ...entry, data: 'overwritten' }, other: entry }), 1, 'only the absent one');
    assert.deepEqual(await tokens.get('acc', key), TOKENS);
    await tokens.delete('acc');
    assert.equal(await tokens.get('acc', key), undefined);
  });
});
