// Mocha's spec output, followed by one plain closing line ("tests: N passed, N failed, N skipped") that CI reads.
// With TUNEWIRE_TIMINGS=1 it first prints each test file's wall time, longest first, with its share of the run:
// where the suite's time goes, to speed up the biggest items first. With TUNEWIRE_FAILURES_FILE set it appends each
// failed test (line, title, first line of its error) to that file, so scripts/test.sh can repeat every line's
// failures at the very end of the run, where CI's shortened output still shows them.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);
}

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const timings = process.env.TUNEWIRE_TIMINGS === '1' ? new Map<string, number>() : undefined;
    const started = new Map<Mocha.Suite, number>();
    const failuresFile = process.env.TUNEWIRE_FAILURES_FILE;
    if (failuresFile) {
      const line = `Node ${process.version}`;
      runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, err: unknown) => {
        const file = test.file ? path.relative(process.cwd(), test.file) : '?';
        fs.appendFileSync(failuresFile, `[${line}] ${file}: ${test.fullTitle()}\n    ${firstLine(err)}\n`);
      });
    }
    if (timings) {
      // A file's top-level suites (children of the root suite) carry its name; their hooks run inside them.
      runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
        if (suite.parent?.root && suite.file) started.set(suite, Date.now());
      });
      runner.on(EVENT_SUITE_END, (suite: Mocha.Suite) => {
        const start = started.get(suite);
        if (start === undefined || !suite.file) return;
        const file = path.relative(process.cwd(), suite.file);
        timings.set(file, (timings.get(file) ?? 0) + Date.now() - start);
      });
    }
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      if (!s) return;
      if (timings) {
        const total = [...timings.values()].reduce((a, b) => a + b, 0) || 1;
        process.stdout.write('\ntime per test file (wall, longest first):\n');
        for (const [file, ms] of [...timings].sort((a, b) => b[1] - a[1])) {
          const share = ((100 * ms) / total).toFixed(1).padStart(5);
          process.stdout.write(`${(ms / 1000).toFixed(1).padStart(8)} s ${share} %  ${file}\n`);
        }
      }
      process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

export = SummaryReporter;
