// Each node's .html reaches the editor code (editor/, bundled into resources/editor.js) only through the global
// `tunewire`, from functions the editor calls later. Neither ESLint nor tsc sees across that line: this test runs
// the shipped bundle and every node's HTML scripts, as the editor does, and fails for a call to something the
// bundle does not have, and for a node whose dialog would run another node's editor code.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeEditor } from '../support/editor-bundle';
import { BUILD_ROOT, PACKAGE_ROOT } from '../support/node-red-process';

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  'node-red': { nodes: Record<string, string> };
};
const NODES = Object.entries(pkg['node-red'].nodes);

function scriptsOf(file: string): string {
  const html = fs.readFileSync(file, 'utf8');
  return [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n;\n');
}

/** The value at a dotted path below an object, or undefined. */
function at(root: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), root);
}

describe("the nodes' HTML and the editor bundle", function () {
  const editor = new FakeEditor();
  editor.loadBundle();
  const tunewire = editor.global<Record<string, unknown>>('tunewire');

  it('the bundle defines the one global, tunewire', function () {
    assert.equal(typeof tunewire, 'object');
  });

  for (const [type, file] of NODES) {
    const htmlFile = path.join(BUILD_ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.html'));
    const name = path.basename(htmlFile, '.html').replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

    it(`${type}: every tunewire.… its HTML calls is a function of the bundle, and its dialog runs its own code`, function () {
      const scripts = scriptsOf(htmlFile);
      editor.run(scripts, htmlFile); // registers the type, as the editor does (nothing of the bundle runs yet)
      assert.ok(editor.defs.get(type), `${type} registered`);
      const calls = [...new Set([...scripts.matchAll(/\btunewire\.([\w.]+)\(/g)].map((m) => m[1]))];
      assert.deepEqual(
        calls.filter((c) => typeof at(tunewire, c) !== 'function'),
        [],
        'calls to functions the bundle does not have',
      );
      const hooks = calls.filter((c) => c.startsWith('nodes.'));
      assert.ok(hooks.includes(`nodes.${name}.oneditprepare`), `its oneditprepare calls tunewire.nodes.${name}.oneditprepare`);
      assert.deepEqual(
        hooks.filter((c) => !c.startsWith(`nodes.${name}.`)),
        [],
        "calls into another node's editor code",
      );
    });
  }
});
