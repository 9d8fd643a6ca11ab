// Values Node-RED cannot copy (its cloneMessage throws): for the tests that every message still ends.

/** `leaf` wrapped `levels` deep in `{ a: … }`: copying it overflows the stack. */
export function deep(levels: number, leaf: unknown = { end: true }): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** `msg` with an enumerable property `key` whose getter throws "boom". */
export function withThrowingGetter(msg: Record<string, unknown>, key: string): Record<string, unknown> {
  Object.defineProperty(msg, key, {
    enumerable: true,
    configurable: true,
    get() {
      throw new Error('boom');
    },
  });
  return msg;
}
