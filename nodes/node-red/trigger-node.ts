// What every trigger node does the same way (the sibling of action-node.ts for nodes that start flows): find
// the account and read the dialog's interval and first run, then run a TriggerRunner (trigger-runner.ts: poll
// on a timer while authorized, state on disk, status, failures to Catch nodes); and the output of the triggers
// that find new items.
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { oneOf } from '../spotify/inputs';
import type { AccountConfigNode } from './action-node';
import type { NodeFieldReader } from './fields';
import { shapeItem, withColumns, type OutputFormat, type TriggerEmit } from './list-output';
import { failMessage } from './message-guard';
import { runtimeText } from './messages';
import { DEFAULT_MIN_POLL_SECONDS } from './pack-settings';
import { stateBackend } from './state-backend';
import { TriggerRunner, type FirstRun, type TriggerPoll } from './trigger-runner';

export type { PollOutcome } from './poller';
export type { FirstRun, PollContext, TriggerPoll } from './trigger-runner';

export interface TriggerDef extends NodeDef {
  account: string;
  /** Seconds between polls. */
  interval?: string | number;
  /** 'remember' (default): the first poll only records what is there; 'emit': it sends it too. */
  firstRun?: string;
}

export const FIRST_RUN_MODES: readonly FirstRun[] = ['remember', 'emit'];

export interface TriggerOptions {
  /** Names the state entry ("now-playing"); the node id is appended. */
  stateName: string;
  defaultIntervalSeconds: number;
}

/** Sets a trigger node up: its account and dialog read, then a TriggerRunner polls for it until it closes. */
export function runTriggerNode<S>(RED: NodeAPI, node: Node, def: TriggerDef, poll: TriggerPoll<S>, options: TriggerOptions): void {
  const configNode = typeof def.account === 'string' && def.account ? (RED.nodes.getNode(def.account) as AccountConfigNode | null) : null;
  const account = configNode?.account;
  const settings = configNode?.packSettings;
  const intervalMs = pollInterval(node, def.interval, options.defaultIntervalSeconds, settings?.minPollSeconds);
  let firstRun: FirstRun = 'remember';
  try {
    firstRun = oneOf(def.firstRun, 'firstRun', FIRST_RUN_MODES, 'remember');
  } catch (err) {
    node.warn((err as Error).message);
  }

  if (!configNode || !account || !settings) {
    node.status({ fill: 'red', shape: 'ring', text: runtimeText(configNode ? 'status.accountIncomplete' : 'status.noAccount') });
    node.on('input', (msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => {
      failMessage(RED, node, msg, new Error(runtimeText(configNode ? 'errors.accountIncomplete' : 'errors.noAccount')), done);
    });
    return;
  }

  const nodeState = stateBackend(RED, settings).nodeState;
  const stateKey = `${options.stateName}:${node._alias ?? node.id}`;
  new TriggerRunner<S>(RED, node, { account, settings, nodeState, stateKey, intervalMs, firstRun, poll }).start();
}

/** The interval in ms: the node's setting, at least the operator's minimum (default 10 s). */
function pollInterval(node: Node, value: unknown, fallbackSeconds: number, minSeconds = DEFAULT_MIN_POLL_SECONDS): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  let seconds = Number.isFinite(n) && n > 0 ? n : fallbackSeconds;
  if (seconds < minSeconds) {
    node.warn(runtimeText('warnings.intervalBelowMinimum', { seconds, minimum: minSeconds }));
    seconds = minSeconds;
  }
  return Math.round(seconds * 1000);
}

/** How a trigger that finds new items sends them (its dialog's Send, Latest and Items as fields). */
export interface NewItemsOutput {
  format: OutputFormat;
  emit: TriggerEmit;
  /** How many the list holds with emit 'latest'. */
  latest: number;
}

/** Reads the output fields; a wrong value fails the poll with the field's dialog label. */
export function readNewItemsOutput(dialog: NodeFieldReader, def: { format?: unknown; emit?: unknown; latest?: unknown }): NewItemsOutput {
  const emit = dialog.choice<TriggerEmit>('emit', def.emit);
  return {
    format: dialog.choice<OutputFormat>('format', def.format),
    emit,
    latest: emit === 'latest' ? dialog.requiredInt('latest', def.latest) : 0,
  };
}

/**
 * The messages for the new items (oldest first): one per item, or one whose payload is the latest N items,
 * newest first (a table of the last plays refreshed on every new one). The new items make the list when there
 * are enough of them; else `readLatest` reads it (one request, only when something is new).
 */
export async function newItemsMessages<T>(
  items: readonly T[],
  output: NewItemsOutput,
  readLatest: (limit: number) => Promise<T[]>,
  facts: () => Record<string, unknown>,
): Promise<NodeMessage[]> {
  if (items.length === 0) return [];
  if (output.emit === 'each') return items.map((item) => withColumns({ payload: shapeItem(item, output.format), spotify: facts() }));
  const latest = items.length >= output.latest ? [...items].reverse() : await readLatest(output.latest);
  const list = latest.slice(0, output.latest).map((item) => shapeItem(item, output.format));
  return [withColumns({ payload: list, spotify: { ...facts(), count: list.length, new: items.length } })];
}
