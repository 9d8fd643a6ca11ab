// Sends an empty message into a node at each time its Repeat names (repeat-rules.ts), as core's inject does on
// a schedule, until the node closes. A timer may wake early (timers are capped near 24.8 days, clocks move):
// it only sends at or after the planned moment, and otherwise waits again.
import type { Node } from 'node-red';
import { nextRun, type Repeat, type TimeOfDay } from './repeat-rules';

/** Node.js timers hold at most 2^31-1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

export function startRepeat(node: Node, repeat: Repeat, at: TimeOfDay, now: () => Date = () => new Date()): void {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const arm = (due: Date): void => {
    const wait = Math.max(0, Math.min(due.getTime() - now().getTime(), MAX_TIMER_MS));
    timer = setTimeout(() => {
      if (closed) return;
      if (now().getTime() < due.getTime()) {
        arm(due);
        return;
      }
      node.receive({});
      planFrom(due);
    }, wait);
  };
  const planFrom = (after: Date): void => {
    const due = nextRun(after, repeat, at);
    if (due) arm(due);
  };
  planFrom(now());
  node.on('close', () => {
    closed = true;
    clearTimeout(timer);
  });
}
