// A reading node's Repeat (nodes/node-red/repeat-rules.ts, repeat-timer.ts): when "every Monday at 08:00" next
// sends, on the local clock, and that the timer sends an empty message then, and nothing after the node closes.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Node } from 'node-red';
import { nextRun, parseTimeOfDay } from '../../nodes/node-red/repeat-rules';
import { startRepeat } from '../../nodes/node-red/repeat-timer';

/** A local date (the computer's own time zone, as the node reads its clock). */
const at = (y: number, mo: number, d: number, h = 0, mi = 0): Date => new Date(y, mo - 1, d, h, mi, 0, 0);
const eight = { hours: 8, minutes: 0 };

describe('repeat rules', function () {
  it('reads a time of day as HH:MM or H:MM, 24-hour, and nothing else', function () {
    assert.deepEqual(parseTimeOfDay('08:00'), eight);
    assert.deepEqual(parseTimeOfDay(' 7:05 '), { hours: 7, minutes: 5 });
    assert.deepEqual(parseTimeOfDay('23:59'), { hours: 23, minutes: 59 });
    for (const bad of ['24:00', '8', '08:60', '8am', '', '08:00:00', 8, null]) assert.equal(parseTimeOfDay(bad), undefined, String(bad));
  });

  it('every Monday at 08:00: the next Monday, today when it is Monday before 08:00, a week on after it', function () {
    // 7 December 2026 is a Monday.
    assert.deepEqual(nextRun(at(2026, 12, 3, 12), 'mon', eight), at(2026, 12, 7, 8));
    assert.deepEqual(nextRun(at(2026, 12, 7, 7, 59), 'mon', eight), at(2026, 12, 7, 8));
    assert.deepEqual(nextRun(at(2026, 12, 7, 8), 'mon', eight), at(2026, 12, 14, 8));
    assert.deepEqual(nextRun(at(2026, 12, 13, 23, 59), 'sun', eight), at(2026, 12, 20, 8));
    assert.deepEqual(nextRun(at(2026, 12, 31, 9), 'fri', eight), at(2027, 1, 1, 8), 'across the year');
  });

  it('every day: today while the time is ahead, else tomorrow; never with "none"', function () {
    assert.deepEqual(nextRun(at(2026, 12, 3, 6), 'daily', eight), at(2026, 12, 3, 8));
    assert.deepEqual(nextRun(at(2026, 12, 3, 8, 1), 'daily', eight), at(2026, 12, 4, 8));
    assert.equal(nextRun(at(2026, 12, 3, 6), 'none', eight), undefined);
  });

  it('the timer sends one empty message at the planned time, not before, and plans the next', async function () {
    // The node's clock stands 300 ms before 08:00 and runs on with the real one.
    const base = at(2026, 12, 7, 8).getTime() - 300;
    const started = Date.now();
    const clock = (): Date => new Date(base + (Date.now() - started));
    const node = new EventEmitter() as EventEmitter & { receive(msg: unknown): void };
    const received = new Promise<{ msg: unknown; when: Date }>((resolve, reject) => {
      node.receive = (msg) => resolve({ msg, when: clock() });
      setTimeout(() => reject(new Error('nothing sent within 5 s')), 5_000).unref();
    });
    startRepeat(node as unknown as Node, 'daily', eight, clock);
    const { msg, when } = await received;
    node.emit('close'); // clears the timer of tomorrow's 08:00
    assert.deepEqual(msg, {}, 'an empty message, as the button sends');
    assert.ok(when.getTime() >= at(2026, 12, 7, 8).getTime(), `not before 08:00 (${when.toString()})`);
  });
});
