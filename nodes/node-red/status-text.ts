// Node statuses are one short line under the node: anything longer is cut with an ellipsis, in one place.
export const STATUS_MAX = 40;

export function short(text: string, max = STATUS_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
