// The throttle between dashboard viewers and Spotify, on a clock the test moves: one command at a time, the
// latest press of a kind wins its waiting slot, a twin of the running one joins it, and a viewer and an account
// may start only so many in a window. Also the once-a-minute log line and what counts as the card's own press.
import assert from 'node:assert/strict';
import { CARD_PRESS_LIMITS, commandWaits, readPress, throttled } from '../../nodes/node-red/card-presses';
import { PressThrottle, type Outcome, type Press, type ThrottleLimits } from '../../nodes/node-red/press-throttle';
import { ThrottledLog } from '../../nodes/node-red/throttled-log';

/** A task the test finishes when it wants (a Spotify request in flight). */
class Task {
  runs = 0;
  private finish: ((value: string) => void) | undefined;
  private failWith: ((err: Error) => void) | undefined;
  constructor(readonly name: string) {}
  run = (): Promise<string> => {
    this.runs++;
    return new Promise<string>((resolve, reject) => {
      this.finish = resolve;
      this.failWith = reject;
    });
  };
  done(): void {
    assert.ok(this.finish, `${this.name} is not running`);
    this.finish(this.name);
  }
  fail(err: Error): void {
    assert.ok(this.failWith, `${this.name} is not running`);
    this.failWith(err);
  }
}

const LIMITS: ThrottleLimits = CARD_PRESS_LIMITS;

function p(viewer: string, kind: string, identity = kind, costly = true): Press {
  return { viewer, kind, identity, costly };
}

/** Lets settled promises run their callbacks. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The outcome if the press has one already, or 'waiting' (admitted, its turn not yet come). */
function soFar<T>(outcome: Promise<T>): Promise<T | 'waiting'> {
  return Promise.race([outcome, settle().then(() => 'waiting' as const)]);
}

