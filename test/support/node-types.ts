// The node types this build registers (package.json → node-red.nodes) with each one's editor defaults, read
// at test time: the generic tests (fuzz, load) then cover node types added later without being edited.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { BUILD_ROOT } from './node-red-process';

export interface NodeTypeInfo {
  type: string;
  /** The compiled node file. */
  file: string;
  /** The editor's `defaults`, as property → default value; empty when the editor HTML is missing or unreadable. */
  defaults: Record<string, unknown>;
  /** Properties edited with a typed input (a property X with a sibling XType in the defaults). */
  typedInputs: string[];
  outputs: number;
  isConfig: boolean;
  /** Starts flows on its own (polls on a timer); an input only asks for an extra poll, which may send nothing. */
  isTrigger: boolean;
}

interface EditorDefinition {
  category?: string;
  defaults?: Record<string, { value?: unknown }>;
  outputs?: number;
}

export function packNodeTypes(): NodeTypeInfo[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(BUILD_ROOT, 'package.json'), 'utf8')) as {
    'node-red': { nodes: Record<string, string> };
  };
  return Object.entries(pkg['node-red'].nodes).map(([type, rel]) => {
    const file = path.join(BUILD_ROOT, rel);
    const def = editorDefinition(file.replace(/\.js$/, '.html'), type);
    const defaults: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(def?.defaults ?? {})) {
      // Through JSON: arrays made inside the vm context have another realm's prototype.
      defaults[key] =
        spec && typeof spec === 'object' && spec.value !== undefined ? (JSON.parse(JSON.stringify(spec.value)) as unknown) : '';
    }
    const typedInputs = Object.keys(defaults).filter((k) => Object.prototype.hasOwnProperty.call(defaults, `${k}Type`));
    return {
      type,
      file,
      defaults,
      typedInputs,
      outputs: typeof def?.outputs === 'number' ? def.outputs : 1,
      isConfig: def?.category === 'config' || type === 'spotify-account',
      isTrigger:
        'interval' in defaults || (fs.existsSync(file) && /require\("\.\/node-red\/trigger-node"\)/.test(fs.readFileSync(file, 'utf8'))),
    };
  });
}

/** Runs the HTML's scripts against a stub RED and returns what registerType received for `type`. */
function editorDefinition(htmlFile: string, type: string): EditorDefinition | undefined {
  if (!fs.existsSync(htmlFile)) return undefined;
  const html = fs.readFileSync(htmlFile, 'utf8');
  const found: Record<string, EditorDefinition> = {};
  // Anything the scripts touch at load time beyond registerType gets an inert stand-in.
  const inert: unknown = new Proxy(function () {}, {
    get: (_t, p) => (p === Symbol.toPrimitive ? () => '' : inert),
    apply: () => inert,
    construct: () => inert as object,
  });
  const context = vm.createContext({
    RED: {
      nodes: { registerType: (t: string, d: EditorDefinition) => (found[t] = d) },
      _: (k: string) => k,
      settings: {},
      validators: inert,
      editor: inert,
      comms: inert,
      notify: inert,
      utils: inert,
    },
    window: {},
    $: inert,
    jQuery: inert,
    document: inert,
    navigator: {},
    location: { protocol: 'http:', host: '127.0.0.1', pathname: '/' },
    console,
  });
  const scripts = html.matchAll(/<script(?:\s+type="text\/javascript")?\s*>([\s\S]*?)<\/script>/g);
  for (const [, code] of scripts) {
    try {
      vm.runInContext(code, context, { timeout: 1000 });
    } catch {
      // A script that needs the real editor; registerType has usually run by then.
    }
  }
  return found[type];
}
