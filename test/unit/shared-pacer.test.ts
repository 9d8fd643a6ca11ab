// The app's one rate budget across processes (a real redis-server on a free port; each process is a store client
// of its own, with its own pacer), the fallback to pacing alone when Redis stops answering, and what the pacer
// learned kept over a restart, in Redis and in the state file. Waits are on conditions; the lessons are drawn on
// fake clocks where the pacer's own clock is all that counts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { fileNodeState } from '../../nodes/node-red/node-state';
import { Cooldown, Pacer, type PaceTicket } from '../../nodes/spotify/rate-limit';
import { RedisStateStore } from '../../nodes/spotify/redis-store';
import { IN_FLIGHT_MS } from '../../nodes/spotify/state-store';
import { cooldownApp } from '../../nodes/spotify/shared-cooldown';
import {
  ALONE_RETRY_MS,
  LESSON_KEEP_MS,
  SharedPacer,
  lessonKey,
  rememberPacing,
  sharePacing,
  type LessonShelf,
} from '../../nodes/spotify/shared-pacer';
import { RedisServer, startRedisOrSkip } from '../support/redis-server';

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const APP = 'https://api.example/v1 fleet-app';
const LESSON = { budget: 12, windowMs: 30_000, ceiling: 12 };

/** A request that was served: its place taken, sent, answered. */
async function serve(pacer: {
  take(): Promise<PaceTicket>;
  started(t: PaceTicket): void;
  answered(t: PaceTicket): void;
}): Promise<PaceTicket> {
  const ticket = await pacer.take();
  pacer.started(ticket);
  pacer.answered(ticket);
  return ticket;
}

