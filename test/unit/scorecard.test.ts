// The Flow Library's scorecard (`node-red-dev validate`) needs the network; its checks are simple enough to
// mirror here, offline, against package.json, package-lock.json and the build (the checks are listed in the node-red-dev
// package's `validate` command and at https://flows.nodered.org/docs/scorecard). Plus the
// pack's own rule that every editor string comes from a message catalog.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { loadModule } from '../support/load-module';
import { EXAMPLE_LANGUAGES, readTexts } from '../../scripts/localize-examples';
import { EXAMPLE_GROUPS, exampleFiles } from '../support/examples';
import { BUILD_ROOT, PACKAGE_ROOT } from '../support/node-red-process';

interface SemverApi {
  satisfies(version: string, range: string): boolean;
  intersects(a: string, b: string): boolean;
  validRange(range: string): string | null;
  major(version: string): number;
}
const semver = loadModule<SemverApi>(require.resolve('semver', { paths: [PACKAGE_ROOT] }));

interface PackageJson {
  name: string;
  license?: string;
  repository?: string | { url?: string };
  bugs?: string | { url?: string };
  keywords?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  'node-red': { version?: string; nodes: Record<string, string>; plugins?: Record<string, string> };
  files?: string[];
}

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};
const NODES = Object.entries(pkg['node-red'].nodes);
/** Node types other published packs already register (found in the Flow Library before this pack was named). */
const TAKEN_TYPES = ['spotify', 'spotify-auth'];
/** The newest Node-RED the scorecard checks against, and the Node.js it needs. */
const NODE_RED_CURRENT = '5.0.0';
const NODE_CURRENT = '22.9.0';
/**
 * Majors newer than any version package-lock.json records, known from their changelogs, that a range may not
 * admit on purpose. The check reports them and stays pending instead of failing.
 */
const HELD_BACK: Record<string, { major: number; reason: string }> = {
  got: { major: 15, reason: 'got 15 and later need Node.js 22, while engines.node (>=20) keeps Node-RED 4 users on Node 20' },
};

/** The build's copy of a file the manifest names as dist/… (the build folder may be another one). */
function built(file: string): string {
  return path.join(BUILD_ROOT, file.replace(/^dist\//, ''));
}

function urlOf(v: string | { url?: string } | undefined): string {
  return typeof v === 'string' ? v : (v?.url ?? '');
}

interface NodeHtml {
  type: string;
  file: string;
  html: string;
  /** The object literal given to RED.nodes.registerType, evaluated (functions are not run). */
  def: Record<string, unknown>;
  /** Why `def` could not be read, if it could not. */
  defError: string;
  /** Everything inside <script type="text/javascript"> blocks. */
  scripts: string;
  /** The edit dialog's template. */
  template: string;
  /** The message catalog next to it (locales/en-US/<name>.json). */
  catalog: Record<string, unknown> | undefined;
}

/** Every .ts file under a folder. */
function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Returns the text of the `{…}` starting at `open`, skipping strings, template literals and comments. */
function balancedObject(src: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if (c === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) return undefined;
    } else if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i) + 1;
      if (i <= 0) return undefined;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return src.slice(open, i + 1);
  }
  return undefined;
}

function scriptBlocks(html: string, kind: 'javascript' | 'html'): string[] {
  const re =
    kind === 'javascript'
      ? /<script(?:\s+type=["']text\/javascript["'])?\s*>([\s\S]*?)<\/script>/g
      : /<script\s+type=["']text\/html["'][^>]*>([\s\S]*?)<\/script>/g;
  return [...html.matchAll(re)].map((m) => m[1]);
}

function readNode(type: string, file: string): NodeHtml {
  const js = built(file);
  const htmlFile = js.replace(/\.js$/, '.html');
  const html = fs.existsSync(htmlFile) ? fs.readFileSync(htmlFile, 'utf8') : '';
  const scripts = scriptBlocks(html, 'javascript').join('\n');
  const m = new RegExp(`RED\\.nodes\\.registerType\\(\\s*(['"])${type.replace(/[-]/g, '\\-')}\\1\\s*,\\s*\\{`).exec(scripts);
  let def: Record<string, unknown> = {};
  let defError = m ? '' : 'no registerType call';
  if (m) {
    const literal = balancedObject(scripts, m.index + m[0].length - 1);
    try {
      // Literals may call editor helpers while being built (RED.validators.number()): any RED.x.y() is a stub.
      if (literal) def = vm.runInNewContext(`(${literal})`, { RED: stub(), $: stub() }, { timeout: 1000 }) as Record<string, unknown>;
      else defError = 'unbalanced braces';
    } catch (err) {
      defError = String(err);
    }
  }
  const template =
    new RegExp(`<script\\s+type=["']text/html["']\\s+data-template-name=["']${type}["']\\s*>([\\s\\S]*?)</script>`).exec(html)?.[1] ?? '';
  const catalogFile = path.join(path.dirname(js), 'locales', 'en-US', path.basename(js, '.js') + '.json');
  const catalog = fs.existsSync(catalogFile) ? (JSON.parse(fs.readFileSync(catalogFile, 'utf8')) as Record<string, unknown>) : undefined;
  return { type, file: htmlFile, html, def, defError, scripts, template, catalog };
}

/** Anything: every property and every call gives another stub. */
function stub(): unknown {
  const target = function () {
    return undefined;
  };
  const proxy: unknown = new Proxy(target, { get: () => proxy, apply: () => proxy });
  return proxy;
}

function lookup(catalog: Record<string, unknown> | undefined, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), catalog);
}

/** The data-i18n keys of a template: "key", "[placeholder]key", "[title]a;[html]b". */
function i18nKeys(template: string): string[] {
  return [...template.matchAll(/data-i18n=["']([^"']+)["']/g)].flatMap((m) =>
    m[1].split(';').map((k) => k.replace(/^\[[^\]]*\]/, '').trim()),
  );
}

