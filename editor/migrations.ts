// Editor side of the versioned node configs: the very table and interpreter the runtime uses
// (nodes/node-red/migrations.ts, bundled in), applied when the editor adds a node (load, import, paste), so a node
// an older release saved opens as today's node. A node of an old type name (tunewire-*) becomes the node of
// today's type; changed nodes are marked so that the next Deploy saves them.
import {
  MIGRATIONS,
  currentVersion,
  legacyType,
  migrateInPlace,
  type MigratedNodeType,
  type MigrationChange,
} from '../nodes/node-red/migrations';

const TYPES = Object.keys(MIGRATIONS) as MigratedNodeType[];
const byLegacy = new Map<string, MigratedNodeType>(TYPES.map((t) => [legacyType(t), t]));
/** The pack's types this editor has a definition for (a disabled node set has none). */
const registered = new Set<MigratedNodeType>();
let pending = 0;

function isPackType(type: string): type is MigratedNodeType {
  return (TYPES as string[]).includes(type);
}

/**
 * Brings a node (or a plain config object) of the pack up to date, in place. Returns what must be saved again
 * (see MigrationChange); a node of another pack, or of a type this editor has no definition for, is left alone.
 */
export function migrate(node: { type: string; version?: unknown }): MigrationChange {
  const type = byLegacy.get(node.type) ?? (isPackType(node.type) ? node.type : undefined);
  if (!type || !registered.has(type)) return '';
  return migrateInPlace(type, node);
}

/** An editor node of an old type or version: migrated, and switched over to today's node definition. */
function onAdd(node: NodeRedEditor.EditorNode): void {
  const legacy = byLegacy.has(node.type);
  const type = byLegacy.get(node.type) ?? node.type;
  if (!isPackType(type) || !registered.has(type)) return;
  const result = migrate(node);
  if (legacy) {
    const def = RED.nodes.getType(node.type);
    if (def) {
      node._def = def;
      if (def._) node._ = def._;
    }
  }
  if (result) {
    node.changed = true;
    node.dirty = true;
    pending++;
    // After the load or import that added it: marking the flows changed from inside it would be undone.
    setTimeout(flush, 0);
  }
}

function flush(): void {
  if (pending === 0) return;
  pending = 0;
  RED.nodes.dirty(true);
  RED.view.redraw(true);
}

/**
 * Once a pack type is registered: its defaults get the current version (new nodes are saved with it), and its
 * old type name is registered, hidden from the palette and quick-add, so that flows exported before the rename import as nodes
 * of today's type.
 */
function register(type: MigratedNodeType): void {
  const def = RED.nodes.getType(type);
  if (!def || registered.has(type)) return;
  registered.add(type);
  def.defaults.version = { value: currentVersion(type) };
  const old = legacyType(type);
  if (!RED.nodes.getType(old)) {
    const alias: NodeRedEditor.NodeDefinition = $.extend(true, {}, def);
    delete alias.set;
    delete alias._;
    delete alias.type;
    if (alias.category !== 'config') alias.category = 'deprecated'; // the palette leaves this category out
    RED.nodes.registerType(old, alias);
    hideFromQuickAdd(alias);
  }
}

/**
 * Quick-add (RED.typeSearch) lists every registered type but config nodes and those of a disabled node set, by
 * `def.set.enabled`. The alias gets a copy of its set marked disabled, so that it is listed once, as today's type;
 * the set itself (shared with today's type, and what Manage palette shows) stays as it is.
 */
function hideFromQuickAdd(alias: NodeRedEditor.NodeDefinition): void {
  if (alias.set && typeof alias.set === 'object') alias.set = { ...alias.set, enabled: false };
}

/**
 * Starts migrating. The bundle may load before the node definitions (the editor plugin, at start-up) or after
 * some of them (a pack installed from the palette loads both at once): types registered later are caught as they
 * come, those already there and their nodes at once.
 */
export function startMigrations(): void {
  RED.events.on('registry:node-type-added', (type) => {
    if (isPackType(type)) register(type);
  });
  RED.events.on('nodes:add', onAdd);
  for (const type of TYPES) register(type);
  const present: NodeRedEditor.EditorNode[] = [];
  RED.nodes.eachNode((n) => void present.push(n));
  RED.nodes.eachConfig((n) => void present.push(n));
  present.forEach(onAdd);
}
