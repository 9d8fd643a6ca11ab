// Pacing under Spotify's rate-limit model: the pacer learns the app's rolling window from its first 429 and keeps
// later requests inside it. First on a virtual clock against the simulator's own window model (exact counts and
// virtual time, so nothing races a busy machine), then through the nodes against the running simulator.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { Cooldown, Pacer } from '../../nodes/spotify/rate-limit';
import { RateWindow } from '../simulator/rate-window';
import { Rng } from '../simulator/prng';
import { ACCOUNT_ID, createEnv, nextMessage, type TestEnv } from '../support/env';
import { RedisServer, startRedisOrSkip } from '../support/redis-server';

interface Outcome {
  served: number;
  limited: number;
  /** Virtual ms from the first request to the last answer. */
  elapsedMs: number;
}

interface Model {
  /** The server's answer to a request arriving now: undefined to serve it, else Retry-After seconds. */
  answer(now: number): number | undefined;
}

function windowModel(budget: number, windowMs: number): Model {
  const w = new RateWindow({ budget, windowMs });
  return {
    answer(now) {
      const d = w.admit('app', 'dev', now);
      return d.ok ? undefined : d.retryAfter;
    },
  };
}

/** 429s at random, as a flaky proxy or the fault tests send them: no window behind them. */
function noiseModel(probability: number, seed: number): Model {
  const rng = Rng.of(seed, 'noise');
  return { answer: () => (rng.chance(probability) ? 1 : undefined) };
}

/**
 * `readers` nodes of one app, each with `lanes` requests in flight, each needing `requests` requests served;
 * the order of the HTTP client: a place in the window, then the cooldown, then the send.
 */
async function run(
  clock: sinon.SinonFakeTimers,
  model: Model,
  opts: { readers: number; lanes: number; requests: number; latencyMs: number; pacer?: Pacer },
): Promise<Outcome> {
  const pacer = opts.pacer ?? new Pacer();
  const cooldown = new Cooldown();
  const start = Date.now();
  let served = 0;
  let limited = 0;
  let last = start;
  const lane = async (left: { n: number }) => {
    while (left.n > 0) {
      left.n--;
      for (;;) {
        const ticket = await pacer.take();
        await cooldown.wait(Number.POSITIVE_INFINITY);
        pacer.started(ticket);
        await new Promise((r) => setTimeout(r, opts.latencyMs / 2));
        const retryAfter = model.answer(Date.now());
        await new Promise((r) => setTimeout(r, opts.latencyMs / 2));
        last = Date.now();
        if (retryAfter === undefined) {
          pacer.answered(ticket);
          served++;
          break;
        }
        limited++;
        cooldown.trip(retryAfter, false);
        pacer.limited(ticket, retryAfter);
      }
    }
  };
  const all: Promise<void>[] = [];
  for (let r = 0; r < opts.readers; r++) {
    const left = { n: opts.requests };
    for (let l = 0; l < opts.lanes; l++) all.push(lane(left));
  }
  let finished = false;
  void Promise.all(all).then(() => (finished = true));
  while (!finished) await clock.tickAsync(50);
  return { served, limited, elapsedMs: last - start };
}

describe('pacing on a virtual clock, against the rolling-window model', function () {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] })));
  afterEach(() => clock.restore());

  // A 30-second window with 180 requests (6 a second); the requests far outrun it (4 lanes at 50 ms = 80 a second).
  const BUDGET = 180;
  const WINDOW_MS = 30_000;
  const allowedIn = (ms: number) => (BUDGET * ms) / WINDOW_MS;

  it('reads 20,000 playlist items (400 pages) at >= 90 % of the allowed rate with <= 1 % answered 429', async function () {
    const out = await run(clock, windowModel(BUDGET, WINDOW_MS), { readers: 1, lanes: 4, requests: 400, latencyMs: 50 });
    assert.equal(out.served, 400);
    assert.ok(out.limited <= 0.01 * (out.served + out.limited), `${out.limited} of ${out.served + out.limited} answered 429`);
    // The first window is spent at once, so the rate is judged on the windows after it.
    assert.ok(out.served - BUDGET >= 0.9 * allowedIn(out.elapsedMs - WINDOW_MS), `${out.served} served in ${out.elapsedMs} virtual ms`);
  });

  it('keeps three nodes of one app at once (12 in flight, 1,200 pages) inside the window', async function () {
    const out = await run(clock, windowModel(BUDGET, WINDOW_MS), { readers: 3, lanes: 4, requests: 400, latencyMs: 50 });
    assert.equal(out.served, 1200);
    assert.ok(out.limited <= 0.01 * (out.served + out.limited), `${out.limited} of ${out.served + out.limited} answered 429`);
    assert.ok(out.served - BUDGET >= 0.9 * allowedIn(out.elapsedMs - WINDOW_MS), `${out.served} served in ${out.elapsedMs} virtual ms`);
  });

  it('saves 2,000 tracks to the library (40 ordered batches) after a read spent the window, without a 429 of its own', async function () {
    const pacer = new Pacer();
    const model = windowModel(BUDGET, WINDOW_MS);
    const read = await run(clock, model, { readers: 1, lanes: 4, requests: 400, latencyMs: 50, pacer });
    const save = await run(clock, model, { readers: 1, lanes: 1, requests: 40, latencyMs: 50, pacer });
    assert.equal(read.served + save.served, 440);
    assert.equal(save.limited, 0, 'the saves go at the pace learned by the read');
  });

  it('a request answered late keeps its place until a window after its answer, however late it arrived', async function () {
    // Learned: 10 per 2 s. Ten go out at once; one is slow (a busy machine, a slow network): Spotify counts it when
    // it arrives, up to its answer, so the window it fills ends a window after that answer, not after its start.
    const pacer = new Pacer();
    pacer.adopt({ budget: 10, windowMs: 2000, ceiling: 10 }, 'restored');
    const tickets = [];
    for (let i = 0; i < 10; i++) {
      const t = await pacer.take();
      pacer.started(t);
      tickets.push(t);
    }
    const [slow, ...quick] = tickets;
    for (const t of quick) pacer.answered(t);
    let next = false;
    void pacer.take().then(() => (next = true));
    await clock.tickAsync(1500);
    pacer.answered(slow); // answered 1.5 s after it went out
    await clock.tickAsync(1000); // a window after the others' start and answer, but not after the slow one's answer
    assert.equal(next, false, 'the slow one still fills the window');
    await clock.tickAsync(1100); // a window after its answer (at 3.5 s)
    assert.equal(next, true, 'its place is free a window after its answer');
  });

  it('learns nothing that would make it crawl from 429s that come at random', async function () {
    // The same load under random 429s (a third of the requests), with and without a pacer that could learn.
    const paced = await run(clock, noiseModel(0.33, 1), { readers: 3, lanes: 4, requests: 100, latencyMs: 50 });
    const neverPaced = new Pacer();
    neverPaced.limited = () => undefined;
    const unpaced = await run(clock, noiseModel(0.33, 1), { readers: 3, lanes: 4, requests: 100, latencyMs: 50, pacer: neverPaced });
    assert.equal(paced.served, 300);
    assert.ok(paced.elapsedMs <= 1.5 * unpaced.elapsedMs, `paced ${paced.elapsedMs} virtual ms, unpaced ${unpaced.elapsedMs}`);
  });
});

