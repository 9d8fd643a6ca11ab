// Node statuses are one short line under the node: anything longer is cut with an ellipsis.
import { clip } from '../spotify/text';

export const STATUS_MAX = 40;

export function short(text: string, max = STATUS_MAX): string {
  return clip(text, max);
}
