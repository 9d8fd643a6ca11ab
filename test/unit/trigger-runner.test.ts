// The trigger runner and its poller on fake timers, with a stand-in node and account (no Node-RED, no
// simulator): the backoff after failures, a close while a poll is in flight, what reaches Catch nodes and the
// status, authorization lost and regained, and the claim in a shared store.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import sinon from 'sinon';
import type { Node, NodeAPI, NodeMessage, NodeStatus } from 'node-red';
import type { NodeStateStore } from '../../nodes/node-red/node-state';
import type { ResolvedPackSettings } from '../../nodes/node-red/pack-settings';
import { Poller } from '../../nodes/node-red/poller';
import { TriggerRunner, type PollContext } from '../../nodes/node-red/trigger-runner';
import type { SpotifyAccount } from '../../nodes/spotify/account';
import type { AuthorizationState } from '../../nodes/spotify/authorization-state';
import type { AuthorizationStatus } from '../../nodes/spotify/token-manager';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import { clock as wallClock } from '../../nodes/spotify/local-time';
import type { PollOutcome } from '../../nodes/node-red/poller';

/** A poll that waits for its signal: it rejects when the poller aborts it, as a request does. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
}

describe('the poller', function () {
  let clock: sinon.SinonFakeTimers;
  beforeEach(function () {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(function () {
    clock.restore();
  });

  it('waits twice as long after each failure in a row, at most eight intervals, and after a success starts over', async function () {
    const calls: number[] = [];
    const failures: number[] = [];
    const poller = new Poller({
      intervalMs: 100,
      poll: () => {
        calls.push(Date.now());
        // Five failures, a success, one more failure, then successes.
        return calls.length <= 5 || calls.length === 7 ? Promise.reject(new Error('network down')) : Promise.resolve({ text: 'ok' });
      },
      onSuccess: () => undefined,
      onFailure: (_err, consecutive) => failures.push(consecutive),
    });
    poller.start(0);
    while (calls.length < 9) await clock.tickAsync(50);
    await poller.close();
    const gaps = calls.slice(1).map((at, i) => at - calls[i]);
    assert.deepEqual(gaps.slice(0, 8), [100, 200, 400, 800, 800, 100, 100, 100]);
    assert.deepEqual(failures, [1, 2, 3, 4, 5, 1], 'a success starts the count again');
  });

  it('a close while a poll is in flight aborts it, reports nothing of it, releases the callers waiting and polls no more', async function () {
    let polls = 0;
    let seen: AbortSignal | undefined;
    const heard: string[] = [];
    const poller = new Poller({
      intervalMs: 100,
      poll: (signal) => {
        polls++;
        seen = signal;
        return untilAborted(signal);
      },
      onSuccess: () => heard.push('success'),
      onFailure: () => heard.push('failure'),
    });
    poller.start(0);
    await clock.tickAsync(0);
    assert.equal(polls, 1);
    const asked = poller.pollNow(); // waits for the poll after the one in flight
    await poller.close(); // settles with the aborted poll: no wait on the clock
    await asked;
    assert.equal(seen?.aborted, true);
    assert.equal(poller.phase, 'closed');
    await poller.pollNow();
    await clock.tickAsync(10_000); // a hundred intervals
    assert.equal(polls, 1, 'no poll after close, asked for or scheduled');
    assert.deepEqual(heard, [], 'the abandoned poll is neither a success nor a failure');
  });

  it('a poll that ignores the abort holds close up only a few seconds', async function () {
    const poller = new Poller({
      intervalMs: 100,
      poll: () => new Promise<PollOutcome>(() => undefined),
      onSuccess: () => undefined,
      onFailure: () => undefined,
    });
    poller.start(0);
    await clock.tickAsync(0);
    let closed = false;
    const closing = poller.close().then(() => (closed = true));
    await clock.tickAsync(4_999);
    assert.equal(closed, false);
    await clock.tickAsync(1);
    await closing;
    assert.equal(closed, true);
  });
});

interface Heard {
  sent: NodeMessage[][];
  errors: { text: string; msg: NodeMessage }[];
  statuses: NodeStatus[];
}

/** A node as the runner uses it: events for input and close, and what it sends, reports and shows. */
function standInNode(): Node & Heard {
  const node = new EventEmitter() as EventEmitter & Heard & Record<string, unknown>;
  node.sent = [];
  node.errors = [];
  node.statuses = [];
  node.id = 'trig';
  node.send = (msgs: NodeMessage[][]) => node.sent.push(msgs[0]);
  node.error = (text: string, msg: NodeMessage) => node.errors.push({ text, msg });
  node.status = (s: NodeStatus) => node.statuses.push(s);
  node.warn = () => undefined;
  return node as unknown as Node & Heard;
}

