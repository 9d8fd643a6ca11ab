// How tests drive a node of a loaded test flow: send it a message, get back its output (at the helper node
// `out`) or its error (at the helper `caught` behind a catch node). One permanent listener per helper: several
// `once('input')` listeners on one Node-RED node trip over each other when they remove themselves.
import assert from 'node:assert/strict';
import type { Node, NodeMessage } from 'node-red';
import type { TestEnv } from '../support/env';

export type Output = NodeMessage & { payload: unknown; spotify: Record<string, unknown> };
export type Outcome = { ok: true; msg: Output; all: Output[] } | { ok: false; message: string; msg: NodeMessage; all: Output[] };

export interface Runner {
  /** The first output or error. */
  (id: string, msg?: Record<string, unknown>): Promise<Outcome>;
  /** Waits for `count` outputs (or an error); `all` holds them. */
  many(id: string, msg: Record<string, unknown>, count: number): Promise<Outcome>;
  /** Several messages at once (to one node or several, as `send` does it): waits for `count` outputs in all
   *  (or the first error). */
  outputs(count: number, send: (to: (id: string, msg: Record<string, unknown>) => void) => void | Promise<void>): Promise<Outcome>;
}

export function runner(env: () => TestEnv, timeoutMs = 25_000): Runner {
  let wired: Node | undefined;
  let waiting: { count: number; got: Output[]; settle: (o: Outcome) => void } | undefined;
  const wire = (e: TestEnv): void => {
    // The helper nodes of the flow loaded now (a test may load another flow into the same environment).
    const out = e.node('out');
    if (wired === out) return;
    wired = out;
    out.on('input', (m: NodeMessage) => {
      const w = waiting;
      if (!w) return;
      w.got.push(m as Output);
      if (w.got.length >= w.count) w.settle({ ok: true, msg: w.got[0], all: w.got });
    });
    e.node('caught').on('input', (m: NodeMessage) => {
      const w = waiting;
      if (!w) return;
      w.settle({ ok: false, message: (m as { error: { message: string } }).error.message, msg: m, all: w.got });
    });
  };
  const run = (id: string, msg: Record<string, unknown>, count: number): Promise<Outcome> =>
    expect(`${id}: ${count} output(s)`, count, (e) => e.node(id).receive(msg));
  const expect = (what: string, count: number, send: (e: TestEnv) => void | Promise<void>): Promise<Outcome> => {
    const e = env();
    wire(e);
    return new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = undefined;
        reject(new Error(`${what} expected within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting = {
        count,
        got: [],
        settle: (o) => {
          clearTimeout(timer);
          waiting = undefined;
          resolve(o);
        },
      };
      Promise.resolve(send(e)).catch(reject);
    });
  };
  const call = ((id: string, msg: Record<string, unknown> = {}) => run(id, msg, 1)) as Runner;
  call.many = (id, msg, count) => run(id, msg, count);
  call.outputs = (count, send) => expect(`${count} output(s)`, count, (e) => send((id, msg) => e.node(id).receive(msg)));
  return call;
}

export function ok(o: Outcome): Output {
  if (!o.ok) assert.fail(`expected an output, got the error: ${o.message}`);
  return o.msg;
}

export function failed(o: Outcome): { message: string; spotify: Record<string, unknown> } {
  if (o.ok) assert.fail(`expected an error, got ${JSON.stringify(o.msg.payload)?.slice(0, 200)}`);
  return { message: o.message, spotify: (o.msg.spotify ?? {}) as Record<string, unknown> };
}

/** The Catch node's message for an expected error, as the Catch node passed it on (msg.error, msg.spotify, …). */
export function caught(o: Outcome): NodeMessage & { error: { message: string }; spotify?: Record<string, unknown> } {
  if (o.ok) assert.fail(`expected an error, got ${JSON.stringify(o.msg.payload)?.slice(0, 200)}`);
  return o.msg as NodeMessage & { error: { message: string }; spotify?: Record<string, unknown> };
}

/** Every output of a run that expected several; an error fails the test with its message. */
export function outputs(o: Outcome): Output[] {
  ok(o);
  return o.all;
}

export type Status = { fill?: string; shape?: string; text?: string };

/** The status a node showed last, as the user sees it under the node (the test helper spies node.status). */
export function lastStatus(node: Node): Status | undefined {
  return (node as unknown as { status: { getCalls(): { args: unknown[] }[] } }).status.getCalls().at(-1)?.args[0] as Status | undefined;
}
