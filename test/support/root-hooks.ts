// Loaded by mocha (--require) for every run: the whole suite fails when a child process it started outlives it.
import { killChildren } from './child-registry';

export const mochaHooks = {
  afterAll(): void {
    const left = killChildren();
    if (left.length > 0) throw new Error(`child processes outlived the tests that started them (now killed): ${left.join(', ')}`);
  },
};
