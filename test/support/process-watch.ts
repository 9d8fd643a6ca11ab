// Records unhandled promise rejections and uncaught exceptions in this process, so a test can assert that a
// fault ended in an error message or a recovery and not in one of these (which can stop a Node-RED runtime).
// Mocha re-emits rejections from test code on `process`, so listening there sees them.
import assert from 'node:assert/strict';

export interface ProcessWatch {
  readonly problems: string[];
  stop(): void;
}

export function watchProcess(): ProcessWatch {
  const problems: string[] = [];
  const onRejection = (reason: unknown): void => {
    problems.push(`unhandledRejection: ${describe(reason)}`);
  };
  const onException = (err: Error, origin: string): void => {
    problems.push(`${origin}: ${describe(err)}`);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onException);
  return {
    problems,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtExceptionMonitor', onException);
    },
  };
}

/** Lines of a Node-RED log that mean something escaped every handler. */
export const CRASH_PATTERNS =
  /Unhandled rejection|UnhandledPromiseRejection|Uncaught Exception|uncaughtException|FATAL ERROR|Maximum call stack/i;

function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** In a describe block: each of its tests fails when it left an unhandled rejection or uncaught exception. */
export function failOnProcessProblems(): void {
  let watch: ProcessWatch | undefined;
  beforeEach(function () {
    watch = watchProcess();
  });
  afterEach(function () {
    watch?.stop();
    assert.deepEqual(watch?.problems ?? [], [], 'no unhandled rejection or uncaught exception');
  });
}
