// Node-RED Dashboard 2 (@flowfuse/node-red-dashboard), an optional peer: the pack never requires it. A widget
// reaches it only through its ui-group config node, and learns from the pack's own manifest which client file
// and component Dashboard 2 loads and which Dashboard version the pack needs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, NodeAPI } from 'node-red';

export const DASHBOARD_PACKAGE = '@flowfuse/node-red-dashboard';

/** Where Dashboard 2 finds a third-party widget's client code (its `src` entry for the widget type). */
export interface WidgetSource {
  package: string;
  name: string;
  src: string;
  component: string;
  path: string;
}

/**
 * A widget's hooks. Dashboard 2 runs `beforeSend` on a flow's message before `onInput`, and on a viewer's
 * widget-action (with `onAction` set) before sending its result out of the node; `onChange` and `onSend`
 * replace its default handling of a viewer's widget-change and widget-send (which would send them out).
 */
export interface WidgetEvents {
  onAction?: boolean;
  beforeSend?(msg: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  onInput?(msg: Record<string, unknown>, send: (msg: Record<string, unknown>) => void): Promise<void>;
  onChange?(msg: Record<string, unknown>, value: unknown): void | Promise<void>;
  onSend?(msg: unknown): void | Promise<void>;
}

interface DashboardWidget {
  src?: WidgetSource;
}

/** The parts of Dashboard 2's ui-base node a widget uses. */
export interface DashboardBase {
  /** Sends an event to every connected dashboard client (ui-base surfaces it for other nodes). */
  emit(event: string, data: unknown, node: Node): void;
  ui?: { widgets?: Map<string, DashboardWidget> };
}

export interface DashboardGroup {
  register(node: Node, config: Record<string, unknown>, events: WidgetEvents): void;
  getBase(): DashboardBase;
}

/** The ui-group a widget belongs to, or undefined when there is none (no group chosen, or Dashboard 2 missing). */
export function dashboardGroup(RED: NodeAPI, id: unknown): DashboardGroup | undefined {
  if (typeof id !== 'string' || id === '') return undefined;
  const node = RED.nodes.getNode(id) as (Node & Partial<DashboardGroup>) | null;
  return node && typeof node.register === 'function' && typeof node.getBase === 'function' ? (node as DashboardGroup) : undefined;
}

interface PackManifest {
  name: string;
  peerDependencies?: Record<string, string>;
  'node-red-dashboard-2'?: { widgets?: Record<string, { output: string; component: string }> };
}

let manifest: { file: string; json: PackManifest } | undefined;

/** The nearest package.json above this file that declares Dashboard 2 widgets: the pack's (or the build's). */
function packManifest(): { file: string; json: PackManifest } | undefined {
  if (manifest) return manifest;
  let dir = __dirname;
  for (let up = 0; up < 5; up++) {
    const file = path.join(dir, 'package.json');
    try {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as PackManifest;
      if (json['node-red-dashboard-2']) return (manifest = { file, json });
    } catch {
      // no package.json at this level
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

/** The Dashboard 2 versions the pack works with, as its peerDependencies say. */
export function requiredDashboardVersion(): string {
  return packManifest()?.json.peerDependencies?.[DASHBOARD_PACKAGE] ?? '>=1';
}

/** The client code of a widget type, as the pack's "node-red-dashboard-2" manifest entry names it. */
export function widgetSource(type: string): WidgetSource | undefined {
  const found = packManifest();
  const entry = found?.json['node-red-dashboard-2']?.widgets?.[type];
  if (!found || !entry) return undefined;
  return { package: found.json.name, name: type, src: entry.output, component: entry.component, path: path.dirname(found.file) };
}

/**
 * Dashboard 2 looks for third-party widgets only in packages named node-red-dashboard-2-… (or in nodesDir and
 * the user directory's own manifest); for this pack, installed under its own name, the widget is told where its
 * client code is after it registers, before the dashboard sends its configuration to any client.
 */
export function ensureWidgetSource(group: DashboardGroup, node: Node, type: string): void {
  const widget = group.getBase().ui?.widgets?.get(node.id);
  if (widget && !widget.src) widget.src = widgetSource(type);
}