describe('pacing through the nodes, against the simulator rate limit', function () {
  this.timeout(120_000);
  let env: TestEnv;
  afterEach(async () => env?.close());

  it('two nodes read 5,000 playlist items at once in a 20-per-2-s window: every item, no error, few 429s', async function () {
    env = await createEnv({ data: { playlistSizes: [2500, 2500] } });
    await env.load([
      env.accountNode(),
      { id: 'a', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, output: 'array', wires: [['out-a']] },
      { id: 'b', type: 'spotify-playlist-tracks', account: ACCOUNT_ID, output: 'array', wires: [['out-b']] },
      { id: 'out-a', type: 'helper' },
      { id: 'out-b', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await env.authorize();
    const [p1, p2] = env.sim.state.playlists.filter((p) => p.items.length === 2500);
    const errors: unknown[] = [];
    env.node('caught').on('input', (m: unknown) => errors.push(m));
    env.sim.clearRequests();
    // Scaled down from Spotify's 30 s so the test is quick; the pacer is told nothing about it.
    env.sim.setRateLimit({ budget: 20, windowMs: 2000 });
    const outA = nextMessage(env.node('out-a'), 110_000);
    const outB = nextMessage(env.node('out-b'), 110_000);
    env.node('a').receive({ playlist: p1.id });
    env.node('b').receive({ playlist: p2.id });
    const [a, b] = await Promise.all([outA, outB]);
    assert.deepEqual(errors, []);
    assert.equal((a.payload as unknown[]).length, 2500);
    assert.equal((b.payload as unknown[]).length, 2500);
    const api = env.sim.requests.filter((r) => r.kind === 'api');
    const limited = api.filter((r) => r.status === 429).length;
    console.log(`      pacing: ${api.length} requests, ${limited} answered 429`);
    assert.equal(api.length - limited, 100, 'one request per page of 50');
    // The 8 requests in flight when the window first fills come back 429 (that overrun is the lesson), and maybe
    // a few answered late at the window's edge. Without pacing more than a third are: every window ends with a
    // burst of both nodes' requests.
    assert.ok(limited <= 12, `${limited} of ${api.length} answered 429`);
  });
});

describe('pacing with a Redis store that stops answering', function () {
  this.timeout(120_000);
  let env: TestEnv | undefined;
  let redis: RedisServer | undefined;

  before(async function () {
    redis = await startRedisOrSkip(this);
  });

  after(async () => {
    await env?.close();
    await redis?.remove();
  });

  it('Redis frozen: the request goes out paced by this instance alone, its node says so, and the answer comes', async function () {
    const server = redis as RedisServer;
    env = await createEnv({ settings: { store: { redis: server.url } } });
    await env.load([
      env.accountNode(),
      { id: 'p', type: 'spotify-get-playlists', account: ACCOUNT_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    await env.authorize();
    const first = nextMessage(env.node('out'));
    env.node('p').receive({});
    await first;
    const texts = (): string[] => statusCalls(env?.node('p')).map((s) => s.text ?? '');
    assert.ok(!texts().includes('paced alone: state store unavailable'), 'not while Redis answers');

    server.pause();
    try {
      const answer = nextMessage(env.node('out'), 20_000);
      env.node('p').receive({});
      assert.ok(Array.isArray((await answer).payload));
    } finally {
      server.resume();
    }
    assert.ok(texts().includes('paced alone: state store unavailable'), texts().join(' | '));
  });
});

function statusCalls(node: unknown): { text?: string }[] {
  const spy = (node as { status: { getCalls(): { args: unknown[] }[] } }).status;
  return spy.getCalls().map((c) => c.args[0] as { text?: string });
}
