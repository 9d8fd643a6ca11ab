#!/usr/bin/env node
// Compiles the TypeScript and lays the result out the way Node-RED loads a package: each node's editor
// HTML, message catalogs and icons next to its compiled .js file (Node-RED looks for icons/ and locales/
// beside the node file, not at the package root), plus a package.json and examples/ at the build's root,
// so the build directory itself can be installed into a Node-RED user directory.
//
// TUNEWIRE_BUILD_DIR=<name> builds into another folder of the repository (default: dist), so that
// parallel work does not delete a build that another test run is using.
//
// --if-changed: does nothing when the build folder was made from exactly the current inputs (a hash of every
// source, asset and config file the build reads, kept in <build>/.inputs-hash and written only after a clean
// build). The hash is of contents, not times, so an unchanged tree never rebuilds and a changed one always does.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const outName = process.env.TUNEWIRE_BUILD_DIR || 'dist';
if (!/^[\w.-]+$/.test(outName)) {
  console.error('build: TUNEWIRE_BUILD_DIR must be a plain folder name inside the repository');
  process.exit(2);
}
const out = path.join(root, outName);
const hashFile = path.join(out, '.inputs-hash');

/** Every file the build reads, in a stable order. */
function inputFiles() {
  const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.js'];
  const walk = (dir) => {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) files.push(rel);
    }
  };
  for (const dir of ['nodes', 'icons', 'test', 'examples', 'scripts', 'editor', 'resources']) walk(dir);
  return [...new Set(files)];
}

function inputsHash() {
  const hash = crypto.createHash('sha256');
  for (const rel of inputFiles()) {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) continue;
    hash.update(rel + '\0');
    hash.update(fs.readFileSync(abs));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const current = inputsHash();
if (process.argv.includes('--if-changed')) {
  let previous = '';
  try {
    previous = fs.readFileSync(hashFile, 'utf8').trim();
  } catch {
    // no build yet, or an interrupted one
  }
  if (previous === current) {
    console.log(`build: ${outName} is up to date`);
    process.exit(0);
  }
}

// Said first: compiling is the longest quiet step of a first run.
console.log(`build: compiling into ${outName} (a source changed since the last build; about half a minute) …`);
fs.rmSync(out, { recursive: true, force: true });
// tsc still emits JavaScript when it reports type errors; the layout below is completed either way and the
// build's exit status is the compiler's.
let status = 0;
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root, '--outDir', out], {
    stdio: 'inherit',
    cwd: root,
  });
} catch (err) {
  console.error('build: the TypeScript compiler reported errors (above)');
  status = typeof err.status === 'number' ? err.status : 1;
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
copyTree(path.join(root, 'nodes'), path.join(out, 'nodes'), (n) => !n.endsWith('.ts'));
copyTree(path.join(root, 'icons'), path.join(out, 'nodes', 'icons'), () => true);
copyTree(path.join(root, 'test'), path.join(out, 'test'), (n) => !n.endsWith('.ts'));
copyTree(path.join(root, 'examples'), path.join(out, 'examples'), (n) => n.endsWith('.json'));
// Editor scripts Node-RED serves from a package's root resources/ folder (at resources/<module name>/…), and the
// Dashboard 2 widgets' client code, which Dashboard 2 loads from there too.
copyTree(path.join(root, 'resources'), path.join(out, 'resources'), () => true);
// Editor scripts go inline into each node's HTML where a marker asks for them (`<!-- tunewire:<name> … -->`):
// the Flow Library wants every node's HTML self-contained, and one source file keeps each script in one place.
// field-checks: the dialog field checks; migrations: the versioned-config migrations, registered for the node
// type the file registers (the marker sits after its registerType).
const EDITOR_SCRIPTS = { 'field-checks': 'editor/fields.js', migrations: 'editor/migrations.js' };
// scopes: the scope lists of nodes/spotify/scopes.ts, as the compiler just built them (one source for both sides).
function scopesScript() {
  const { ALL_SCOPES, DEFAULT_SCOPES } = require(path.join(out, 'nodes', 'spotify', 'scopes.js'));
  return `window.tunewireScopes = ${JSON.stringify({ all: ALL_SCOPES, defaults: DEFAULT_SCOPES })};\n`;
}
const MARKER = /<!-- tunewire:([\w-]+)[^>]*-->/g;
for (const name of fs.readdirSync(path.join(out, 'nodes'))) {
  if (!name.endsWith('.html')) continue;
  const file = path.join(out, 'nodes', name);
  const html = fs.readFileSync(file, 'utf8');
  const types = [...html.matchAll(/RED\.nodes\.registerType\(\s*'([\w-]+)'/g)].map((m) => m[1]);
  const inlined = html.replace(MARKER, (marker, script) => {
    const source = EDITOR_SCRIPTS[script];
    if (!source && script !== 'scopes') throw new Error(`build: ${name}: unknown editor script marker ${marker}`);
    let code = source ? fs.readFileSync(path.join(root, source), 'utf8') : scopesScript();
    if (script === 'migrations') {
      if (types.length !== 1)
        throw new Error(`build: ${name}: the migrations marker needs exactly one registerType, found ${types.length}`);
      code += `window.tunewireMigrations.register(${JSON.stringify(types[0])});\n`;
    }
    return `<script type="text/javascript">\n${code}</script>`;
  });
  if (inlined !== html) fs.writeFileSync(file, inlined);
}

// The build as an installable package: the same manifest with node paths relative to the build folder.
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// Every Dashboard 2 widget named in the manifest must have its client code in resources/ (a plain script: Vue
// render functions against Dashboard 2's window.Vue, so it needs no bundler and ESLint checks it as written).
for (const [type, widget] of Object.entries(pkg['node-red-dashboard-2']?.widgets ?? {})) {
  if (!pkg['node-red'].nodes[type]) {
    console.error(`build: Dashboard 2 widget ${type} is not a node type of the package`);
    status = status || 1;
  }
  const client = path.join(root, 'resources', widget.output);
  if (!fs.existsSync(client) || !fs.readFileSync(client, 'utf8').includes(`window['${type}'] = { ${widget.component}:`)) {
    console.error(`build: resources/${widget.output} must define window['${type}'].${widget.component} (Dashboard 2 loads it from there)`);
    status = status || 1;
  }
}
const nodes = {};
for (const [type, file] of Object.entries(pkg['node-red'].nodes)) nodes[type] = file.replace(/^dist\//, '');
const manifest = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  license: pkg.license,
  keywords: pkg.keywords,
  engines: pkg.engines,
  'node-red': { ...pkg['node-red'], nodes },
  'node-red-dashboard-2': pkg['node-red-dashboard-2'],
  peerDependencies: pkg.peerDependencies,
  peerDependenciesMeta: pkg.peerDependenciesMeta,
};
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
if (status === 0) fs.writeFileSync(hashFile, current + '\n');
process.exitCode = status;
