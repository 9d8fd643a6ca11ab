// Every child process a test starts is recorded here, so that none outlives the suite: whatever happens to a
// test (a hook that timed out, a browser that hung on close, mocha's --exit), the children are killed when this
// process exits, and the root hook in root-hooks.ts fails the run when one was still alive at the end.
import type { ChildProcess } from 'node:child_process';

const live = new Map<ChildProcess, string>();

/** Records a child until it exits. */
export function trackChild<T extends ChildProcess>(child: T, what: string): T {
  live.set(child, what);
  child.once('exit', () => live.delete(child));
  return child;
}

/** The children still running, as "what (pid)". */
export function liveChildren(): string[] {
  return [...live].filter(([c]) => c.exitCode === null && c.signalCode === null).map(([c, what]) => `${what} (pid ${c.pid})`);
}

/** Kills every child still running; returns what it killed. */
export function killChildren(): string[] {
  const killed = liveChildren();
  for (const child of live.keys()) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  return killed;
}

// 'exit' handlers run synchronously, also when mocha --exit calls process.exit: kill() is synchronous.
process.once('exit', () => {
  killChildren();
});
