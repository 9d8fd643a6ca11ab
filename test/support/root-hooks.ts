// Loaded by mocha (--require) for every run: what the test files shared is put away (run-end.ts), then the
// whole suite fails when a child process it started outlives it; a test fails when a Web API exchange it caused
// deviates from Spotify's OpenAPI description (test/contract/).
// TUNEWIRE_CONTRACT=off turns the check off (to measure what it costs); =report only writes what it finds to
// the file TUNEWIRE_CONTRACT_REPORT names (to survey a whole run); TUNEWIRE_CONTRACT_COST=1 prints the cost.
import * as fs from 'node:fs';
import type { Context, Done, Test } from 'mocha';
import { contractWatch, describeViolations } from '../contract/watch';
import { killChildren } from './child-registry';
import { runEndTasks } from './run-end';

const mode = process.env.TUNEWIRE_CONTRACT ?? 'fail';
if (mode !== 'off') contractWatch.install();

/** The deviations since the last look: an Error to fail with, or undefined (report mode writes them down). */
function deviations(title: string): Error | undefined {
  const violations = contractWatch.take();
  if (violations.length === 0) return undefined;
  if (mode === 'report') {
    fs.appendFileSync(process.env.TUNEWIRE_CONTRACT_REPORT ?? 'contract-report.jsonl', `${JSON.stringify({ title, violations })}\n`);
    return undefined;
  }
  return new Error(describeViolations(violations));
}

const wrapped = new WeakSet<Test>();

/** Checks right after the test's own function, so that the test itself fails (a failing root hook would end
 *  the whole run). Its `length` stays, so mocha still tells a done-callback test from the others. */
function checkAfter(test: Test): void {
  const fn = test.fn;
  if (!fn || wrapped.has(test)) return;
  wrapped.add(test);
  const title = test.fullTitle();
  test.fn =
    fn.length > 0
      ? function (this: Context, done: Done) {
          (fn as (this: Context, done: Done) => void).call(this, (err?: unknown) => done(err ?? deviations(title)));
        }
      : async function (this: Context) {
          const result: unknown = (fn as (this: Context) => unknown).call(this);
          await result; // a promise for an async test, undefined for a synchronous one
          const err = deviations(title);
          if (err) throw err;
        };
}

export const mochaHooks = {
  beforeEach(this: Context): void {
    if (this.currentTest) checkAfter(this.currentTest);
  },
  afterEach(this: Context): void {
    // What arrived after the test's function (its own afterEach hooks, a flow still running down).
    const err = deviations(`${this.currentTest?.fullTitle() ?? ''} (after the test)`);
    if (err) throw err;
  },
  async afterAll(this: Context): Promise<void> {
    this.timeout(60_000); // stopping a shared Node-RED and Chromium on a busy machine
    const late = deviations('after the last test');
    const cost = contractWatch.cost;
    if (cost && process.env.TUNEWIRE_CONTRACT_COST)
      process.stderr.write(
        `contract: ${cost.exchanges} exchanges, ${cost.operationsCompiled} operations compiled; spec load ${Math.round(cost.loadMs)} ms, compile ${Math.round(cost.compileMs)} ms, validate ${Math.round(cost.validateMs)} ms\n`,
      );
    const failed = await runEndTasks();
    const left = killChildren();
    if (left.length > 0) throw new Error(`child processes outlived the tests that started them (now killed): ${left.join(', ')}`);
    if (failed.length > 0) throw new Error(`putting away what the test files shared failed: ${failed.join('; ')}`);
    if (late) throw late;
  },
};
