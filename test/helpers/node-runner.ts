// Drives one node of a loaded test flow: send it a message, get back its output (at the helper node `out`)
// or its error (at the helper `caught` behind a catch node). One permanent listener per helper: several
// `once('input')` listeners on one Node-RED node trip over each other when they remove themselves.
import assert from 'node:assert/strict';
import type { NodeMessage } from 'node-red';
import type { TestEnv } from '../support/env';

export type Output = NodeMessage & { payload: unknown; spotify: Record<string, unknown> };
export type Outcome = { ok: true; msg: Output; all: Output[] } | { ok: false; message: string; msg: NodeMessage; all: Output[] };

export interface Runner {
  /** The first output or error. */
  (id: string, msg?: Record<string, unknown>): Promise<Outcome>;
  /** Waits for `count` outputs (or an error); `all` holds them. */
  many(id: string, msg: Record<string, unknown>, count: number): Promise<Outcome>;
}

export function runner(env: () => TestEnv, timeoutMs = 25_000): Runner {
  let wired: TestEnv | undefined;
  let waiting: { count: number; got: Output[]; settle: (o: Outcome) => void } | undefined;
  const wire = (e: TestEnv): void => {
    if (wired === e) return;
    wired = e;
    e.node('out').on('input', (m: NodeMessage) => {
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
  const run = (id: string, msg: Record<string, unknown>, count: number): Promise<Outcome> => {
    const e = env();
    wire(e);
    return new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = undefined;
        reject(new Error(`${id}: ${count} output(s) expected within ${timeoutMs} ms`));
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
      e.node(id).receive(msg);
    });
  };
  const call = ((id: string, msg: Record<string, unknown> = {}) => run(id, msg, 1)) as Runner;
  call.many = (id, msg, count) => run(id, msg, count);
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
