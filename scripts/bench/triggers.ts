// Triggers: requests per poll while nothing changes, of the trigger nodes, a poller written by hand (one page
// per watched list per poll) and a full rescan of the same lists, all measured: figures without a verdict (a
// bar against a rescan could not fail where a rescan is one request). Then what the triggers add, with
// verdicts from counts (trigger-changes.ts): a change at the first poll after it, and none missed or repeated
// across a restart and a 429 storm, beside the hand-written poller's figures.
import { benchTriggers, type TriggerBenchRow } from '../bench-triggers';
import { int, ratio, type Row } from './report';
import { changeRows, measureChanges } from './trigger-changes';

function fmt(n: number): string {
  return Number.isInteger(n) ? int(n) : n.toFixed(1);
}

function toRow(r: TriggerBenchRow): Row {
  return {
    area: 'Triggers',
    what: `${r.trigger}, watching ${r.watching}, nothing changing`,
    via: `trigger node in Node-RED (scripts/bench-triggers.ts)`,
    result:
      `${fmt(r.perPoll)} request${r.perPoll === 1 ? '' : 's'} per poll vs ${fmt(r.handPerPoll)} for a poller written by hand (one page per watched list) ` +
      `and ${fmt(r.rescanPerPoll)} for a full rescan, all measured: ${ratio(r.handPerPoll / r.perPoll)} fewer than the hand-written poller`,
    bar: 'none: a figure',
    pass: undefined,
  };
}

export async function measureTriggers(progress: (text: string) => void = () => undefined): Promise<Row[]> {
  const idle = (await benchTriggers()).map(toRow);
  progress('Triggers: changes, a restart and a 429 storm through the trigger nodes');
  const pack = await measureChanges('pack');
  progress('Triggers: the same through a poller written by hand');
  const hand = await measureChanges('hand');
  return [...idle, ...changeRows(pack, hand)];
}
