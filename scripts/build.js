#!/usr/bin/env node
// Compiles the TypeScript and places each node's editor HTML, message catalogs and icons next to its
// compiled .js file: Node-RED looks for icons/ and locales/ beside the node file, not at the package root.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist');

fs.rmSync(out, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: 'inherit', cwd: root });
} catch (err) {
  console.error('build: the TypeScript compiler reported errors (above)');
  process.exit(typeof err.status === 'number' ? err.status : 1);
}

function copyTree(from, to, keep) {
  if (!fs.existsSync(from)) return;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst, keep);
    else if (keep(entry.name)) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, dst);
    }
  }
}
const assets = (name) => !name.endsWith('.ts');
copyTree(path.join(root, 'nodes'), path.join(out, 'nodes'), assets);
copyTree(path.join(root, 'icons'), path.join(out, 'nodes', 'icons'), () => true);
copyTree(path.join(root, 'test'), path.join(out, 'test'), (n) => !n.endsWith('.ts'));
