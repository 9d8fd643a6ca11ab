// The runtime heads an unnamed node's errors and log lines with the label the editor draws on the canvas
// (nodes/node-red/node-label.ts). This test runs each node's built HTML the way the editor does and fails when its
// `label` and the runtime's differ for the same node: its defaults, a name, each command or choice the label
// shows, each picked item.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeLabel } from '../../nodes/node-red/node-label';
import { FakeEditor } from '../support/editor-bundle';
import { BUILD_ROOT } from '../support/node-red-process';
import { packNodeTypes } from '../support/node-types';

type Label = (this: Record<string, unknown>) => string;

function catalog(type: string): Record<string, unknown> {
  const file = path.join(BUILD_ROOT, 'nodes', 'locales', 'en-US', `${type.replace(/^spotify-/, '')}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The editor's `label` of `type`, from its built HTML, with `this._` reading the English catalog as the editor's. */
function editorLabel(type: string): (config: Record<string, unknown>) => string {
  const file = path.join(BUILD_ROOT, 'nodes', `${type.replace(/^spotify-/, '')}.html`);
  const html = fs.readFileSync(file, 'utf8');
  const scripts = [...html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n;\n');
  const editor = new FakeEditor();
  editor.loadBundle();
  editor.run(scripts, file);
  const label = editor.defs.get(type)?.label as Label | undefined;
  assert.equal(typeof label, 'function', `${type}: a label function`);
  const texts = catalog(type);
  const _ = (key: string): string => {
    const found = key
      .split('.')
      .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), texts);
    return typeof found === 'string' ? found : key;
  };
  return (config) => (label as Label).call({ ...config, _ });
}

/** The configs to compare: the defaults, named, each choice a label reads, each picker field picked or by name. */
function variants(type: string, defaults: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ ...defaults }, { ...defaults, name: 'Morning alarm' }];
  const texts = catalog(type)[type] as Record<string, unknown>;
  for (const select of ['command', 'what']) {
    const choices = texts[select];
    if (select in defaults && choices && typeof choices === 'object')
      for (const value of Object.keys(choices)) out.push({ ...defaults, [select]: value });
  }
  for (const field of Object.keys(defaults).filter((k) => `${k}Type` in defaults && `${k}Name` in defaults)) {
    out.push({ ...defaults, [field]: 'x', [`${field}Type`]: 'spotify-id', [`${field}Name`]: 'Kitchen speaker' });
    out.push({ ...defaults, [field]: 'x', [`${field}Type`]: 'spotify-id', [`${field}Name`]: '' });
    out.push({ ...defaults, [field]: 'Saved this week', [`${field}Type`]: 'spotify-name' });
    if ('command' in defaults) out.push({ ...defaults, command: 'volume', [`${field}Type`]: 'spotify-id', [`${field}Name`]: 'Kitchen' });
  }
  if (type === 'spotify-request')
    for (const [method, pathType] of [
      ['POST', 'str'],
      ['msg', 'str'],
      ['GET', 'msg'],
    ])
      out.push({ ...defaults, method, pathType, path: '/me/player/pause' });
  return out;
}

describe("an unnamed node's error header is its canvas label", function () {
  for (const { type, defaults, isConfig } of packNodeTypes()) {
    if (isConfig) continue;
    it(`${type}: the runtime's label is the editor's`, function () {
      const label = editorLabel(type);
      for (const config of variants(type, defaults)) assert.equal(nodeLabel(type, config), label(config), JSON.stringify(config));
    });
  }

  it('player control goes by its command, not its palette words', function () {
    assert.equal(nodeLabel('spotify-player-control', { command: 'next' }), 'next');
    assert.equal(nodeLabel('spotify-player-control', {}), 'pause');
  });
});
