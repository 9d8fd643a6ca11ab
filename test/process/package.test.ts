// The package as users get it: the tarball `npm pack` makes from a fresh copy of the tree (its prepack builds),
// installed with `npm install <tarball>` into a clean Node-RED user directory, loaded by a real Node-RED. Seen
// through the admin API the editor uses: every node type loads, each has its dialog, help and icon, the editor
// scripts are served, and the examples are offered under the package's name.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { legacyType, type MigratedNodeType } from '../../nodes/node-red/migrations';
import { EXAMPLE_LANGUAGES, readTexts } from '../../scripts/localize-examples';
import { EXAMPLE_GROUPS, exampleFiles, offeredExamples } from '../support/examples';
import { NodeRedProcess, PACKAGE_ROOT } from '../support/node-red-process';
import { installTarball, packTarball, type PackedTarball } from '../support/pack-tarball';

interface Manifest {
  name: string;
  version: string;
  files: string[];
  'node-red': { nodes: Record<string, string>; plugins: Record<string, string> };
}
const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Manifest;
const TYPES = Object.keys(pkg['node-red'].nodes).sort();
/** Folders and files a user's install needs; anything else in the tarball is a mistake. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^docs\/images\/[\w-]+\.png$/,
  /^dist\/nodes\//,
  new RegExp(`^examples/(${EXAMPLE_GROUPS.join('|')})/[\\w ,-]+\\.json$`),
  // The copies in German and Japanese (scripts/localize-examples.ts): a folder per language, its groups, their titles.
  new RegExp(`^examples/(${EXAMPLE_LANGUAGES.map((lang) => readTexts(lang).folder).join('|')})/[^/.#]+/[^/.#]+\\.json$`),
  /^dist\/editor\/[\w-]+\.html$/,
  /^resources\//,
];
/** Test-only code or sources that must never ship. */
const FORBIDDEN = [/(^|\/)test\//, /simulator/, /\.ts$/, /(^|\/)scripts\//, /\.inputs-hash$/, /\.map$/];

interface NodeSet {
  id: string;
  module: string;
  types: string[];
  enabled: boolean;
  err?: unknown;
}

/** The part of GET /nodes (text/html) that the package's node sets contribute (Node-RED marks each set). */
function packSections(html: string): string {
  return html
    .split(/<!-- --- \[red-module:/)
    .filter((part) => part.startsWith(`${pkg.name}/`))
    .join('\n');
}

/** The icon file names the editor HTML of the installed package asks for. */
function iconsIn(html: string): string[] {
  return [...new Set([...html.matchAll(/\bicon:\s*['"]([\w.-]+\.(?:svg|png))['"]/g)].map((m) => m[1] ?? ''))].sort();
}

describe('the package as users get it (npm pack → npm install → Node-RED)', function () {
  this.timeout(15 * 60_000); // a full build plus an npm install, on a busy machine
  let tarball: PackedTarball | undefined;
  let userDir = '';
  let red: NodeRedProcess | undefined;

  before(async function () {
    tarball = await packTarball();
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-installed-'));
    await installTarball(userDir, tarball.file);
    red = new NodeRedProcess({ userDir, linkBuild: false });
    await red.start();
  });

  after(async function () {
    await red?.stop();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  async function get(route: string, accept = 'application/json'): Promise<{ status: number; type: string; text: string }> {
    const res = await fetch(`${red?.url}${route}`, { headers: { accept } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  it('holds what an install needs and nothing test-only', function () {
    const files = tarball?.files ?? [];
    assert.deepEqual(
      files.filter((f) => !ALLOWED.some((re) => re.test(f))),
      [],
      'files outside package.json "files"',
    );
    assert.deepEqual(
      files.filter((f) => FORBIDDEN.some((re) => re.test(f))),
      [],
      'test-only files or sources in the tarball',
    );
    for (const [type, file] of Object.entries(pkg['node-red'].nodes)) {
      const base = path.posix.basename(file, '.js');
      for (const need of [file, file.replace(/\.js$/, '.html'), `dist/nodes/locales/en-US/${base}.json`]) {
        assert.ok(files.includes(need), `${type}: ${need} is in the tarball`);
      }
    }
    for (const ex of exampleFiles(path.join(PACKAGE_ROOT, 'examples')))
      assert.ok(files.includes(`examples/${ex}`), `examples/${ex} is in the tarball`);
    for (const res of fs.readdirSync(path.join(PACKAGE_ROOT, 'resources')))
      assert.ok(files.includes(`resources/${res}`), `resources/${res}`);
    // The editor code, built by prepack, and the plugin that loads it.
    assert.ok(files.includes('resources/editor.js'), 'resources/editor.js (the editor bundle) is in the tarball');
    for (const file of Object.values(pkg['node-red'].plugins)) assert.ok(files.includes(file), `${file} is in the tarball`);
  });

  it("shows the README's pictures from the packed README's links, and ships no other picture", function () {
    const installed = path.join(userDir, 'node_modules', ...pkg.name.split('/'));
    const readme = fs.readFileSync(path.join(installed, 'README.md'), 'utf8');
    // npm and the Flow Library show the README but not the package's files: a relative link breaks there, so each
    // picture is an absolute link into this very version of the published package.
    const prefix = `https://unpkg.com/${pkg.name}@${pkg.version}/`;
    const links = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
    assert.ok(links.length > 0, 'the README has pictures');
    assert.deepEqual(
      links.filter((l) => !l.startsWith(prefix)),
      [],
      `every picture link starts with ${prefix}`,
    );
    const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    for (const rel of links.map((l) => l.slice(prefix.length))) {
      const file = path.join(installed, rel);
      assert.ok(fs.existsSync(file), `${rel} is in the package`);
      assert.ok(fs.readFileSync(file).subarray(0, 4).equals(PNG), `${rel} is a PNG`);
    }
    const linked = new Set(links.map((l) => l.slice(prefix.length)));
    assert.deepEqual(
      (tarball?.files ?? []).filter((f) => f.startsWith('docs/') && !linked.has(f)),
      [],
      'pictures shipped but not shown',
    );
    process.stdout.write(
      `      npm pack: ${tarball?.files.length ?? 0} files, ${Math.round((tarball?.size ?? 0) / 1024)} KiB packed, ` +
        `${Math.round((tarball?.unpackedSize ?? 0) / 1024)} KiB unpacked\n`,
    );
  });

  it('is installed as a real folder with its dependencies from the registry', function () {
    const installed = path.join(userDir, 'node_modules', ...pkg.name.split('/'));
    assert.ok(fs.lstatSync(installed).isDirectory() && !fs.lstatSync(installed).isSymbolicLink(), `${installed} is a folder`);
    const userPkg = JSON.parse(fs.readFileSync(path.join(userDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.match(userPkg.dependencies?.[pkg.name] ?? '', /^file:/, 'the user directory depends on the tarball');
    const deps = Object.keys(
      (JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {},
    );
    for (const dep of deps) assert.ok(fs.existsSync(path.join(userDir, 'node_modules', dep, 'package.json')), `${dep} is installed`);
  });

  it('loads every node type of package.json with no error', async function () {
    const res = await get('/nodes');
    assert.equal(res.status, 200);
    const sets = (JSON.parse(res.text) as NodeSet[]).filter((s) => s.module === pkg.name);
    assert.deepEqual(
      sets.filter((s) => !s.enabled || s.err).map((s) => `${s.id}: ${JSON.stringify(s.err)}`),
      [],
      'node sets that did not load',
    );
    // Each node set also runs its type's name from before the rename (hidden, see README: older flows).
    assert.deepEqual(sets.flatMap((s) => s.types).sort(), [...TYPES, ...TYPES.map((t) => legacyType(t as MigratedNodeType))].sort());
    assert.doesNotMatch(red?.log ?? '', /\[error\]|Waiting for missing types/, 'Node-RED logged no error');
  });

  it('serves each type its dialog, help and icon', async function () {
    const res = await get('/nodes', 'text/html');
    assert.equal(res.status, 200);
    for (const type of TYPES) {
      assert.match(res.text, new RegExp(`registerType\\(\\s*['"]${type}['"]`), `${type} registers in the editor`);
      assert.match(res.text, new RegExp(`data-template-name="${type}"`), `${type} has a dialog`);
      const help = new RegExp(`data-help-name="${type}"[^>]*>([\\s\\S]*?)</script>`).exec(res.text);
      assert.ok(help && /<p>\s*\S/.test(help[1] ?? ''), `${type} has help text`);
    }
    const icons = iconsIn(packSections(res.text));
    assert.ok(icons.length >= 10, `the node HTML names its icons (${icons.join(', ')})`);
    const listed = JSON.parse((await get('/icons')).text) as Record<string, string[]>;
    assert.deepEqual(
      icons.filter((i) => !(listed[pkg.name] ?? []).includes(i)),
      [],
      'icons the editor is not told about',
    );
    for (const icon of icons) {
      const svg = await get(`/icons/${pkg.name}/${icon}`, '*/*');
      assert.equal(svg.status, 200, icon);
      assert.match(svg.type, /image\/svg\+xml/, icon);
      assert.match(svg.text, /<svg[\s>]/, `${icon} is the pack's picture, not Node-RED's default arrow`);
    }
  });

  it('serves the editor plugin, which loads the editor code once', async function () {
    const res = await get('/plugins', 'text/html');
    assert.equal(res.status, 200);
    const ours = res.text.split(/<!-- --- \[red-plugin:/).filter((part) => part.startsWith(`${pkg.name}/`));
    assert.equal(ours.length, 1, 'one editor plugin');
    assert.deepEqual(
      [...(ours[0] ?? '').matchAll(/<script[^>]+src=["']([^"']+)["']/g)].map((m) => m[1]),
      [`resources/${pkg.name}/editor.js`],
    );
    const nodes = await get('/nodes', 'text/html');
    assert.doesNotMatch(packSections(nodes.text), /<script[^>]+src=/, 'no node file loads a script of its own');
  });

  it('serves the message catalogs and the editor scripts', async function () {
    const messages = JSON.parse((await get('/nodes/messages?lng=en-US')).text) as Record<string, unknown>;
    const ours = Object.keys(messages).filter((k) => k.startsWith(`${pkg.name}/`));
    assert.equal(ours.length, TYPES.length, `one catalog per node: ${ours.join(', ')}`);
    for (const res of fs.readdirSync(path.join(PACKAGE_ROOT, 'resources'))) {
      const served = await get(`/resources/${pkg.name}/${res}`, '*/*');
      assert.equal(served.status, 200, `resources/${res}`);
      assert.equal(served.text, fs.readFileSync(path.join(PACKAGE_ROOT, 'resources', res), 'utf8'));
    }
  });

  it('offers every example flow under the package name', async function () {
    const modules = JSON.parse((await get('/library/examples/flows/')).text) as string[];
    assert.ok(modules.includes(pkg.name), `examples of ${modules.join(', ')}`);
    const expected = exampleFiles(path.join(PACKAGE_ROOT, 'examples'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    assert.deepEqual(await offeredExamples(red?.url ?? '', pkg.name), expected);
    const one = await get(`/library/examples/flows/${pkg.name}/${expected[0].split('/').map(encodeURIComponent).join('/')}`);
    assert.equal(one.status, 200);
    const flow = JSON.parse(one.text) as { type: string }[];
    assert.ok(
      flow.some((n) => TYPES.includes(n.type)),
      `${expected[0]} uses the pack's nodes`,
    );
  });
});
