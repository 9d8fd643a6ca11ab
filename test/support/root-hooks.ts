// Loaded by mocha (--require) for every run: what the test files shared is put away (run-end.ts), then the
// whole suite fails when a child process it started outlives it.
import { killChildren } from './child-registry';
import { runEndTasks } from './run-end';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000); // stopping a shared Node-RED and Chromium on a busy machine
    const failed = await runEndTasks();
    const left = killChildren();
    if (left.length > 0) throw new Error(`child processes outlived the tests that started them (now killed): ${left.join(', ')}`);
    if (failed.length > 0) throw new Error(`putting away what the test files shared failed: ${failed.join('; ')}`);
  },
};