/** The account's tokens: authorized until told otherwise; set() announces a new state as the account does. */
class StandInTokens extends EventEmitter {
  state: AuthorizationState = 'authorized';
  status(): AuthorizationStatus {
    return { state: this.state, scopes: [] };
  }
  load(): Promise<AuthorizationStatus> {
    return Promise.resolve(this.status());
  }
  set(state: AuthorizationState): void {
    this.state = state;
    this.emit('state', this.status());
  }
}

/** A state store in memory; `shared` makes the runner hold messages until it has claimed the state. */
class StandInStore implements NodeStateStore {
  readonly values = new Map<string, unknown>();
  reads = 0;
  writes = 0;
  /** Another process moves the state first at the next claim. */
  loseNextClaim = false;
  constructor(readonly shared: boolean) {}
  read<T>(key: string): Promise<T | undefined> {
    this.reads++;
    return Promise.resolve(this.values.get(key) as T | undefined);
  }
  write(key: string, value: unknown): Promise<void> {
    this.writes++;
    this.values.set(key, value);
    return Promise.resolve();
  }
  claim(key: string, _expected: unknown, next: unknown): Promise<boolean> {
    if (this.loseNextClaim) {
      this.loseNextClaim = false;
      this.values.set(key, { seen: 99 });
      return Promise.resolve(false);
    }
    this.values.set(key, next);
    return Promise.resolve(true);
  }
}

interface Counted {
  seen: number;
}

function runner(poll: (ctx: PollContext<Counted>) => Promise<PollOutcome>, opts: { shared?: boolean } = {}) {
  const node = standInNode();
  const tokens = new StandInTokens();
  const store = new StandInStore(opts.shared ?? false);
  const RED = { util: { cloneMessage: <T>(m: T): T => structuredClone(m) } } as unknown as NodeAPI;
  const account = { tokens } as unknown as SpotifyAccount;
  new TriggerRunner<Counted>(RED, node, {
    account,
    settings: {} as ResolvedPackSettings,
    nodeState: store,
    stateKey: 'test:trig',
    intervalMs: 1000,
    firstRun: 'remember',
    poll,
  }).start();
  const close = (removed = false): Promise<void> => new Promise((done) => node.emit('close', removed, done));
  const input = (msg: NodeMessage): Promise<void> => new Promise((done) => node.emit('input', msg, () => undefined, done));
  return { node, tokens, store, close, input };
}