describe('the press throttle', function () {
  let clock: number;
  let throttle: PressThrottle;
  beforeEach(function () {
    clock = 1_000_000;
    throttle = new PressThrottle(LIMITS, () => clock);
  });

  it('runs one at a time: the latest press of a kind waits in its slot, a twin of the running one joins it', async function () {
    const next = new Task('next');
    const first = throttle.submit(p('a', 'next'), next.run);
    const twin = await throttle.submit(p('b', 'next'), new Task('next again').run);
    assert.deepEqual(twin, { kind: 'collapsed' }, 'the same press while it runs joins it');

    const volumes = [10, 20, 30].map((v) => ({ task: new Task(`volume ${v}`), v }));
    const outcomes = volumes.map(({ task, v }) => throttle.submit(p('a', 'volume', `volume ${v}`), task.run));
    const pause = new Task('pause');
    const paused = throttle.submit(p('a', 'playback', 'pause'), pause.run);
    assert.equal(throttle.isWaiting(), true);
    assert.deepEqual(await outcomes[0], { kind: 'collapsed' }, 'replaced by a later volume');
    assert.deepEqual(await outcomes[1], { kind: 'collapsed' });

    next.done();
    assert.deepEqual(await first, { kind: 'ran', result: 'next' });
    // The volume slot came first, and kept its place although its press changed twice.
    assert.deepEqual(
      volumes.map(({ task }) => task.runs),
      [0, 0, 1],
    );
    assert.equal(pause.runs, 0);
    volumes[2].task.done();
    assert.deepEqual(await outcomes[2], { kind: 'ran', result: 'volume 30' });
    assert.equal(pause.runs, 1);
    assert.equal(throttle.isWaiting(), false, 'nothing after the pause: it may poll');
    pause.done();
    assert.deepEqual(await paused, { kind: 'ran', result: 'pause' });
  });

  it('a screen may start 8 in any 10 seconds; the rest are dropped until the window moves on', async function () {
    assert.deepEqual([LIMITS.perViewer, LIMITS.windowMs], [8, 10_000], 'the limits the README states');
    const kinds = ['next', 'volume', 'shuffle', 'repeat', 'seek', 'previous', 'devices', 'transfer', 'playback', 'hello'];
    const outcomes = kinds.map((kind) => throttle.submit(p('a', kind), new Task(kind).run));
    const dropped = { kind: 'dropped', limit: 'viewer' };
    assert.deepEqual(await Promise.all(outcomes.map(soFar)), [...Array<string>(8).fill('waiting'), dropped, dropped]);
    assert.equal(await soFar(throttle.submit(p('b', 'playback'), new Task('pause').run)), 'waiting', 'another screen is not held back');
    clock += LIMITS.windowMs - 1;
    assert.deepEqual(await soFar(throttle.submit(p('a', 'hello'), new Task('hello').run)), dropped);
    clock += 1;
    assert.equal(await soFar(throttle.submit(p('a', 'hello'), new Task('hello').run)), 'waiting', 'a new window admits again');
  });

  it('an account may start 10 in any 10 seconds, from any number of screens; a hello costs the account nothing', async function () {
    assert.equal(LIMITS.perOwner, 10, 'the limit the README states');
    const outcomes = Array.from({ length: 12 }, (_, i) => throttle.submit(p(`v${i}`, `k${i}`), new Task(`k${i}`).run));
    const dropped = { kind: 'dropped', limit: 'owner' };
    assert.deepEqual(await Promise.all(outcomes.map(soFar)), [...Array<string>(10).fill('waiting'), dropped, dropped]);
    assert.equal(await soFar(throttle.submit(p('v20', 'hello', 'hello', false), new Task('hello').run)), 'waiting');
    clock += LIMITS.windowMs;
    assert.equal(await soFar(throttle.submit(p('v11', 'k11'), new Task('k11').run)), 'waiting', 'a new window admits again');
  });

  it('300 presses from one screen while the first is in flight: two commands run, the latest volume last', async function () {
    const ran: string[] = [];
    const tasks = new Map<string, Task>();
    const submit = (kind: string, identity: string): Promise<Outcome<string>> => {
      const task = new Task(identity);
      return throttle.submit(p('flood', kind, identity), () => {
        ran.push(identity);
        tasks.set(identity, task);
        return task.run();
      });
    };
    const all = [submit('next', 'next')];
    for (let i = 0; i < 299; i++) all.push(i % 2 ? submit('next', 'next') : submit('volume', `volume ${i}`));
    assert.deepEqual(ran, ['next']);
    tasks.get('next')?.done();
    await settle();
    assert.deepEqual(ran, ['next', 'volume 298']);
    tasks.get('volume 298')?.done();
    const kinds = (await Promise.all(all)).map((o) => o.kind);
    assert.equal(kinds.filter((k) => k === 'ran').length, 2);
    assert.equal(kinds.filter((k) => k === 'collapsed').length, 298);
  });

  it('a failed command fails its own press only; the next waiting one still runs', async function () {
    const failing = new Task('volume');
    const failed = throttle.submit(p('a', 'volume'), failing.run);
    const next = new Task('next');
    const after = throttle.submit(p('a', 'next'), next.run);
    failing.fail(new Error('Spotify said no'));
    await assert.rejects(failed, /Spotify said no/);
    next.done();
    assert.deepEqual(await after, { kind: 'ran', result: 'next' });
  });

  it('made-up viewer ids cannot grow it: the least recently seen is forgotten', async function () {
    const small = new PressThrottle({ ...LIMITS, perOwner: 1_000_000, maxViewers: 2 }, () => clock);
    const busy = new Task('busy');
    void small.submit(p('a', 'running'), busy.run);
    for (let i = 1; i < LIMITS.perViewer; i++) void small.submit(p('a', `a${i}`), new Task(`a${i}`).run);
    assert.deepEqual(await small.submit(p('a', 'one more'), new Task('one more').run), { kind: 'dropped', limit: 'viewer' });
    for (let i = 0; i < 1000; i++) void small.submit(p(`stranger ${i}`, `s${i}`), new Task(`s${i}`).run);
    // "a" was forgotten with its count: remembering every id ever seen is what a stranger must not get.
    assert.equal(await soFar(small.submit(p('a', 'again'), new Task('again').run)), 'waiting');
  });
});

