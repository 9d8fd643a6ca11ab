// new saved: how often to poll.
import { attachAccountLine } from '../account-line';
import { pollIntervalField } from '../poll-interval';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pollIntervalField();
}
