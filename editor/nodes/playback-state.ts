// playback state: nothing to set but the account (what to read is a plain select).
import { attachAccountLine } from '../account-line';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
}
