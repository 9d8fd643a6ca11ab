// Triggers: requests per poll while nothing changes (measured), beside what a competent poller makes (one page
// per watched list per poll) and a full rescan of the same lists (measured). Figures without a verdict: the
// per-hour rates of a trigger that backs off while idle are not measured here, and a bar against a rescan
// could not fail where a rescan is one request.
import { benchTriggers, type TriggerBenchRow } from '../bench-triggers';
import { int, ratio, type Row } from './report';
import { changeRows, measureChanges } from './trigger-changes';

const INTERVAL_SECONDS = 60;

function fmt(n: number): string {
  return Number.isInteger(n) ? int(n) : n.toFixed(1);
}

/** One page per watched list per poll: what a competent poller written by hand makes. */
function competentPerPoll(r: TriggerBenchRow): number {
  const lists = /^(\d+) playlists/.exec(r.watching);
  return lists ? Number(lists[1]) : 1;
}

function toRow(r: TriggerBenchRow): Row {
  const competent = competentPerPoll(r);
  return {
    area: 'Triggers',
    what: `${r.trigger}, watching ${r.watching}, nothing changing, polling every ${INTERVAL_SECONDS} s`,
    via: `trigger node in Node-RED (scripts/bench-triggers.ts)`,
    result:
      `${fmt(r.perPoll)} request${r.perPoll === 1 ? '' : 's'} per poll (measured) vs ${fmt(competent)} for a competent poller (one page per watched list) ` +
      `and ${fmt(r.rescanPerPoll)} for a full rescan (measured): ${ratio(competent / r.perPoll)} fewer than the competent poller`,
    bar: 'none: a figure',
    pass: undefined,
  };
}

export async function measureTriggers(progress: (text: string) => void = () => undefined): Promise<Row[]> {
  const idle = (await benchTriggers({ intervalSeconds: INTERVAL_SECONDS })).map(toRow);
  progress('Triggers: changes, a restart and a 429 storm through the trigger nodes');
  const pack = await measureChanges('pack');
  progress('Triggers: the same through a poller written by hand');
  const hand = await measureChanges('hand');
  return [...idle, ...changeRows(pack, hand)];
}
