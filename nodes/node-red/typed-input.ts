// Reads a node property set with a typed input (msg, flow, global, env, str, num, json, …).
import type { Node, NodeAPI, NodeMessage } from 'node-red';

export interface TypedValue {
  value: string;
  type: string;
}

export function typedValue(value: unknown, type: unknown, fallback: TypedValue): TypedValue {
  return {
    value: typeof value === 'string' ? value : fallback.value,
    type: typeof type === 'string' && type !== '' ? type : fallback.type,
  };
}

/** Undefined when the property is empty (a blank string field, or a msg property that is not set). */
export function evaluate(RED: NodeAPI, node: Node, msg: NodeMessage, prop: TypedValue): Promise<unknown> {
  if (prop.value === '') return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    RED.util.evaluateNodeProperty(prop.value, prop.type, node, msg, (err: Error | null, result: unknown) => {
      if (err) reject(err);
      else resolve(result);
    });
  });
}
