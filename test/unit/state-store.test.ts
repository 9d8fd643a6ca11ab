// The state store on its own: Redis (a real redis-server on a free port) for compare-and-set, the lock and its
// expiry, events between two clients, and a store that goes away and comes back; the token store on top of it,
// whose entries are the same ciphertext as the token file's; and the state file carried over into it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { storeNodeState } from '../../nodes/node-red/node-state';
import { CARRIED_MARK, carryOverStateFile } from '../../nodes/node-red/state-carry-over';
import { KeyValueTokenStore } from '../../nodes/spotify/kv-token-store';
import { Cooldown } from '../../nodes/spotify/rate-limit';
import { DEFAULT_LOCK_LEASE_MS, RedisStateStore, redisLabel } from '../../nodes/spotify/redis-store';
import { cooldownApp, cooldownKey, shareCooldown } from '../../nodes/spotify/shared-cooldown';
import { KEEP_MS, StoreUnavailableError, type StoreEvent } from '../../nodes/spotify/state-store';
import { newStoreKey, type StoredTokens } from '../../nodes/spotify/token-store';
import { startFakeRedis } from '../support/fake-redis';
import { RedisServer, startRedisOrSkip } from '../support/redis-server';

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

  /** A store whose outages and recoveries are counted. */
  const watched = (
    prefix: string,
    timeoutMs: number,
  ): { s: RedisStateStore; seen: { outages: StoreUnavailableError[]; recovered: number } } => {
    const seen = { outages: [] as StoreUnavailableError[], recovered: 0 };
    const s = new RedisStateStore(redis.url, { prefix, timeoutMs, onOutage: (e) => seen.outages.push(e) });
    open.push(s);
    s.onRecovered(() => seen.recovered++);
    return { s, seen };
  };

  before(async function () {
    redis = await startRedisOrSkip(this);
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
    const { s, seen } = watched('down:', 200);
    await s.set('k', 'before');
    await redis.stop('SIGKILL');
    await assert.rejects(s.get('k'), (err: Error) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.match(err.message, /^The Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(.*\): the pack retries by itself/);
      return true;
    });
    await assert.rejects(s.compareAndSet('k', 'before', 'half'), StoreUnavailableError);
    assert.equal(seen.outages.length, 1, 'one log line per outage');
    await redis.start();
    await until(() => seen.recovered === 1, 'the store to report its recovery');
    assert.equal(await s.get('k'), 'before', 'nothing lost, nothing half-written');
  });

  it('frozen (SIGSTOP, connections open): every operation fails naming the store; nothing sent meanwhile is applied late; SIGCONT brings it back', async () => {
    // A short timeout keeps the test quick; what is asserted is the error, not how soon it came.
    const { s, seen } = watched('frozen:', 1000);
    await s.set('k', 'before');
    assert.equal(await s.compareAndSet('cursor', undefined, 'v1'), true);
    redis.pause();
    try {
      const silent = /The Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(no answer within 1 s\): the pack retries by itself/;
      await assert.rejects(s.get('k'), silent);
      await assert.rejects(s.set('k', 'during'), silent);
      await assert.rejects(s.compareAndSet('cursor', 'v1', 'v2'), silent);
      let ran = false;
      await assert.rejects(
        s.withLock('frozen', 60_000, async () => {
          ran = true;
          return Promise.resolve();
        }),
        silent,
      );
      assert.equal(ran, false);
      assert.equal(seen.outages.length, 1, 'one log line per outage');
    } finally {
      redis.resume();
    }
    // Redis works through what it was sent while frozen: the cursor and the lock, reported as failed, stay as they were.
    assert.equal(await s.get('cursor'), 'v1', 'the compare-and-set that timed out was not applied later');
    assert.equal(seen.recovered, 1, 'the store reports that it answers again');
    assert.equal(await s.get('lock:frozen'), undefined, 'the lock that timed out was not taken later');
    assert.equal(await s.get('k'), 'during', 'a plain write that timed out may land late (a token write must)');
    assert.equal(await s.compareAndSet('cursor', 'v1', 'v2'), true);
  });

  it('a lease renewal sent while Redis is frozen is not applied when it wakes up: a holder that died meanwhile does not keep the lock', async () => {
    const lease = 4000;
    const outages: StoreUnavailableError[] = [];
    const holder = new RedisStateStore(redis.url, {
      prefix: 'late-renewal:',
      timeoutMs: 1000,
      lockLeaseMs: lease,
      onOutage: (e) => outages.push(e),
    });
    open.push(holder);
    const raw = new Redis(redis.url);
    try {
      let holding = false;
      void holder.withLock('refresh', 60_000, () => {
        holding = true;
        return new Promise<never>(() => undefined); // works on until its process goes
      });
      await until(() => holding, 'the holder');
      // A renewal that succeeded: the lease climbs back to its full length.
      let last = await raw.pttl('late-renewal:lock:refresh');
      for (;;) {
        await new Promise((r) => setTimeout(r, 20));
        const ttl = await raw.pttl('late-renewal:lock:refresh');
        if (ttl > last) break;
        last = ttl;
      }
      redis.pause();
      try {
        // The next renewal is sent into the frozen server and times out; then the holder's process goes.
        await until(() => outages.length > 0, 'a renewal to time out');
        await holder.close();
      } finally {
        redis.resume();
      }
      const ttl = await raw.pttl('late-renewal:lock:refresh');
      // Renewed late it would have a fresh lease (about 4 s); refused, it keeps what the last renewal in time left.
      assert.ok(ttl < lease - 500, `the lease was not renewed after the holder reported it failed (${ttl} ms left)`);
    } finally {
      raw.disconnect();
    }
  });

  it('every key it writes expires: values after KEEP_MS (renewed by the reads that ask), shorter ones when told', async () => {
    const s = store('ttl:');
    const raw = new Redis(redis.url);
    try {
      await s.set('token', 'x');
      assert.ok((await raw.pttl('ttl:token')) > KEEP_MS - 60_000, 'a value lives KEEP_MS');
      await s.set('cooldown', 'x', 5000);
      const short = await raw.pttl('ttl:cooldown');
      assert.ok(short > 0 && short <= 5000, `a value written with its own TTL keeps it (${short})`);
      assert.equal(await s.compareAndSet('cursor', undefined, 'x'), true);
      assert.ok((await raw.pttl('ttl:cursor')) > KEEP_MS - 60_000, 'a compare-and-set too');
      await raw.pexpire('ttl:cursor', 1000);
      await s.get('cursor');
      assert.ok((await raw.pttl('ttl:cursor')) <= 1000, 'a plain read leaves the expiry alone');
      await s.get('cursor', KEEP_MS);
      assert.ok((await raw.pttl('ttl:cursor')) > KEEP_MS - 60_000, 'a read that asks renews it');
      let held = -2;
      await s.withLock('l', 30_000, async () => {
        held = await raw.pttl('ttl:lock:l');
      });
      assert.ok(held > 0 && held <= DEFAULT_LOCK_LEASE_MS, 'the lock has its lease, not the 30 s it may be held');
    } finally {
      raw.disconnect();
    }
  });

  it('a value larger than the bound is neither written nor read into memory', async () => {
    const s = new RedisStateStore(redis.url, { prefix: 'big:', maxValueBytes: 1000 });
    open.push(s);
    await assert.rejects(
      s.set('v', 'x'.repeat(1001)),
      /the value for big:v is 1001 bytes, more than the 1000 bytes the pack stores\): it was not written/,
    );
    const raw = new Redis(redis.url);
    try {
      await raw.set('big:v', 'y'.repeat(5000));
    } finally {
      raw.disconnect();
    }
    await assert.rejects(s.get('v'), /the value under big:v is 5000 bytes, more than the 1000 bytes the pack reads\): it was left unread/);
    await s.set('v', 'small');
    assert.equal(await s.get('v'), 'small');
  });

  it('a server at the Redis address that answers with a huge reply: refused before it is read whole, naming the store and the limit', async () => {
    const fake = await startFakeRedis(300 * 1024 * 1024);
    const outages: StoreUnavailableError[] = [];
    const s = new RedisStateStore(fake.url, { onOutage: (e) => outages.push(e) });
    try {
      await assert.rejects(s.get('tokens:acc'), (err: Error) => {
        assert.ok(err instanceof StoreUnavailableError);
        assert.match(
          err.message,
          /^The Redis store at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(a reply larger than 16 MiB was refused\)/,
        );
        return true;
      });
      assert.ok(fake.commands.includes('EVALSHA') || fake.commands.includes('EVAL'), fake.commands.join(' '));
      assert.ok(fake.sentBytes() < 300 * 1024 * 1024, 'the client hung up before the end of the reply');
      assert.equal(outages.length, 1);
    } finally {
      await s.close();
      await fake.close();
    }
  });

  it('a cooldown end forged into Redis (SET without expiry, PUBLISH) is capped, named in the error, and the key expires with the cap', async () => {
    const s = store('cool:');
    const raw = new Redis(redis.url);
    const in2099 = Date.parse('2099-01-01T00:00:00Z');
    try {
      // Written straight into Redis, as an attacker or a broken tool would: no expiry, an end in 2099.
      const stored = `cool:${cooldownKey('api app-1')}`;
      await raw.set(stored, JSON.stringify({ until: in2099, quota: false }));
      const first = new Cooldown();
      first.maxMs = 2000;
      shareCooldown(s, 'api app-1', first);
      await until(() => first.resumesAt() !== undefined, 'the stored end to be read');
      assert.ok(first.remainingMs() <= 2000, `capped: ${first.remainingMs()} ms`);
      assert.match(
        first.error().message,
        /more than the longest cooldown the pack keeps \(2 s, setting spotifyAccount\.maxCooldownSeconds\)/,
      );
      let ttl = -1;
      await until(() => {
        void raw.pttl(stored).then((t) => (ttl = t));
        return ttl > 0;
      }, 'the stored end to be cut back, with an expiry');
      assert.ok(ttl <= 2000, `expires with the cap (${ttl} ms)`);
      assert.ok((JSON.parse((await raw.get(stored)) ?? '{}') as { until: number }).until < Date.now() + 2001);
      let gone = false;
      await until(() => {
        void raw.exists(stored).then((n) => (gone = n === 0));
        return gone;
      }, 'the key to expire');

      // Published to every instance: capped the same way.
      const second = new Cooldown();
      second.maxMs = 2000;
      shareCooldown(s, 'api app-2', second);
      const event = JSON.stringify({
        origin: 'forger',
        event: { type: 'cooldown', app: cooldownApp('api app-2'), until: in2099, quota: false },
      });
      await until(() => {
        void raw.publish('cool:events', event);
        return second.resumesAt() !== undefined;
      }, 'the published end to arrive');
      assert.ok(second.remainingMs() <= 2000, `capped: ${second.remainingMs()} ms`);
    } finally {
      raw.disconnect();
    }
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

  it('the state file is carried over once: two instances starting together copy each entry once, a newer one in the store stays, the file is marked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-carry-'));
    try {
      // Two machines with the same state file (one installation copied), switched to one Redis at once.
      const entries = {
        'new-plays:trig': { after: 1_700_000_000_000 },
        'recently-played:rp': { after: 1_700_000_001_000 },
        'playlist-changed:pc': { playlists: { p1: { snapshot: 's1', uris: ['spotify:track:1'] } } },
      };
      const files = ['a', 'b'].map((name) => {
        const file = path.join(dir, name, 'tunewire-state.json');
        fs.mkdirSync(path.dirname(file));
        fs.writeFileSync(file, JSON.stringify(entries));
        return file;
      });
      const [a, b] = [store('carry:'), store('carry:')];
      // One node already runs on Redis and moved its cursor on: the file's older one must not replace it.
      await storeNodeState(a).write('recently-played:rp', { after: 1_700_000_009_000 });
      const results = await Promise.all([
        carryOverStateFile(files[0], a, storeNodeState(a)),
        carryOverStateFile(files[1], b, storeNodeState(b)),
      ]);
      assert.deepEqual(results.map((r) => r?.count).sort(), [0, 2], `one copies, the other finds them there: ${JSON.stringify(results)}`);
      assert.deepEqual(results.find((r) => r?.count === 2)?.kinds, { 'new-plays': 1, 'playlist-changed': 1 });
      const state = storeNodeState(b);
      assert.deepEqual(await state.read('new-plays:trig'), entries['new-plays:trig']);
      assert.deepEqual(await state.read('playlist-changed:pc'), entries['playlist-changed:pc']);
      assert.deepEqual(await state.read('recently-played:rp'), { after: 1_700_000_009_000 }, 'the newer cursor stays');
      for (const file of files) {
        const marked = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
        assert.match(JSON.stringify(marked[CARRIED_MARK]), /Redis store at redis:\/\/127\.0\.0\.1:\d+/, 'the file says where they went');
        delete marked[CARRIED_MARK];
        assert.deepEqual(marked, entries, 'and is otherwise left as it was');
      }
      // Later: the node ran on, then its key went (a Redis emptied, the node removed): the marked file brings nothing back.
      await state.write('new-plays:trig', undefined);
      assert.equal(await carryOverStateFile(files[0], a, storeNodeState(a)), undefined);
      assert.equal(await state.read('new-plays:trig'), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
