// An account added in this editor and not deployed yet has its store key only here (the dialog generated it):
// requests about that account carry it, or the runtime could not open the account's tokens.

/** Node-RED's placeholder for a stored password the editor is not shown. */
export const KEEP_SECRET = '__PWRD__';

/** The account's store key when the editor holds it and the runtime may not, else undefined. */
export function undeployedStoreKey(accountId: string): string | undefined {
  const key = RED.nodes.node(accountId)?.credentials?.storeKey;
  return typeof key === 'string' && key && key !== KEEP_SECRET ? key : undefined;
}