describe('one rate budget per app across processes', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let raw: Redis;
  const open: RedisStateStore[] = [];
  let prefixes = 0;
  /** A process of the app: its own store client, pacer and cooldown, on the prefix of the test. */
  const process_ = (prefix: string): { store: RedisStateStore; pacer: Pacer; cooldown: Cooldown } => {
    const store = new RedisStateStore(redis.url, { prefix });
    open.push(store);
    return { store, pacer: new Pacer(), cooldown: new Cooldown() };
  };

  before(async function () {
    redis = await startRedisOrSkip(this);
    raw = new Redis(redis.url);
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  after(async () => {
    raw?.disconnect();
    await redis?.remove();
  });

  const prefix = (): string => `pace${++prefixes}:`;
  /** The Redis server's clock (epoch ms), which the shared window goes by. */
  const serverNow = async (): Promise<number> => {
    const [seconds, micros] = await raw.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };

  it('two processes admit the app’s budget together, not each: the next request waits until one leaves the window', async () => {
    const p = prefix();
    const [a, b] = [process_(p), process_(p)];
    for (const x of [a, b]) x.pacer.adopt(LESSON, 'restored');
    const [sa, sb] = [sharePacing(a.store, APP, a.pacer, a.cooldown), sharePacing(b.store, APP, b.pacer, b.cooldown)];
    const tickets: PaceTicket[] = [];
    for (let i = 0; i < LESSON.budget / 2; i++) tickets.push(await serve(sa), await serve(sb));
    assert.equal(await raw.zcard(`${p}pace:${cooldownApp(APP)}:started`), 12);

    // Each process alone would admit twelve; together they have had twelve, so the thirteenth waits.
    const abort = new AbortController();
    let admitted = false;
    const next = sb.take(abort.signal).then((t) => {
      admitted = true;
      return t;
    });
    const probe = await b.store.requestWindow.admit(cooldownApp(APP), 'probe', LESSON.budget, LESSON.windowMs, 2000);
    assert.equal(probe.admitted, false);
    assert.ok(probe.waitMs > 0 && probe.waitMs <= LESSON.windowMs, `waits until the oldest leaves (${probe.waitMs} ms)`);
    // One of A's requests goes back (not sent after all): B's probe now finds room.
    sa.release(tickets[0]);
    await until(async () => (await raw.zcard(`${p}pace:${cooldownApp(APP)}:started`)) === 11, 'the place to be given back');
    const again = await b.store.requestWindow.admit(cooldownApp(APP), 'probe', LESSON.budget, LESSON.windowMs, 2000);
    assert.equal(again.admitted, true);
    abort.abort();
    await assert.rejects(next);
    assert.equal(admitted, false, 'the waiting request was not admitted past the budget');
  });

  it('a lesson counts what every process served, reaches the others at once, and is kept in Redis', async () => {
    const p = prefix();
    const [a, b] = [process_(p), process_(p)];
    const [sa, sb] = [sharePacing(a.store, APP, a.pacer, a.cooldown), sharePacing(b.store, APP, b.pacer, b.cooldown)];
    // A's run begins in an idle window (B's, beginning in a busy one, could not tell the window's length).
    for (let i = 0; i < 6; i++) {
      await serve(sa);
      await serve(sb);
    }
    await until(async () => (await raw.zcard(`${p}pace:${cooldownApp(APP)}:served`)) === 12, 'the served notes');
    const limited = await sa.take();
    sa.started(limited);
    await sa.limited(limited, 10);
    // A served 6 of the 12: alone it would have learned nothing (fewer than MIN_LEARNED_BUDGET).
    assert.equal(a.pacer.limit()?.budget, 12);
    await until(() => b.pacer.limit()?.budget === 12, 'B to take the lesson');
    assert.equal(b.pacer.limit()?.windowMs, a.pacer.limit()?.windowMs);
    const kept = JSON.parse((await raw.get(`${p}${lessonKey(APP)}`)) ?? '{}') as { lesson?: { budget: number } };
    assert.equal(kept.lesson?.budget, 12);
    const ttl = await raw.pttl(`${p}${lessonKey(APP)}`);
    assert.ok(ttl > 0 && ttl <= LESSON_KEEP_MS, `kept with an expiry (${ttl} ms)`);
  });

  it('a process whose run began while the others were sending learns nothing from its first 429, and takes the kept lesson', async () => {
    const p = prefix();
    const [a, b] = [process_(p), process_(p)];
    const [sa, sb] = [sharePacing(a.store, APP, a.pacer, a.cooldown), sharePacing(b.store, APP, b.pacer, b.cooldown)];
    await serve(sa);
    // B starts (a restart that could not read the lesson, a new instance) into the window A is using: its first
    // request is not the oldest in Spotify's window, so the time to Retry-After is not the window's length.
    for (let i = 0; i < 12; i++) await serve(sb);
    const limited = await sb.take();
    sb.started(limited);
    await sb.limited(limited, 10);
    assert.equal(b.pacer.limit(), undefined);
    // What the app's processes keep in the store is read again at its next 429: B paces from then on.
    await raw.set(`${p}${lessonKey(APP)}`, JSON.stringify({ lesson: LESSON, keptUntil: Date.now() + LESSON_KEEP_MS }));
    const again = await sb.take();
    sb.started(again);
    await sb.limited(again, 10);
    assert.equal(b.pacer.limit()?.budget, LESSON.budget);
  });

  it('restarted, a process starts at the learned rate and waits out the last cooldown', async () => {
    const p = prefix();
    const a = process_(p);
    // Learned on a fake clock of its own; kept through the store as any lesson.
    let now = 1_000_000;
    const taught = new Pacer(() => now);
    const shelf: LessonShelf = {
      read: () => a.store.get(lessonKey(APP)),
      write: (text) => a.store.set(lessonKey(APP), text, LESSON_KEEP_MS),
    };
    await rememberPacing(shelf, taught, a.cooldown);
    for (let i = 0; i < 20; i++) await serve(taught);
    now += 10;
    taught.limited(await taught.take(), 5);
    assert.equal(taught.limit()?.budget, 20);
    a.cooldown.trip(30, false);
    await until(async () => {
      const kept = JSON.parse((await raw.get(`${p}${lessonKey(APP)}`)) ?? '{}') as { cooldown?: unknown; lesson?: unknown };
      return kept.cooldown !== undefined && kept.lesson !== undefined;
    }, 'the lesson and the cooldown to be kept');

    const restarted = process_(p);
    sharePacing(restarted.store, APP, restarted.pacer, restarted.cooldown);
    await until(() => restarted.pacer.limit()?.budget === 20, 'the lesson to be restored');
    assert.equal(restarted.pacer.limit()?.windowMs, taught.limit()?.windowMs);
    await until(() => restarted.cooldown.resumesAt() !== undefined, 'the cooldown to be restored');
    assert.ok(restarted.cooldown.remainingMs() > 20_000);
  });

  it('a request held after its admission (a cooldown) is in flight from when it goes out', async () => {
    const p = prefix();
    const a = process_(p);
    const shared = new SharedPacer(a.pacer, a.store.requestWindow, cooldownApp(APP), 2000);
    const ticket = await shared.take();
    const key = `${p}pace:${cooldownApp(APP)}:started`;
    const admitted = Number((await raw.zrange(key, '0', '0', 'WITHSCORES'))[1]) - IN_FLIGHT_MS;
    // Held meanwhile (a cooldown): in flight from the send, in the server's clock.
    await until(async () => (await serverNow()) > admitted + 1000, 'a second to pass on the server');
    shared.started(ticket);
    await until(
      async () => Number((await raw.zrange(key, '0', '0', 'WITHSCORES'))[1]) > admitted + 1000 + IN_FLIGHT_MS,
      'the place to count from the send',
    );
  });

  it('a request counts in the shared window until a window after its answer: one that arrives late lets no other in early', async () => {
    const p = prefix();
    const a = process_(p);
    const app = cooldownApp(APP);
    const key = `${p}pace:${app}:started`;
    const WINDOW = 1000;
    const sent: string[] = [];
    for (let i = 0; i < LESSON.budget; i++) {
      const answer = await a.store.requestWindow.admit(app, `m${i}`, LESSON.budget, WINDOW, 2000);
      assert.equal(answer.admitted, true);
      sent.push(`m${i}`);
    }
    const lastSent = await serverNow();
    // No answer for longer than the window since they were sent (a stall before the send, a slow network): Spotify
    // counts each from its arrival, which may be now; counted from its send, the window would let a thirteenth in.
    await until(async () => (await serverNow()) > lastSent + WINDOW, 'a window to pass on the server since the last was sent');
    const inFlight = await a.store.requestWindow.admit(app, 'early', LESSON.budget, WINDOW, 2000);
    assert.equal(inFlight.admitted, false, 'requests in flight still hold their places');
    assert.ok(inFlight.waitMs >= WINDOW, `a place frees a window after an answer at the soonest (${inFlight.waitMs} ms)`);

    const beforeAnswers = await serverNow();
    await Promise.all(sent.map((member) => a.store.requestWindow.served(app, { member, at: lastSent })));
    const scores = (await raw.zrange(key, '0', '-1', 'WITHSCORES')).filter((_, i) => i % 2 === 1).map(Number);
    assert.equal(scores.length, LESSON.budget);
    for (const score of scores) assert.ok(score >= beforeAnswers && score < beforeAnswers + IN_FLIGHT_MS, 'counted from its answer');
    // Room again once the first answer is a window old (the server says when it looked).
    const after = await a.store.requestWindow.admit(app, 'after', LESSON.budget, WINDOW, 2000);
    assert.equal(after.admitted, after.now > Math.min(...scores) + WINDOW - 1);
  });

  it('a 429 with the window full soon after the lesson lowers the app’s budget by one everywhere, not forgotten', async () => {
    const p = prefix();
    const [a, b] = [process_(p), process_(p)];
    let now = 2_000_000;
    const clock = (): number => now;
    a.pacer = new Pacer(clock);
    const [sa] = [sharePacing(a.store, APP, a.pacer, a.cooldown), sharePacing(b.store, APP, b.pacer, b.cooldown)];
    await until(async () => {
      const [, listeners] = (await raw.pubsub('NUMSUB', `${p}events`)) as [string, number];
      return Number(listeners) === 2;
    }, 'both processes to listen for lessons');
    // The lesson: 20 served in a run that began idle, then a 429.
    for (let i = 0; i < 20; i++) await serve(a.pacer);
    now += 10;
    a.pacer.limited(await a.pacer.take(), 5);
    assert.equal(a.pacer.limit()?.budget, 20);
    await until(() => b.pacer.limit()?.budget === 20, 'B to take the lesson');
    // A window and a bit later, paced, the window full again (19 served, the 20th sent), and still a 429: the
    // budget was too high for what arrived.
    now += a.pacer.limit()!.windowMs + 10;
    await serve(sa); // through the shared window: the others' part of it is known
    for (let i = 0; i < 18; i++) await serve(a.pacer);
    now += 10;
    await sa.limited(await a.pacer.take(), 1);
    assert.equal(a.pacer.limit()?.budget, 18, 'one less than was served');
    await until(() => b.pacer.limit()?.budget === 18, 'B to take the lower budget');
    await until(async () => {
      const kept = JSON.parse((await raw.get(`${p}${lessonKey(APP)}`)) ?? '{}') as { lesson?: { budget: number } };
      return kept.lesson?.budget === 18;
    }, 'the lower budget to be kept for a restart');
  });

  it('Redis frozen: a process paces alone within its share of the app’s budget, and a 429 then keeps the lesson', async () => {
    const p = prefix();
    const [a, b] = [process_(p), process_(p)];
    for (const x of [a, b]) x.pacer.adopt(LESSON, 'restored');
    const sa = new SharedPacer(a.pacer, a.store.requestWindow, cooldownApp(APP), 300);
    const sb = new SharedPacer(b.pacer, b.store.requestWindow, cooldownApp(APP), 300);
    // Half the app's window each.
    for (let i = 0; i < LESSON.budget / 2; i++) await Promise.all([serve(sa), serve(sb)]);
    redis.pause();
    try {
      // The request that finds the store away goes out; the next would take A past its half of the budget.
      const first = await sa.take();
      assert.equal(sa.alone(), true);
      sa.started(first);
      const abort = new AbortController();
      let admitted = false;
      const next = sa.take(abort.signal).then(() => (admitted = true));
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      abort.abort();
      await assert.rejects(next);
      assert.equal(admitted, false, 'B goes on sending its half meanwhile');
      // Refused anyway (B's requests were not counted here): what was learned stays, for A and for B.
      await sa.limited(first, 1);
      assert.deepEqual(a.pacer.limit(), { budget: LESSON.budget, windowMs: LESSON.windowMs });
    } finally {
      redis.resume();
    }
  });

  it('Redis frozen: requests go out paced by this process alone within the bound, saying so, and the shared window returns with Redis', async () => {
    const p = prefix();
    const a = process_(p);
    let shift = 0;
    const shared = new SharedPacer(a.pacer, a.store.requestWindow, cooldownApp(APP), 300, () => Date.now() + shift);
    const seen: boolean[] = [];
    shared.watchAlone((alone) => seen.push(alone));
    await serve(shared);
    assert.equal(shared.alone(), false);
    redis.pause();
    try {
      const ticket = await serve(shared);
      assert.equal(shared.alone(), true);
      assert.deepEqual(seen, [true]);
      // The next ones do not ask the frozen store again (each would wait the bound) until ALONE_RETRY_MS passed.
      await serve(shared);
      assert.ok(ticket.served);
    } finally {
      redis.resume();
    }
    shift += ALONE_RETRY_MS;
    await until(async () => {
      await serve(shared);
      return !shared.alone();
    }, 'the shared window to be used again');
    assert.deepEqual(seen, [true, false]);
  });
});

describe('what the first 429 teaches', () => {
  it('requests in flight when it came count toward the budget once served, while Retry-After says they arrived inside the window', async () => {
    let now = 3_000_000;
    const pacer = new Pacer(() => now);
    for (let i = 0; i < 20; i++) await serve(pacer);
    // Three more sent just before the one refused, answered after it.
    const inFlight: PaceTicket[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await pacer.take();
      pacer.started(t);
      inFlight.push(t);
    }
    now += 10;
    pacer.limited(await pacer.take(), 5);
    assert.equal(pacer.limit()?.budget, 20, 'what was served when the 429 came');
    now += 100;
    for (const t of inFlight.slice(0, 2)) pacer.answered(t);
    assert.equal(pacer.limit()?.budget, 22, 'each served: it was in the window that refused');
    assert.equal(pacer.lesson()?.ceiling, 22);
    // Answered later than Retry-After leaves certain: it may have arrived after the window freed.
    now += 5000;
    pacer.answered(inFlight[2]);
    assert.equal(pacer.limit()?.budget, 22);
  });
});

describe('what the pacer learned, kept in the state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-pace-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const shelfIn = (file: string): LessonShelf => {
    const state = fileNodeState(file);
    return { read: () => state.read<string>(lessonKey(APP)), write: (text) => state.write(lessonKey(APP), text) };
  };

  it('restored after a restart within a day, not after', async () => {
    const file = path.join(dir, 'state.json');
    let now = 5_000_000;
    const clock = (): number => now;
    const first = new Pacer(clock);
    await rememberPacing(shelfIn(file), first, new Cooldown(clock), clock);
    for (let i = 0; i < 15; i++) await serve(first);
    now += 10;
    first.limited(await first.take(), 8);
    assert.equal(first.limit()?.budget, 15);
    await until(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('"budget'), 'the lesson to be written');

    const second = new Pacer(clock);
    await rememberPacing(shelfIn(file), second, new Cooldown(clock), clock);
    assert.deepEqual(second.limit(), first.limit());

    now += LESSON_KEEP_MS;
    const third = new Pacer(clock);
    await rememberPacing(shelfIn(file), third, new Cooldown(clock), clock);
    assert.equal(third.limit(), undefined, 'a lesson older than a day is not believed');
  });
});
