#!/usr/bin/env node
// Moves the pinned second test line (test-lines.json: the Node.js 22 and Node-RED 5 that scripts/test-node22.sh
// installs) to the newest 22.x and 5.x on the npm registry: `npm run test-lines:update`. The next test run
// notices the change and reinstalls; commit test-lines.json with what the run found.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const file = path.join(__dirname, '..', 'test-lines.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The newest release (no pre-release) of `name` within major version `major`. */
function newest(name, major) {
  const out = execFileSync(npm, ['view', `${name}@${major}`, 'version', '--json'], { encoding: 'utf8' });
  const parsed = JSON.parse(out);
  const versions = (Array.isArray(parsed) ? parsed : [parsed]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  if (versions.length === 0) throw new Error(`no ${name}@${major} release on the registry`);
  const key = (v) => v.split('.').map(Number);
  versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  return versions[versions.length - 1];
}

const lines = JSON.parse(fs.readFileSync(file, 'utf8'));
const next = { ...lines, node22: newest('node', 22), nodeRed5: newest('node-red', 5) };
fs.writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
for (const key of ['node22', 'nodeRed5']) {
  console.log(`${key}: ${lines[key]}${lines[key] === next[key] ? ' (newest)' : ` -> ${next[key]}`}`);
}
