// Triggers: requests per hour while nothing changes, beside a full rescan of the same lists. The trigger
// nodes' engineer provides the measurement (scripts/bench-triggers.ts); it is found at run time so that the
// bench works in a build without it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { int, ratio, type Row } from './report';

const AREA = 'Triggers';
const WHAT = 'requests per hour with nothing changing, beside a full rescan of the same lists';
const BAR = '≥ 10× fewer requests than rescanning';

/** What bench-triggers may report per measured trigger. */
interface TriggerFigure {
  name?: string;
  what?: string;
  via?: string;
  /** Requests per hour of the trigger with nothing changing. */
  triggerPerHour?: number;
  /** Requests per hour of rescanning the same lists in full at the same interval. */
  rescanPerHour?: number;
  result?: string;
  pass?: boolean;
}

function toRow(f: TriggerFigure): Row {
  const haveNumbers = typeof f.triggerPerHour === 'number' && typeof f.rescanPerHour === 'number';
  const fewer = haveNumbers ? (f.rescanPerHour as number) / Math.max(f.triggerPerHour as number, 1e-9) : undefined;
  return {
    area: AREA,
    what: f.what ?? (f.name ? `${f.name}: ${WHAT}` : WHAT),
    via: f.via ?? 'trigger nodes (scripts/bench-triggers)',
    result:
      f.result ??
      (haveNumbers
        ? `${int(f.triggerPerHour as number)} requests/hour vs ${int(f.rescanPerHour as number)} rescanning: ${ratio(fewer as number)} fewer`
        : 'no figures reported'),
    bar: BAR,
    pass: f.pass ?? (fewer === undefined ? false : fewer >= 10),
  };
}

export async function measureTriggers(): Promise<Row[]> {
  const file = path.join(__dirname, '..', 'bench-triggers.js');
  if (!fs.existsSync(file)) {
    return [{ area: AREA, what: WHAT, via: '—', result: 'not measured (triggers not present)', bar: BAR, pass: undefined }];
  }
  const mod = require(file) as Record<string, unknown>;
  const fn = [mod.benchTriggers, mod.measureTriggers, mod.run, mod.default].find((f): f is () => Promise<unknown> => typeof f === 'function');
  if (!fn) throw new Error('scripts/bench-triggers exports no benchTriggers/measureTriggers/run function');
  const out = await fn();
  const figures = (Array.isArray(out) ? out : [out]) as TriggerFigure[];
  return figures.map(toRow);
}
