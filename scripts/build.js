#!/usr/bin/env node
// Compiles the TypeScript and lays the result out the way Node-RED loads a package: each node's editor
// HTML, message catalogs and icons next to its compiled .js file (Node-RED looks for icons/ and locales/
// beside the node file, not at the package root), plus a package.json and examples/ at the build's root,
// so the build directory itself can be installed into a Node-RED user directory.
//
// The editor code (editor/, TypeScript for the browser) is type-checked against editor/tsconfig.json and bundled
// by esbuild into one script, resources/editor.js: Node-RED serves a package's root resources/ folder at
// resources/<package name>/, and the editor plugin (editor/plugin.html) loads it once, before the node
// definitions. The bundle is written into the source tree's resources/ (ignored by git) because that is the
// folder the published package serves; the build folder gets a copy, like the rest of resources/.
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
/** The editor bundle, made by this build (so not one of its inputs). */
const EDITOR_BUNDLE = path.join('resources', 'editor.js');

/** Every file the build reads, in a stable order. */
function inputFiles() {
  const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.js'];
  const walk = (dir) => {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile() && rel !== EDITOR_BUNDLE) files.push(rel);
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

// The editor code: type-checked on its own (browser types, no Node.js), then bundled whatever the checker said,
// as tsc above emits despite errors; the build's status reports both.
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'editor'), '--noEmit'], {
    stdio: 'inherit',
    cwd: root,
  });
} catch (err) {
  console.error('build: the TypeScript compiler reported errors in editor/ (above)');
  status = status || (typeof err.status === 'number' ? err.status : 1);
}
const bundle = require('esbuild').buildSync({
  entryPoints: [path.join(root, 'editor', 'index.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  charset: 'utf8',
  legalComments: 'none',
  write: false,
  banner: { js: '// @tunewire/node-red-spotify editor code: built by scripts/build.js from editor/ (TypeScript). Edit there.' },
  logLevel: 'warning',
});
// Written whole or not at all: another build (TUNEWIRE_BUILD_DIR) or a running Node-RED may read it meanwhile.
const bundleFile = path.join(root, EDITOR_BUNDLE);
fs.writeFileSync(bundleFile + '.tmp', bundle.outputFiles[0].contents);
fs.renameSync(bundleFile + '.tmp', bundleFile);

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
expandHelpParts(path.join(out, 'nodes', 'locales'));

// A help section several nodes share word for word (the triggers' "Polling") is written once per language, in
// nodes/locales/<lang>/_parts/<name>.html, and stands in each help page as <!-- part: <name> -->: the build puts it
// in, so Node-RED serves whole pages, and the parts folders are not shipped.
function expandHelpParts(localesDir) {
  if (!fs.existsSync(localesDir)) return;
  for (const lang of fs.readdirSync(localesDir)) {
    const dir = path.join(localesDir, lang);
    const partsDir = path.join(dir, '_parts');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.html'))) {
      const page = fs.readFileSync(path.join(dir, file), 'utf8');
      const whole = page.replace(/^([ \t]*)<!-- part: ([\w-]+) -->$/gm, (_m, indent, name) => {
        const partFile = path.join(partsDir, `${name}.html`);
        if (!fs.existsSync(partFile)) {
          console.error(`build: nodes/locales/${lang}/${file} asks for the help part ${name}, which nodes/locales/${lang}/_parts lacks`);
          process.exit(1);
        }
        return fs.readFileSync(partFile, 'utf8').trimEnd();
      });
      if (whole !== page) fs.writeFileSync(path.join(dir, file), whole);
    }
    fs.rmSync(partsDir, { recursive: true, force: true });
  }
}
copyTree(path.join(root, 'icons'), path.join(out, 'nodes', 'icons'), () => true);
copyTree(path.join(root, 'test'), path.join(out, 'test'), (n) => !n.endsWith('.ts'));
copyTree(path.join(root, 'examples'), path.join(out, 'examples'), (n) => n.endsWith('.json'));
// What Node-RED serves from a package's root resources/ folder (at resources/<module name>/…): the editor bundle
// made above, and the Dashboard 2 widgets' client code, which Dashboard 2 loads from there too.
copyTree(path.join(root, 'resources'), path.join(out, 'resources'), (n) => !n.endsWith('.tmp'));
// The editor plugin: an HTML file only, which loads the editor bundle (package.json node-red.plugins).
copyTree(path.join(root, 'editor'), path.join(out, 'editor'), (n) => n.endsWith('.html'));

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
const inBuild = (files) => Object.fromEntries(Object.entries(files ?? {}).map(([name, file]) => [name, file.replace(/^dist\//, '')]));
const nodes = inBuild(pkg['node-red'].nodes);
const plugins = inBuild(pkg['node-red'].plugins);
const manifest = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  license: pkg.license,
  keywords: pkg.keywords,
  engines: pkg.engines,
  'node-red': { ...pkg['node-red'], nodes, plugins },
  'node-red-dashboard-2': pkg['node-red-dashboard-2'],
  peerDependencies: pkg.peerDependencies,
  peerDependenciesMeta: pkg.peerDependenciesMeta,
};
fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
if (status === 0) fs.writeFileSync(hashFile, current + '\n');
process.exitCode = status;
