// Start-up cost: a real Node-RED process started until "Started flows", with the pack installed and without,
// empty flows in both, alternating runs, medians compared.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeRedProcess } from '../../test/support/node-red-process';
import { median, ms, ratio, type Row } from './report';

const RUNS = 9;
/** Start-up with the pack, as a ratio to bare Node-RED's measured in the same run. */
const MAX_RATIO = 1.25;
const PACKAGE_NAME = '@tunewire/node-red-spotify';

/**
 * NodeRedProcess links the build into the user directory unless that path already exists: for the run
 * without the pack, a plain package that is not a Node-RED module takes its place (Node-RED skips it).
 */
function userDirWithoutPack(dir: string): void {
  const stub = path.join(dir, 'node_modules', PACKAGE_NAME);
  fs.mkdirSync(stub, { recursive: true });
  fs.writeFileSync(path.join(stub, 'package.json'), JSON.stringify({ name: PACKAGE_NAME, version: '0.0.0' }) + '\n');
}

async function timeStart(userDir: string): Promise<number> {
  const red = new NodeRedProcess({ userDir, flows: [] });
  const t0 = process.hrtime.bigint();
  await red.start();
  const t = Number(process.hrtime.bigint() - t0) / 1e6;
  await red.stop();
  return t;
}

export async function measureStartup(): Promise<Row> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-bench-start-'));
  try {
    const withPack = path.join(root, 'with');
    const without = path.join(root, 'without');
    fs.mkdirSync(without, { recursive: true });
    userDirWithoutPack(without);
    // A first start of each writes Node-RED's own files (.config.*.json) and fills the file cache: not timed.
    await timeStart(withPack);
    await timeStart(without);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate, and swap who goes first, so drift on the machine lands on both sides.
      if (i % 2 === 0) {
        a.push(await timeStart(withPack));
        b.push(await timeStart(without));
      } else {
        b.push(await timeStart(without));
        a.push(await timeStart(withPack));
      }
    }
    const loaded = fs.readFileSync(path.join(withPack, '.config.nodes.json'), 'utf8').includes(PACKAGE_NAME);
    const skipped = !fs.readFileSync(path.join(without, '.config.nodes.json'), 'utf8').includes(PACKAGE_NAME);
    const added = median(a) - median(b);
    const factor = median(a) / median(b);
    return {
      area: 'Start-up',
      what: `a real Node-RED process started until "Started flows", empty flows, ${RUNS} runs each, alternating`,
      via: 'node-red process (test/support/node-red-process.ts)',
      result: `median ${ms(median(a))} with the pack vs ${ms(median(b))} without: ${added < 0 ? '−' : '+'}${ms(Math.abs(added))} (${ratio(factor)})${loaded && skipped ? '' : ' — WARNING: the pack was not loaded/skipped as planned'}`,
      bar: `≤ ${ratio(MAX_RATIO)} bare Node-RED's start-up, measured alternately in the same run`,
      pass: factor <= MAX_RATIO && loaded && skipped,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
