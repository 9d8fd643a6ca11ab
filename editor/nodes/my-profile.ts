// my profile: nothing to set but the account.
import { attachAccountLine } from '../account-line';

export function oneditprepare(node: NodeRedEditor.EditorNode): void {
  attachAccountLine(node);
}
