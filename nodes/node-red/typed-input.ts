// Reads a node property set with a typed input (msg, flow, global, env, str, num, json, …).
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { InputError } from '../spotify/errors';
import { reason } from '../spotify/errors';
import { expectText } from '../spotify/words';
import { PLAYLIST_NAME_TYPE } from '../spotify/playlist-names';
import { PICKED_TYPE } from './field-spec';

export interface TypedValue {
  value: string;
  type: string;
}

export function typedValue(value: unknown, type: unknown, fallback: TypedValue): TypedValue {
  const given = typeof type === 'string' && type !== '' ? type : fallback.type;
  return {
    value: typeof value === 'string' ? value : fallback.value,
    type: given === PICKED_TYPE || given === PLAYLIST_NAME_TYPE ? 'str' : given,
  };
}

/** Undefined when the property is empty (a blank string field, or a msg property that is not set). A message,
 *  flow or global property that cannot be read (its getter throws) fails naming it. */
export function evaluate(RED: NodeAPI, node: Node, msg: NodeMessage, prop: TypedValue): Promise<unknown> {
  if (prop.value === '') return Promise.resolve(undefined);
  const unreadable = (err: unknown): Error =>
    ['msg', 'flow', 'global'].includes(prop.type)
      ? new InputError(`${prop.type}.${prop.value}`, expectText('readable', { reason: reason(err) }))
      : err instanceof Error
        ? err
        : new Error(String(err));
  return new Promise((resolve, reject) => {
    try {
      RED.util.evaluateNodeProperty(prop.value, prop.type, node, msg, (err: Error | null, result: unknown) => {
        if (err) reject(unreadable(err));
        else resolve(result);
      });
    } catch (err) {
      reject(unreadable(err));
    }
  });
}
