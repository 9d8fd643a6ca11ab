// Text shown to a user (a status, an error, a note) is cut to a length with an ellipsis in one place.

/** `text`, or its first `max - 1` characters and "…" when it is longer than `max`. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
