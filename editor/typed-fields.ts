// A dialog field that is a typed input: the value in #node-input-<name>, its type in the hidden
// #node-input-<name>Type (the node's `<name>Type` property), as every node of the pack names them.

/** Where a value may come from besides a literal: the message, flow or global context, an environment variable. */
export const FROM_ELSEWHERE = ['msg', 'flow', 'global', 'env'] as const;

/** A number, typed or from elsewhere (limits, positions). */
export const NUMBER = ['num', ...FROM_ELSEWHERE];
/** A text, typed or from elsewhere (markets, snapshots, paths). */
export const TEXT = ['str', ...FROM_ELSEWHERE];
/** Something the message usually brings, or a text typed in (names, queries). */
export const MESSAGE_OR_TEXT = [...FROM_ELSEWHERE, 'str'];
/** A list of items the message usually brings, or typed in as text or JSON (tracks, IDs, URIs). */
export const ITEMS = [...FROM_ELSEWHERE, 'str', 'json'];
/** A flag the message usually brings, or set here. */
export const FLAG = [...FROM_ELSEWHERE, 'bool'];

/** Makes #node-input-<name> a typed input offering `types` in menu order; the first is a new node's. */
export function typedField(name: string, types: readonly string[]): void {
  $('#node-input-' + name).typedInput({ default: types[0], typeField: '#node-input-' + name + 'Type', types });
  labelTypedInput(name);
}

/**
 * Names what a typed input draws by its field's label: Node-RED (4.x) hides #node-input-<name>, which the label is
 * for, and draws a new unlabeled box (and, for JSON, an unnamed expand button): a screen reader would announce
 * "edit text" and "button". Referenced by id, as the label's text is translated after oneditprepare. Call it right
 * after building the typed input of #node-input-<name>.
 */
export function labelTypedInput(name: string): void {
  const $label = $('label[for="node-input-' + name + '"]');
  if (!$label.length) return;
  const id = $label.attr('id') || 'node-input-' + name + '-label';
  $label.attr('id', id);
  // 4.x puts its box beside the hidden field; 3.x kept the field itself as the box.
  const $field = $('#node-input-' + name);
  $field
    .next('.red-ui-typedInput-container')
    .add($field.closest('.red-ui-typedInput-container'))
    .find('input.red-ui-typedInput-input, button.red-ui-typedInput-option-expand')
    .attr('aria-labelledby', id);
}
