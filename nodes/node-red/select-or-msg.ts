// A select in the editor with a "- set by msg.<prop> -" option, like the core http request node's method.
import type { NodeMessage } from 'node-red';
import { oneOf } from '../spotify/inputs';

/** The select's value that defers to the message. */
export const FROM_MSG = 'msg';

/** The configured choice, or `msg[prop]` when the select says so (checked against `allowed`; absent: fallback). */
export function selectOrMsg<T extends string>(setting: unknown, msg: NodeMessage, prop: string, allowed: readonly T[], fallback: T): T {
  if (setting === FROM_MSG) return oneOf((msg as Record<string, unknown>)[prop], prop, allowed, fallback);
  return oneOf(setting, prop, allowed, fallback);
}