describe('the trigger runner', function () {
  let clock: sinon.SinonFakeTimers;
  beforeEach(function () {
    clock = sinon.useFakeTimers({ now: Date.UTC(2026, 0, 1, 12), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(function () {
    clock.restore();
  });

  it('reports a failure that persists once, again after a success, and every failure of an asked-for poll', async function () {
    let fail = true;
    let polls = 0;
    const t = runner(() => {
      polls++;
      if (fail) throw new SpotifyApiError({ message: 'Spotify answered 502', method: 'GET', path: '/v1/me', status: 502 });
      return Promise.resolve({ text: 'fine' });
    });
    await clock.tickAsync(0);
    while (polls < 3) await clock.tickAsync(500); // backed off: 1 s, then 2 s
    assert.equal(t.node.errors.length, 1, 'three failures of one kind in a row: one report');
    assert.match(t.node.errors[0].text, /502/);
    assert.equal(t.node.statuses.at(-1)?.fill, 'red');

    fail = false;
    while (polls < 4) await clock.tickAsync(500);
    assert.equal(t.node.statuses.at(-1)?.fill, 'green');
    assert.match(String(t.node.statuses.at(-1)?.text), /fine/);
    fail = true;
    while (polls < 5) await clock.tickAsync(500);
    assert.equal(t.node.errors.length, 2, 'the failure is news again after a success');

    await t.input({ topic: 'check', keep: 7 });
    await t.input({ topic: 'check', keep: 8 });
    assert.equal(t.node.errors.length, 4, 'an asked-for poll always reports');
    assert.equal((t.node.errors[3].msg as Record<string, unknown>).keep, 8, 'with the message that asked');
    await t.close();
  });

  it('shows until when a 429 holds the polls back', async function () {
    const retryAt = Date.now() + 90_000;
    const t = runner(() =>
      Promise.reject(new SpotifyApiError({ message: 'rate limited', method: 'GET', path: '/v1/me', status: 429, retryAt })),
    );
    await clock.tickAsync(0);
    const status = t.node.statuses.at(-1);
    assert.equal(status?.fill, 'yellow');
    // The next poll comes a moment after the cooldown, not after the interval (1 s).
    assert.match(String(status?.text), new RegExp(`rate limited until ${wallClock(retryAt + 250)}$`));
    await t.close();
  });

  it('a poll in flight when the node closes sends nothing and saves nothing, and no poll follows', async function () {
    let polls = 0;
    let release: () => void = () => undefined;
    const t = runner(async (ctx) => {
      polls++;
      if (polls === 1) {
        await ctx.save({ seen: 1 });
        return { text: 'remembered' };
      }
      // A slow answer that arrives after the close (a request that does not listen to the signal).
      await new Promise<void>((r) => (release = r));
      ctx.send([{ payload: 'new play' }]);
      await ctx.save({ seen: 2 });
      return { text: '1 new' };
    });
    await clock.tickAsync(0);
    await clock.tickAsync(1000);
    assert.equal(polls, 2);
    const writes = t.store.writes;
    const closing = t.close();
    release();
    await clock.tickAsync(0);
    await closing;
    assert.deepEqual(t.node.sent, [], 'the message of the abandoned poll is dropped');
    assert.equal(t.store.writes, writes, 'the state stays before the dropped message: it comes again after a restart');
    assert.deepEqual(t.store.values.get('test:trig'), { seen: 1 });
    await clock.tickAsync(60_000);
    assert.equal(polls, 2, 'no poll after close');
  });

  it('a node removed from the flows takes its state with it', async function () {
    const t = runner(async (ctx) => {
      await ctx.save({ seen: 1 });
      return { text: 'remembered' };
    });
    await clock.tickAsync(0);
    assert.deepEqual(t.store.values.get('test:trig'), { seen: 1 });
    await t.close(true);
    assert.equal(t.store.values.get('test:trig'), undefined);
  });

  it('stops polling while the account is not authorized, and starts again when it is', async function () {
    let polls = 0;
    const t = runner(() => {
      polls++;
      return Promise.resolve({ text: 'fine' });
    });
    await clock.tickAsync(0);
    assert.equal(polls, 1);
    t.tokens.set('authorize_again');
    await clock.tickAsync(10_000);
    assert.equal(polls, 1, 'no poll while it needs authorizing again');
    assert.equal(t.node.statuses.at(-1)?.fill, 'red');
    t.tokens.set('authorized');
    assert.match(String(t.node.statuses.at(-1)?.text), /start/i);
    await clock.tickAsync(0);
    assert.equal(polls, 2, 'polls at once when authorized again');
    t.tokens.set('authorized'); // announced again (a refresh): no second timer
    await clock.tickAsync(1000);
    assert.equal(polls, 3);
    await t.close();
    const shown = t.node.statuses.length;
    t.tokens.set('authorize_again');
    t.tokens.set('authorized');
    await clock.tickAsync(10_000);
    assert.equal(polls, 3, 'a closed node ignores the account');
    assert.equal(t.node.statuses.length, shown, 'and shows nothing more');
  });

  it('in a shared store, sends only what it claimed: a lost claim drops the messages and reads the state again', async function () {
    const heldUntilSaved: boolean[] = [];
    const t = runner(
      async (ctx) => {
        const seen = (ctx.state?.seen ?? 0) + 1;
        const before = t.node.sent.length;
        ctx.send([{ payload: `play ${seen}` }]);
        heldUntilSaved.push(t.node.sent.length === before);
        await ctx.save({ seen });
        return { text: 'ok' };
      },
      { shared: true },
    );
    await clock.tickAsync(0);
    assert.deepEqual(t.node.sent, [[{ payload: 'play 1' }]]);
    t.store.loseNextClaim = true;
    await clock.tickAsync(1000);
    assert.equal(t.node.sent.length, 1, 'another process claimed play 2 and sent it');
    await clock.tickAsync(1000);
    assert.deepEqual(t.node.sent.at(-1), [{ payload: 'play 100' }], 'the next poll starts from the state the other process saved');
    assert.equal(t.store.reads, 3, 'a shared store is read before every poll');
    assert.deepEqual(heldUntilSaved, [true, true, true], 'messages wait for the claim');
    await t.close();
  });
});
