// now playing: how often to poll; under More options, the market.
import { attachAccountLine } from '../account-line';
import { pollIntervalField } from '../poll-interval';
import { moreOptions } from '../more-options';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
  pollIntervalField();
  moreOptions(['market']);
}
