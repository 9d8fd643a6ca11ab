// Registers a node type with Node-RED so that a stored config an older release saved is migrated (migrations.ts)
// before the node sees it, and so that its old type name keeps working as a hidden alias.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { useNodeCatalog } from './messages';
import { legacyType, migrateConfig, type MigratedNodeType } from './migrations';
import { nodeLabel } from './node-label';

export interface RegisterOptions {
  credentials?: Record<string, { type: 'text' | 'password' }>;
  settings?: Record<string, { value: unknown; exportable: true }>;
}

/**
 * Registers a node type whose stored configs are migrated before the node sees them, plus its old type name as
 * a hidden alias that runs the same node (flows exported before the rename keep working unchanged).
 */
export function registerNode<TDef extends NodeDef>(
  RED: NodeAPI,
  type: MigratedNodeType,
  constructor: (this: Node, def: TDef) => void,
  options: RegisterOptions = {},
): (this: Node, def: TDef) => void {
  const migrating = (): ((this: Node, def: TDef) => void) =>
    function (this: Node, def: TDef): void {
      const config = migrateConfig(type, def);
      constructor.call(this, config);
      // Node-RED heads this node's errors and log lines with its name, else its hex ID: give it the canvas label.
      if (!this.name) this.name = nodeLabel(type, config as unknown as Record<string, unknown>);
    };
  // Its module's RED._ reads the node's own catalog (its texts: nodeTexts in messages.ts).
  useNodeCatalog(RED, type);
  const registered = migrating();
  RED.nodes.registerType(type, registered, options);
  // Settings names must start with the registered type: the alias shares the credentials only.
  RED.nodes.registerType(legacyType(type), migrating(), options.credentials ? { credentials: options.credentials } : {});
  // What Node-RED constructs (its prototype is the one Node-RED gave the node methods to, not `constructor`'s).
  return registered;
}