/** Bare words the editor would show untranslated: text between tags, and literal placeholder/title attributes. */
function bareText(template: string): string[] {
  const stripped = template.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const found: string[] = [];
  for (const m of stripped.matchAll(/>([^<]+)</g)) {
    const text = m[1].replace(/&\w+;|&#\d+;/g, ' ').trim();
    // Words need translating; a token in capitals (GET, JSON) does not.
    if (/[A-Za-z]{2,}/.test(text) && !/^[A-Z0-9_ /|-]+$/.test(text)) found.push(`text "${text.slice(0, 60)}"`);
  }
  for (const m of stripped.matchAll(/\s(placeholder|title|aria-label)=["']([^"']*[A-Za-z]{2,}[^"']*)["']/g))
    found.push(`${m[1]}="${m[2].slice(0, 60)}"`);
  return found;
}

/** English string literals handed to the page by the editor script (.text('…'), RED.notify('…'), …). */
function literalText(scripts: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\.(?:text|html)\(\s*(['"`])((?:(?!\1).)*[A-Za-z]{2,}(?:(?!\1).)*)\1\s*\)/g,
    /\.attr\(\s*['"](?:title|placeholder|aria-label)['"]\s*,\s*(['"`])((?:(?!\1).)*[A-Za-z]{2,}(?:(?!\1).)*)\1\s*\)/g,
    /RED\.notify\(\s*(['"`])((?:(?!\1).)*[A-Za-z]{2,}(?:(?!\1).)*)\1/g,
  ];
  for (const re of patterns) for (const m of scripts.matchAll(re)) found.push(m[0].slice(0, 80));
  // A key without a namespace given to the editor's global RED._ is looked up in Node-RED's own catalog.
  for (const m of scripts.matchAll(/RED\._\(\s*['"](tunewire-[^'"]+)['"]/g)) found.push(`RED._('${m[1]}') (use this._ / node._)`);
  return found;
}

describe('Flow Library scorecard, offline', function () {
  const nodes = NODES.map(([type, file]) => readNode(type, file));

  it('has a license, and a LICENSE file that says so', function () {
    assert.ok(pkg.license, 'package.json has a license');
    const license = path.join(PACKAGE_ROOT, 'LICENSE');
    assert.ok(fs.existsSync(license), 'a LICENSE file at the repository root');
    if (pkg.license === 'MIT') assert.match(fs.readFileSync(license, 'utf8'), /^MIT License/);
  });

  it('names a repository or where to report bugs', function () {
    assert.ok(urlOf(pkg.repository) || urlOf(pkg.bugs), 'repository.url or bugs.url');
  });

  it('has a scoped name (or node-red-contrib-…) and the node-red keyword', function () {
    assert.match(pkg.name, /^@[a-z0-9-~][a-z0-9-._~]*\/[a-z0-9-~][a-z0-9-._~]*$|^node-red-contrib-/);
    assert.ok(pkg.keywords?.includes('node-red'), 'keywords include node-red');
  });

  it(`declares a node-red.version that the installed Node-RED and ${NODE_RED_CURRENT} satisfy`, function () {
    const range = pkg['node-red'].version ?? '';
    assert.ok(semver.validRange(range), `node-red.version is a range: "${range}"`);
    const versionIn = (dir: string) => loadModule<{ version: string }>(require.resolve('node-red/package.json', { paths: [dir] })).version;
    const installed = [versionIn(PACKAGE_ROOT)];
    // Another Node-RED the suite may run against (scripts/test-node22.sh).
    const other = process.env.TUNEWIRE_NODE_RED_PATH;
    if (other) installed.push(versionIn(path.resolve(other)));
    for (const v of [...installed, NODE_RED_CURRENT]) assert.ok(semver.satisfies(v, range), `Node-RED ${v} satisfies "${range}"`);
  });

  it(`declares engines.node that Node.js ${NODE_CURRENT} (Node-RED 5) and this Node.js satisfy`, function () {
    const range = pkg.engines?.node ?? '';
    assert.ok(semver.satisfies(NODE_CURRENT, range), `${NODE_CURRENT} satisfies "${range}"`);
    assert.ok(semver.satisfies(process.versions.node, range), `${process.versions.node} satisfies "${range}"`);
  });

  it('has at most 6 runtime dependencies', function () {
    const deps = Object.keys(pkg.dependencies ?? {});
    assert.ok(deps.length <= 6, `${deps.length}: ${deps.join(', ')}`);
  });

  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
    it(`dependency ${dep} "${range}" admits its newest major`, function () {
      // The newest version package-lock.json records anywhere (no network here), or a known newer major.
      const versions = Object.entries(lock.packages)
        .filter(([p, v]) => (p === `node_modules/${dep}` || p.endsWith(`/node_modules/${dep}`)) && v.version)
        .map(([, v]) => v.version as string);
      assert.ok(versions.length > 0, `package-lock.json records ${dep}`);
      const recorded = Math.max(...versions.map((v) => semver.major(v)));
      const admits = (major: number): boolean => semver.intersects(range, `>=${major}.0.0 <${major + 1}.0.0-0`);
      assert.ok(admits(recorded), `"${range}" admits ${dep}@${recorded} (the newest major package-lock.json records)`);
      const held = HELD_BACK[dep];
      if (held && held.major > recorded && !admits(held.major)) {
        process.stdout.write(`      pending: "${range}" does not admit ${dep} ${held.major}, on purpose: ${held.reason}\n`);
        this.skip();
      }
    });
  }

  it(`registers no node type another pack already has (${TAKEN_TYPES.join(', ')}), all prefixed spotify- (so a palette or quick-add search for "spotify" finds every one)`, function () {
    for (const [type] of NODES) {
      assert.ok(!TAKEN_TYPES.includes(type), `${type} is taken`);
      assert.match(type, /^spotify-[a-z0-9-]+$/);
    }
  });

  for (const [type, file] of NODES) {
    it(`${type}: ${path.basename(file)} with its own .html holding a literal RED.nodes.registerType('${type}', {…})`, function () {
      assert.match(file, /^dist\/nodes\/[\w-]+\.js$/, 'a node file of the build, one per node');
      assert.ok(fs.existsSync(built(file)), `${built(file)} exists (build first)`);
      const n = nodes.find((x) => x.type === type);
      assert.ok(n?.html, `${path.relative(BUILD_ROOT, built(file).replace(/\.js$/, '.html'))} exists next to it`);
      const registered = [...n.scripts.matchAll(/RED\.nodes\.registerType\(\s*(['"])([^'"]+)\1\s*,\s*\{/g)].map((m) => m[2]);
      assert.deepEqual(registered, [type], 'exactly this type, as a string literal followed by an object literal');
      assert.equal(n.defError, '', 'the object literal evaluates on its own');
      assert.doesNotThrow(() => new vm.Script(n.scripts), 'the editor script is valid JavaScript');
      // The editor code is loaded once, by the editor plugin: a node's file loads no script of its own.
      assert.equal([...n.html.matchAll(/<script[^>]+src=/g)].length, 0, 'no script loaded by a node file');
      if (n.def.category !== 'config') {
        const icon = typeof n.def.icon === 'string' ? n.def.icon : '';
        assert.ok(icon && fs.existsSync(path.join(path.dirname(built(file)), 'icons', icon)), `its icon "${icon}" is in icons/ next to it`);
      }
    });
  }

  it('groups the examples under readable titles that every Node-RED shows whole', function () {
    // Import → Examples shows each folder of examples/ as a group and each file by its name without ".json";
    // Node-RED 3 cuts a name at its first dot, and a slash or a hash would break the library's URL.
    // The copies in other languages sit in a folder per language (scripts/localize-examples.ts), titled in it.
    const files = exampleFiles(path.join(PACKAGE_ROOT, 'examples'));
    const languages = EXAMPLE_LANGUAGES.map((lang) => readTexts(lang).folder);
    const misplaced = files.filter((f) => {
      const parts = f.split(path.sep);
      if (languages.includes(parts[0])) return parts.length !== 3 || !/^[^./\\#]+\.json$/.test(parts[2]);
      const [group, file, ...deeper] = parts;
      return (
        deeper.length > 0 || !(EXAMPLE_GROUPS as readonly string[]).includes(group) || !/^[A-Z][A-Za-z0-9 ,-]*\.json$/.test(file ?? '')
      );
    });
    assert.deepEqual(
      misplaced,
      [],
      `examples/<${EXAMPLE_GROUPS.join('|')}>/<Title in words>.json or examples/<${languages.join('|')}>/<group>/<title>.json`,
    );
    for (const group of EXAMPLE_GROUPS)
      assert.ok(
        files.some((f) => f.startsWith(`${group}${path.sep}`)),
        `the group ${group} has examples`,
      );
  });

  it("loads the editor code once, from the pack's own resources/, through its editor plugin", function () {
    const plugins = Object.entries(pkg['node-red'].plugins ?? {});
    assert.equal(plugins.length, 1, 'one editor plugin');
    const [, file] = plugins[0];
    const html = fs.readFileSync(built(file), 'utf8');
    assert.ok(
      pkg.files?.some((f) => file.startsWith(f + '/')),
      `package.json "files" publishes ${file}`,
    );
    // Node-RED serves a package's resources/ folder at resources/<module>/… (nodered-notes.md): the script is
    // shipped in the package, never another site's file.
    const srcs = [...html.matchAll(/<script[^>]+src=(["'])([^"']*)\1/g)].map((m) => m[2]);
    assert.deepEqual(srcs, [`resources/${pkg.name}/editor.js`], 'the plugin loads the editor bundle, and only it');
    assert.ok(fs.existsSync(path.join(BUILD_ROOT, 'resources', 'editor.js')), 'the bundle is in the build');
    assert.ok(fs.existsSync(path.join(PACKAGE_ROOT, 'resources', 'editor.js')), 'the bundle is in the package');
    assert.ok(pkg.files?.includes('resources'), 'package.json "files" publishes resources/');
  });

  it('uses every non-config node in some example flow (the scorecard reads every file under examples/ as one)', function () {
    const dir = path.join(PACKAGE_ROOT, 'examples');
    const used = new Set<string>();
    for (const f of exampleFiles(dir)) {
      const flow = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { type: string }[];
      for (const n of flow) used.add(n.type);
    }
    const unused = nodes.filter((n) => n.def.category !== 'config' && !used.has(n.type)).map((n) => n.type);
    assert.deepEqual(unused, [], 'node types with no example');
  });

  it('the editor code (editor/) shows no English literal, and the account texts it reads are in the catalog', function () {
    const sources = tsFiles(path.join(PACKAGE_ROOT, 'editor'))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    assert.deepEqual(literalText(sources), [], 'English literals in the editor code (use accountText or node._)');
    const account = nodes.find((x) => x.type === 'spotify-account');
    const keys = [...sources.matchAll(/\baccountText\(\s*['"]([^'"]+)['"]\s*[,)]/g)].map((m) => m[1]);
    assert.ok(keys.length > 20, `the editor code reads its texts through accountText (${keys.length} found)`);
    assert.deepEqual(
      keys.filter((k) => typeof lookup(account?.catalog, `spotify-account.${k}`) !== 'string'),
      [],
      'keys missing from locales/en-US/account.json',
    );
  });

  for (const [type] of NODES) {
    it(`${type}: every editor string comes from its message catalog`, function () {
      const n = nodes.find((x) => x.type === type);
      assert.ok(n?.catalog, `locales/en-US/${path.basename(n?.file ?? '', '.html')}.json exists`);
      assert.ok(n.template, `a data-template-name="${type}" template`);
      assert.deepEqual(bareText(n.template), [], 'bare text in the dialog template (use data-i18n)');
      assert.deepEqual(literalText(n.scripts), [], 'English literals in the editor script (use this._ / node._)');
      // Whole literal keys only: a computed one ('x.warn.' + kind) cannot be checked here.
      const keys = [
        ...i18nKeys(n.template),
        ...[...n.scripts.matchAll(/\b(?:this|node)\._\(\s*['"]([^'"]+)['"]\s*[,)]/g)].map((m) => m[1]),
      ];
      const missing = keys.filter((k) => !k.includes(':') && typeof lookup(n.catalog, k) !== 'string');
      assert.deepEqual(missing, [], 'keys missing from the catalog');
      for (const prop of ['paletteLabel', 'label']) {
        const fn = n.def[prop];
        if (prop === 'paletteLabel' && n.def.category === 'config' && fn === undefined) continue;
        assert.ok(typeof fn === 'function' && /\._\(/.test(String(fn)), `${prop} is a function that reads the catalog`);
      }
      const help = path.join(path.dirname(n.file), 'locales', 'en-US', path.basename(n.file));
      const helpHtml = fs.existsSync(help) ? fs.readFileSync(help, 'utf8') : n.html;
      assert.match(helpHtml, new RegExp(`data-help-name=["']${type}["']`), 'help text in locales/en-US (or the node HTML)');
    });
  }
});
