// The only account is used without a click. Node-RED (4.1 and 5 alike) gives a new node its defaults' values, so
// a config-node field starts empty and the dialog's select shows "none" even when exactly one account exists;
// the node is invalid until the user picks the obvious one. The pack fills the field itself, where core would
// if it could: when a node is added (palette, quick-add, paste) and when a dialog opens on an empty field.
import { MIGRATIONS } from '../nodes/node-red/migrations';

export const ACCOUNT_TYPE = 'spotify-account';

/**
 * The accounts a node on flow `z` can pick, as core's select lists them: those of the whole workspace (no `z`)
 * and those inside the node's own subflow.
 */
export function accountsFor(z: string | undefined): string[] {
  const ids: string[] = [];
  RED.nodes.eachConfig((n) => {
    if (n.type === ACCOUNT_TYPE && (!n.z || n.z === z)) ids.push(n.id);
  });
  return ids;
}

/** The one account a node on flow `z` can use, or '' when there is none or a choice to make. */
export function onlyAccount(z: string | undefined): string {
  const ids = accountsFor(z);
  return ids.length === 1 ? (ids[0] ?? '') : '';
}

/** A node with an empty Account field gets the only account there is; any other value is left alone. */
function preselect(node: NodeRedEditor.EditorNode): void {
  if (node.account) return;
  const id = onlyAccount(node.z);
  if (id) node.account = id;
}

function usesAccount(def: NodeRedEditor.NodeDefinition): boolean {
  return def.defaults.account?.type === ACCOUNT_TYPE;
}

const hooked = new WeakSet<NodeRedEditor.NodeDefinition>();

/** Chains the preselection before a definition's own onadd (run by the editor as a node is added). */
function hook(type: string): void {
  const def = RED.nodes.getType(type);
  if (!def || hooked.has(def) || !usesAccount(def)) return;
  hooked.add(def);
  const own = def.onadd;
  def.onadd = function (this: NodeRedEditor.EditorNode): void {
    preselect(this);
    if (typeof own === 'function') (own as (this: NodeRedEditor.EditorNode) => void).call(this);
  };
}

/** Hooks the pack's node types, those registered already and those to come (see startMigrations). */
export function startAccountDefaults(): void {
  const types = new Set<string>(Object.keys(MIGRATIONS));
  RED.events.on('registry:node-type-added', (type) => {
    if (types.has(type)) hook(type);
  });
  types.forEach(hook);
}