describe('a log line a stranger can cause', function () {
  it('is written at most once a minute, the next one counting the ones left out', function () {
    let clock = 0;
    const lines: string[] = [];
    const log = new ThrottledLog(
      (line, skipped) => lines.push(`${line} +${skipped}`),
      60_000,
      () => clock,
    );
    for (let i = 0; i < 1000; i++) {
      log.note(`refused ${i}`);
      clock += 10;
    }
    assert.deepEqual(lines, ['refused 0 +0']);
    clock = 60_000;
    log.note('refused again');
    assert.deepEqual(lines, ['refused 0 +0', 'refused again +999']);
  });
});

describe("the card's own presses", function () {
  const press = (command: unknown, value?: unknown): unknown => ({ spotifyCard: { command, value } });

  it('reads what its buttons send, and nothing else of the message', function () {
    assert.deepEqual(readPress(press('hello')), { what: 'hello' });
    assert.deepEqual(readPress(press('devices')), { what: 'devices' });
    assert.deepEqual(readPress({ ...(press('Pause') as object), payload: 'x', _client: { user: 'admin' } }), {
      what: 'command',
      req: { command: 'pause' },
      value: null,
    });
    assert.deepEqual(readPress(press('volume', '40')), { what: 'command', req: { command: 'volume', value: '40' }, value: 40 });
    const device = 'a'.repeat(40);
    assert.deepEqual(readPress(press('transfer', ` ${device} `)), {
      what: 'command',
      req: { command: 'transfer', value: ` ${device} ` },
      value: device,
    });
  });

  it('refuses anything else with a short reason, and never throws', function () {
    const refused = (msg: unknown): string => {
      const r = readPress(msg);
      assert.ok('refused' in r, `refused: ${JSON.stringify(msg)}`);
      return r.refused;
    };
    assert.equal(refused('a bare string'), 'spotifyCard: expected a button press {command, value}');
    assert.equal(refused([press('next')]), 'spotifyCard: expected a button press {command, value}');
    assert.equal(refused({ payload: 'forged', _client: { user: 'admin' } }), 'spotifyCard: expected a button press {command, value}');
    assert.equal(refused({ spotifyCard: 'next' }), 'spotifyCard: expected a button press {command, value}');
    assert.equal(
      refused(Object.create({ spotifyCard: { command: 'next' } })),
      'spotifyCard: expected a button press {command, value}',
      'own properties only',
    );
    assert.match(refused(press('explode')), /^command: expected one of play, pause/);
    assert.match(refused(press('volume', 500)), /^volume: expected a whole number from 0 to 100/);
    assert.equal(
      refused(press('play', 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M')),
      'play: expected no value, got "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M"',
    );
    assert.equal(refused(press('devices', { huge: 'x'.repeat(1000) })), 'devices: expected no value, got an object');
    assert.ok(refused(press('x'.repeat(100_000))).length < 200, 'the reason quotes the viewer’s text briefly');
  });

  it('play, pause and toggle share one slot; only a hello is free for the account', function () {
    const kinds = ['play', 'pause', 'toggle', 'next'].map((c) => {
      const r = readPress(press(c));
      assert.ok(!('refused' in r));
      return throttled(r, 'v').kind;
    });
    assert.deepEqual(kinds, ['playback', 'playback', 'playback', 'next']);
    assert.equal(throttled({ what: 'hello' }, 'v').costly, false);
    assert.equal(throttled({ what: 'devices' }, 'v').costly, true);
    assert.ok(CARD_PRESS_LIMITS.perViewer < CARD_PRESS_LIMITS.perOwner, 'one screen cannot use up the account');
  });

  it('a command waiting takes over the poll of the one before; a waiting hello or device list does not', async function () {
    const throttle = new PressThrottle(CARD_PRESS_LIMITS);
    const running = new Task('next');
    void throttle.submit(p('a', 'next'), running.run);
    void throttle.submit(throttled({ what: 'hello' }, 'b'), new Task('hello').run);
    void throttle.submit(throttled({ what: 'devices' }, 'c'), new Task('devices').run);
    assert.equal(commandWaits(throttle), false);
    const volume = readPress(press('volume', 10));
    assert.ok(!('refused' in volume));
    void throttle.submit(throttled(volume, 'd'), new Task('volume').run);
    assert.equal(commandWaits(throttle), true);
    running.done();
    await settle();
  });
});
