// How list results leave a node: one message with an array, or one message per item with msg.parts set
// the way Node-RED's split node does (so a join node can rebuild the array); each item as Spotify sent it or as
// a flat row for a table (nodes/spotify/rows.ts).
import type { NodeAPI, NodeMessage, NodeMessageInFlow } from 'node-red';
import { toRow } from '../spotify/rows';
import type { SendFn } from './action-node';
import { makeCopyable } from './message-guard';

export type OutputMode = 'array' | 'split';
export const OUTPUT_MODES: readonly OutputMode[] = ['array', 'split'];

/** Each item as Spotify's object, or as a flat row (title, artists, album, duration, local times, cover, uri). */
export const OUTPUT_FORMATS = ['objects', 'rows'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What a trigger that finds new items sends: one message per item, or the latest N as one list. */
export const TRIGGER_EMITS = ['each', 'latest'] as const;
export type TriggerEmit = (typeof TRIGGER_EMITS)[number];

/** The rows made here: their keys, in order, are the columns a CSV file or a table of them has. */
const ROWS = new WeakSet<object>();

/** One item in the chosen format. */
export function shapeItem(item: unknown, format: OutputFormat): unknown {
  if (format !== 'rows') return item;
  const row = toRow(item);
  ROWS.add(row);
  return row;
}

/**
 * Sets `msg.columns` ("played_at,title,artists,…") when the payload is a row or a list of rows, as core's csv
 * node does for what it parses: a csv node then writes the columns in the rows' order (a header line from them if
 * asked) without warning "No columns template specified". Any other payload leaves the message as it is.
 */
export function withColumns<M extends { payload?: unknown; columns?: unknown }>(msg: M): M {
  const first: unknown = Array.isArray(msg.payload) ? msg.payload[0] : msg.payload;
  if (typeof first === 'object' && first !== null && ROWS.has(first)) msg.columns = Object.keys(first).join(',');
  return msg;
}

/** The items in the chosen format, read as they come. */
export async function* shapeItems<T>(items: AsyncIterable<T> | Iterable<T>, format: OutputFormat): AsyncGenerator<unknown> {
  for await (const item of items) yield shapeItem(item, format);
}

export interface ListResult {
  count: number;
}

/**
 * Sends `items` (read as they come, or an array already in hand) as `msg.payload`. In split mode each item goes
 * out as soon as it is read (memory stays flat for long lists); the last one is held back until the end so it
 * can carry `parts.count`.
 */
export async function sendList<T>(
  RED: NodeAPI,
  msg: NodeMessageInFlow,
  send: SendFn,
  items: AsyncIterable<T> | Iterable<T>,
  mode: OutputMode,
  facts: () => Record<string, unknown>,
): Promise<ListResult> {
  if (mode === 'array') {
    const all: T[] = [];
    for await (const item of items) all.push(item);
    msg.payload = all;
    withColumns(msg);
    msg.spotify = { ...facts(), count: all.length };
    send(msg);
    return { count: all.length };
  }
  return sendEach(RED, msg, send, items, facts);
}

export interface EachOptions<T> {
  /** What goes out as msg.payload for an item (default: the item). */
  payload?: (item: T) => unknown;
  /** Facts about this item for msg.spotify, beside the shared ones (e.g. its type). */
  itemFacts?: (item: T) => Record<string, unknown>;
}

/** One message per item, as each is read, with msg.parts as the split node sets it; the last one is held back
 *  until the end so that it can carry `parts.count` for a join node. */
export async function sendEach<T>(
  RED: NodeAPI,
  msg: NodeMessageInFlow,
  send: SendFn,
  items: AsyncIterable<T> | Iterable<T>,
  facts: () => Record<string, unknown>,
  options: EachOptions<T> = {},
): Promise<ListResult> {
  const partsId = RED.util.generateId();
  // Each item goes out on a copy of the message: a property that cannot be copied is replaced by a note once.
  makeCopyable(RED, msg);
  let held: T | undefined;
  let index = 0;
  const emit = (item: T, last: boolean): void => {
    const out = RED.util.cloneMessage(msg) as NodeMessage;
    out.payload = options.payload ? options.payload(item) : item;
    withColumns(out);
    out.parts = { id: partsId, index, type: 'array', len: 1, ...(last ? { count: index + 1 } : {}) };
    out.spotify = { ...facts(), ...options.itemFacts?.(item), index };
    index++;
    send(out);
  };
  let any = false;
  for await (const item of items) {
    if (any) emit(held as T, false);
    held = item;
    any = true;
  }
  if (any) emit(held as T, true);
  return { count: index };
}
