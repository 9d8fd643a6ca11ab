// Every message a node takes ends in an output or in a Catch node. Node-RED copies a failed message for each
// Catch node; a message it cannot copy (nested 100,000 deep, a property whose getter throws) makes done(err)
// itself throw, and the message would end nowhere — an `http in` caller would wait for ever. This is the one
// place that ends such a message anyway: with the parts that cannot be copied replaced by a note naming them.
// The same holds on the success path: Node-RED copies a message for every wire after the first, inside send(),
// after the first wire has it (and with req/res taken off it): such a message is given its notes before it goes.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { InputError, reason } from '../spotify/errors';
import { say } from '../spotify/words';

type Done = (err?: Error) => void;

/** Longest array a refused message hands on to its Catch node. Node-RED copies the message for it slot by slot
 *  (an array of length 10 million: about a second, with the event loop held), and no node takes more than
 *  10,000 items, so anything this long is the reason the message was refused. */
const MAX_PASSED_ON_ITEMS = 20_000;

/** done(err), or — when Node-RED cannot copy `msg` for the Catch node — the same error on a copy of `msg`
 *  whose uncopyable properties are replaced by a note, with those properties named in the error. */
export function failMessage(RED: NodeAPI, node: Node, msg: NodeMessage, err: Error, done: Done): void {
  // cloneMessage takes req/res off the message while it copies and does not put them back when the copy throws.
  const http = httpParts(msg);
  if (err instanceof InputError) {
    const dropped = dropHugeArrays(msg);
    if (dropped.length) err.message += say('input.notPassedOn', { fields: dropped.join(', ') });
  }
  try {
    // Handed on as text: Node-RED shows an Error in the Debug sidebar as a collapsed object with its message cut,
    // a string as text, whole. A Catch node gets the same msg.error.message either way (Node-RED uses toString()).
    (done as (err?: Error | string) => void)(readable(err));
    return;
  } catch (copyErr) {
    Object.assign(msg, http);
    const { copy, fields } = copyable(RED, msg);
    const note = say('input.notCopied', {
      fields: fields.map((f) => `msg.${f}`).join(', ') || say('input.theMessage'),
      reason: reason(copyErr),
    });
    const noted = new Error(`${err.message} — ${note}`);
    noted.name = err.name; // the Catch node shows "InputError: …" as for any other bad input
    try {
      node.error(readable(noted), copy);
    } catch (last) {
      // Not even the copy could be handed on: the log is all that is left.
      node.error(`${err.message} — ${note}; ${reason(last)}`);
    }
  }
}

/** What `send` hands to Node-RED: each message made copyable first (see makeCopyable) when the node is wired to
 *  more than one input, so that Node-RED's copy for the second wire cannot throw halfway through a send. */
export function copyingSend<S extends (out: NodeMessage | NodeMessage[]) => void>(RED: NodeAPI, node: Node, send: S): S {
  if (wireCount(node) < 2) return send;
  return ((out: NodeMessage | NodeMessage[]) => {
    for (const m of messagesIn(out)) makeCopyable(RED, m);
    send(out);
  }) as S;
}

/** Replaces, in `msg` itself, each own property Node-RED cannot copy by a note ("[not copied: <why>]"), as
 *  failMessage does for the Catch node; returns their names (none for the usual message, after one copy). */
export function makeCopyable(RED: NodeAPI, msg: NodeMessage): string[] {
  const http = httpParts(msg);
  try {
    RED.util.cloneMessage(msg);
    return [];
  } catch {
    Object.assign(msg, http);
  }
  const { copy, fields } = copyable(RED, msg);
  for (const key of fields) {
    // A getter or a read-only property is replaced too; a frozen message stays as it is (send then fails,
    // and the message ends in the Catch node).
    const descriptor = Object.getOwnPropertyDescriptor(msg, key);
    if (descriptor?.configurable)
      Object.defineProperty(msg, key, { value: copy[key], enumerable: true, writable: true, configurable: true });
  }
  return fields;
}

/** How many node inputs the node's outputs are wired to, all outputs together. */
function wireCount(node: Node): number {
  const wires: unknown = (node as Node & { wires?: unknown }).wires;
  return Array.isArray(wires) ? wires.reduce<number>((n, w) => n + (Array.isArray(w) ? w.length : 0), 0) : 0;
}

/** The messages of one send(): a message, an array per output, an array of messages for one output. */
function messagesIn(out: unknown): NodeMessage[] {
  if (Array.isArray(out)) return out.flatMap(messagesIn);
  return typeof out === 'object' && out !== null ? [out as NodeMessage] : [];
}

/** An error as the Debug sidebar and a Catch node's msg.error.message show it: "Name: message", whole. */
export function readable(err: Error): string {
  return `${err.name}: ${err.message}`;
}

/** A copy of `msg` Node-RED can clone: each own property as is when it can be copied, else a note. `req` and
 *  `res` (an http in request) are kept as they are: Node-RED passes them by reference. */
export function copyable(RED: NodeAPI, msg: NodeMessage): { copy: NodeMessage; fields: string[] } {
  const copy: Record<string, unknown> = {};
  const fields: string[] = [];
  for (const key of Object.keys(msg)) {
    if (key === 'req' || key === 'res') {
      copy[key] = (msg as Record<string, unknown>)[key];
      continue;
    }
    try {
      const value = (msg as Record<string, unknown>)[key];
      RED.util.cloneMessage({ value });
      copy[key] = value;
    } catch (err) {
      copy[key] = say('input.notCopiedNote', { reason: reason(err) });
      fields.push(key);
    }
  }
  return { copy: copy, fields };
}

/** Replaces the message's top-level arrays longer than MAX_PASSED_ON_ITEMS by a note; names them. */
function dropHugeArrays(msg: NodeMessage): string[] {
  const m = msg as Record<string, unknown>;
  const dropped: string[] = [];
  for (const key of Object.keys(m)) {
    const descriptor = Object.getOwnPropertyDescriptor(m, key);
    const value: unknown = descriptor && 'value' in descriptor ? descriptor.value : undefined; // no getters run here
    if (Array.isArray(value) && value.length > MAX_PASSED_ON_ITEMS && descriptor?.writable) {
      m[key] = say('input.arrayNote', { count: value.length });
      dropped.push(say('input.arrayField', { field: `msg.${key}`, count: value.length }));
    }
  }
  return dropped;
}

function httpParts(msg: NodeMessage): Record<string, unknown> {
  const m = msg as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (m.req !== undefined) out.req = m.req;
  if (m.res !== undefined) out.res = m.res;
  return out;
}
