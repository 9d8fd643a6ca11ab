// "More options": the rarely needed fields of a dialog folded under one toggle row, so the dialog stays short
// (as core's dialogs fold theirs). The template holds a row with #tunewire-more-toggle and, after it, the folded
// rows in #tunewire-more. The section opens by itself when one of its fields holds something, so a set value is
// never hidden.

/** Whether the dialog's field `name` holds a value (a ticked box, a non-empty text). */
function holdsValue(name: string): boolean {
  const $field = $('#node-input-' + name);
  if ($field.is(':checkbox')) return $field.is(':checked');
  const value = $field.val();
  return typeof value === 'string' ? value !== '' : value !== undefined && value !== null;
}

/** Wires the toggle; `fields` are the names of the folded fields (read after their typed inputs are built). */
export function moreOptions(fields: readonly string[]): void {
  const $toggle = $('#tunewire-more-toggle');
  const $section = $('#tunewire-more');
  const show = (open: boolean): void => {
    $section.toggle(open);
    $toggle.attr('aria-expanded', String(open));
    $toggle.find('i').toggleClass('fa-caret-right', !open).toggleClass('fa-caret-down', open);
  };
  show(fields.some(holdsValue));
  $toggle.on('click', (event) => {
    event.preventDefault();
    show(!$section.is(':visible'));
  });
}
