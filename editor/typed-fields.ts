// A dialog field that is a typed input: the value in #node-input-<name>, its type in the hidden
// #node-input-<name>Type (the node's `<name>Type` property), as every node of the pack names them.

/** Where a value may come from besides a literal: the message, flow or global context, an environment variable. */
export const FROM_ELSEWHERE = ['msg', 'flow', 'global', 'env'] as const;

/** Makes #node-input-<name> a typed input offering `types` (in menu order), `defaultType` for a new node. */
export function typedField(name: string, defaultType: string, types: readonly string[]): void {
  $('#node-input-' + name).typedInput({ default: defaultType, typeField: '#node-input-' + name + 'Type', types });
}
