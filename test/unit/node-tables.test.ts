// Adding a node touches several tables (CONTRIBUTING.md, "Add a node"). A node left out of one of them does not
// fail on its own — it just drops out of the account dialog's "scopes your nodes need", or loses its migration,
// help or example — so this test names each table a registered node type is missing from, and each table entry
// that names no registered type.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIGRATIONS } from '../../nodes/node-red/migrations';
import { nodeOptionScopes, nodeScopeRequirements } from '../../nodes/spotify/node-scopes';
import { PACKAGE_ROOT } from '../support/node-red-process';

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  'node-red': { nodes: Record<string, string> };
};
const REGISTERED = Object.entries(pkg['node-red'].nodes).map(([type, file]) => ({ type, name: path.basename(file, '.js') }));
const TYPES = new Set(REGISTERED.map((n) => n.type));
/** The configuration node calls no operation of its own and has no example of its own: every example uses it. */
const CONFIG = 'spotify-account';

const source = (...parts: string[]): string => path.join(PACKAGE_ROOT, ...parts);
const camel = (name: string): string => name.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

/** The node types each example under examples/Nodes uses. */
function typesInNodeExamples(): Set<string> {
  const dir = source('examples', 'Nodes');
  const used = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const flow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { type?: unknown }[];
    for (const node of flow) if (typeof node.type === 'string') used.add(node.type);
  }
  return used;
}

describe('every node type is in every table a node must be in', function () {
  const operations = nodeScopeRequirements();
  const editorIndex = fs.readFileSync(source('editor', 'nodes', 'index.ts'), 'utf8');
  const examples = typesInNodeExamples();

  for (const { type, name } of REGISTERED) {
    it(`${type} (nodes/${name}.*)`, function () {
      const missing: string[] = [];
      const need = (ok: boolean, where: string): void => void (ok || missing.push(where));
      need(fs.existsSync(source('nodes', `${name}.ts`)), `nodes/${name}.ts (the runtime)`);
      const html = fs.existsSync(source('nodes', `${name}.html`)) ? fs.readFileSync(source('nodes', `${name}.html`), 'utf8') : '';
      need(html.includes(`RED.nodes.registerType('${type}'`), `nodes/${name}.html (registerType('${type}', …))`);
      const icon = /\bicon:\s*'([^']+)'/.exec(html)?.[1];
      need(!icon || fs.existsSync(source('icons', icon)), `icons/${icon ?? ''} (the icon its .html names)`);
      need(fs.existsSync(source('nodes', 'locales', 'en-US', `${name}.json`)), `nodes/locales/en-US/${name}.json (its texts)`);
      need(fs.existsSync(source('nodes', 'locales', 'en-US', `${name}.html`)), `nodes/locales/en-US/${name}.html (its help)`);
      need(type in MIGRATIONS, 'MIGRATIONS in nodes/node-red/migrations.ts (its config version)');
      need(fs.existsSync(source('editor', 'nodes', `${name}.ts`)), `editor/nodes/${name}.ts (its dialog code)`);
      need(
        new RegExp(`from '\\./${name}'`).test(editorIndex) && new RegExp(`^\\s+${camel(name)},$`, 'm').test(editorIndex),
        'editor/nodes/index.ts',
      );
      if (type !== CONFIG) {
        need(type in operations, 'NODE_OPERATIONS in nodes/spotify/node-scopes.ts (the scopes its account needs)');
        need(examples.has(type), 'an example under examples/Nodes/ using it');
      }
      assert.deepEqual(missing, [], `${type} is missing from: ${missing.join('; ')}`);
    });
  }

  it('no table names a node type the package does not register', function () {
    const strangers = [
      ...Object.keys(MIGRATIONS).map((t) => ['MIGRATIONS', t]),
      ...Object.keys(operations).map((t) => ['NODE_OPERATIONS', t]),
      ...Object.keys(nodeOptionScopes()).map((t) => ['OPTION_SCOPES', t]),
    ].filter(([, t]) => !TYPES.has(t));
    assert.deepEqual(strangers, []);
  });

  it('every node file that registers a node is in package.json', function () {
    const registering = fs
      .readdirSync(source('nodes'))
      .filter((f) => f.endsWith('.ts') && /^export = function register\(RED/m.test(fs.readFileSync(source('nodes', f), 'utf8')))
      .map((f) => path.basename(f, '.ts'));
    const listed = new Set(REGISTERED.map((n) => n.name));
    assert.deepEqual(
      registering.filter((n) => !listed.has(n)),
      [],
    );
  });
});
