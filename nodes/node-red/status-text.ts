// Node statuses are one short line under the node: anything longer is cut with an ellipsis.
import { clip } from '../spotify/text';

export const STATUS_MAX = 40;

export function short(text: string, max = STATUS_MAX): string {
  return clip(text, max);
}

/** An error that knows the few words a node's status shows for it ("playlist gone"). */
export interface StatusWords {
  readonly statusText: string;
}

export function hasStatusWords(err: unknown): err is Error & StatusWords {
  return err instanceof Error && typeof (err as Partial<StatusWords>).statusText === 'string';
}
