// Triggers: requests per hour while nothing changes, beside a full rescan of the same lists, as the trigger
// nodes' own measurement (scripts/bench-triggers.ts, run with its defaults) reports them.
import { benchTriggers, type TriggerBenchRow } from '../bench-triggers';
import { int, ratio, type Row } from './report';

const INTERVAL_SECONDS = 60;
const BAR = '≥ 10× fewer requests per hour than rescanning';

function fmt(n: number): string {
  return Number.isInteger(n) ? int(n) : n.toFixed(1);
}

function toRow(r: TriggerBenchRow): Row {
  // Where rescanning is itself one request per poll (the player, the 50 most recent plays), no poll can make
  // fewer: the trigger is judged on staying at that floor instead.
  const singleRequest = r.rescanPerPoll <= 1;
  return {
    area: 'Triggers',
    what: `${r.trigger}, watching ${r.watching}, nothing changing, polling every ${INTERVAL_SECONDS} s`,
    via: `trigger node in Node-RED (scripts/bench-triggers.ts)`,
    result:
      `${fmt(r.perHour)} requests/hour (${fmt(r.perPoll)} per poll, ${fmt(r.pollsPerHour)} polls/hour) vs ${fmt(r.rescanPerHour)} rescanning ` +
      `(${fmt(r.rescanPerPoll)} per poll): ${ratio(r.ratio)} fewer`,
    bar: singleRequest ? `${BAR}; a rescan here is a single request, so: at most 1 request per poll (the floor)` : BAR,
    pass: singleRequest ? r.perPoll <= 1 : r.ratio >= 10,
  };
}

export async function measureTriggers(): Promise<Row[]> {
  return (await benchTriggers({ intervalSeconds: INTERVAL_SECONDS })).map(toRow);
}
