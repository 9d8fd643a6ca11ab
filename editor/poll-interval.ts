// A trigger's "poll every" field: a spinner of whole seconds (its limits are checked by the field table).

export function pollIntervalField(name = 'interval'): void {
  $('#node-input-' + name).spinner({ min: 1 });
}
