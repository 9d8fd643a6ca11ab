// Runtime texts (status, warnings, errors) come from the message catalogs: a node's own texts from its own catalog
// (under its type), the texts many nodes share from the account node's (under "spotify-account.runtime").
// Translated through the runtime's RED._ when Node-RED resolves the key, English from the shipped catalog when it
// does not (the test helper's RED._ answers every key with itself).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { catalogFile, nodeTexts, runtimeText, useAccountCatalog, useNodeCatalog } from '../../nodes/node-red/messages';
import { loadModule } from '../support/load-module';
import { PACKAGE_ROOT, resolveNodeRed } from '../support/node-red-process';

function fakeRED(translate: (key: string, vars?: Record<string, string | number>) => string): NodeAPI {
  return { _: translate } as unknown as NodeAPI;
}

describe('runtime texts from the message catalog', function () {
  after(function () {
    // as the test helper leaves them
    useAccountCatalog(fakeRED((k) => k));
    for (const type of ['spotify-saved-items', 'spotify-playlist-changed'])
      useNodeCatalog(
        fakeRED((k) => k),
        type,
      );
  });

  it("uses the runtime's translation when Node-RED resolves the key", function () {
    useAccountCatalog(fakeRED((key, vars) => `«${key}${vars ? ' ' + JSON.stringify(vars) : ''}»`));
    assert.equal(runtimeText('status.authorizeAgain'), '«spotify-account.runtime.status.authorizeAgain»');
    assert.equal(runtimeText('status.badInput', { field: 'Tracks' }), '«spotify-account.runtime.status.badInput {"field":"Tracks"}»');
  });

  it('falls back to the English catalog when the key comes back unresolved, interpolating __vars__', function () {
    useAccountCatalog(fakeRED((key) => key));
    assert.equal(runtimeText('status.authorizeAgain'), 'authorize again');
    assert.equal(runtimeText('status.badInput', { field: 'Tracks' }), 'bad Tracks');
    assert.equal(runtimeText('errors.tokenStore', { message: 'bad key' }), 'Cannot read the token store: bad key');
    // Node-RED's i18next answers a missing key without its namespace; that counts as unresolved too.
    useAccountCatalog(fakeRED((key) => `@tunewire/node-red-spotify/spotify-account:${key}`));
    assert.equal(runtimeText('status.requesting'), 'requesting…');
  });

  it('every key the runtime code asks for is in the catalog it reads: its own, or the shared one', function () {
    const uses = keysInUse();
    const shared = uses.filter((u) => u.catalog === 'shared').map((u) => u.key);
    const own = uses.filter((u) => u.catalog !== 'shared');
    assert.ok(shared.length >= 40, `found the shared keys in use (${shared.length})`);
    assert.ok(own.length >= 50, `found the nodes' own keys in use (${own.length})`);
    assert.ok(shared.some((k) => k.startsWith('summary.')) && own.some((u) => u.file === 'play.ts'), 'the node files are read too');
    // A key with plural forms is there as `key_one` and `key_other` (i18next's v4 JSON, which Node-RED uses).
    const has = (section: unknown, k: string): boolean =>
      typeof at(section, k) === 'string' || typeof at(section, `${k}_other`) === 'string';
    const runtime = sharedSection();
    assert.deepEqual(
      shared.filter((k) => !has(runtime, k)),
      [],
      'keys missing from account.json\'s "spotify-account.runtime"',
    );
    assert.deepEqual(
      own.filter((u) => !has(nodeSection(u.catalog), u.key)).map((u) => `${u.file}: ${u.key}`),
      [],
      "keys missing from the node's own catalog",
    );
    // …and every text in a catalog is asked for by the code that reads that catalog: a node's text kept in
    // another node's catalog, or a shared summary or warning no node shows, fails here.
    const asked = new Set(uses.map((u) => `${u.catalog}|${u.key}`));
    const unused = [
      ...['summary', 'warnings'].flatMap((section) => sectionKeys(runtime, section).map((k) => `shared|${k}`)),
      ...fs
        .readdirSync(CATALOGS)
        .filter((f) => f.endsWith('.json') && f !== 'account.json')
        .flatMap((f) => RUNTIME_SECTIONS.flatMap((section) => sectionKeys(nodeSection(f), section).map((k) => `${f}|${k}`))),
    ].filter((k) => !asked.has(k));
    assert.deepEqual(unused, []);
  });

  it('a node reads its own texts from its own catalog, and the shared catalog holds only texts several places show', function () {
    const uses = keysInUse();
    // nodeTexts('<type>') in nodes/<file>.ts names the type whose catalog is <file>.json (Node-RED scopes a
    // module's RED._ to the catalog named after its .js file): another node's type would read a catalog the
    // runtime does not give this module.
    const wrong = fs
      .readdirSync(path.join(PACKAGE_ROOT, 'nodes'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...fs.readFileSync(path.join(PACKAGE_ROOT, 'nodes', f), 'utf8').matchAll(/nodeTexts\('([^']+)'\)/g)]
          .map((m) => m[1])
          .filter((type) => catalogFile(type) !== f.replace(/\.ts$/, '.json'))
          .map((type) => `${f}: ${type}`),
      );
    assert.deepEqual(wrong, []);
    // A shared text asked for by one node file only belongs in that node's catalog.
    const askers = new Map<string, Set<string>>();
    for (const u of uses.filter((x) => x.catalog === 'shared')) askers.set(u.key, (askers.get(u.key) ?? new Set()).add(u.file));
    const onlyOne = [...askers]
      .filter(([, files]) => files.size === 1 && [...files].every((f) => !f.startsWith('node-red/') && f !== 'account.ts'))
      .map(([k, files]) => `${k} (${[...files].join('')})`);
    assert.deepEqual(onlyOne, []);
  });

  it('no node returns a status text of its own: every text a node returns comes from the catalog', function () {
    const files = fs.readdirSync(path.join(PACKAGE_ROOT, 'nodes')).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 30, `found the node files (${files.length})`);
    const literals: string[] = [];
    for (const f of files) {
      const src = withoutComments(fs.readFileSync(path.join(PACKAGE_ROOT, 'nodes', f), 'utf8'));
      for (const expr of returnedExpressions(src)) for (const text of ownTexts(expr)) literals.push(`${f}: ${JSON.stringify(text)}`);
    }
    assert.deepEqual(literals, []);
    // The scan finds a literal where there is one (a status a node wrote itself, as the nodes once did)…
    assert.deepEqual(ownTexts("answers.length === 1 ? (saved ? 'saved' : 'not saved') : `${saved} of ${n} saved`"), [
      'saved',
      'not saved',
      '${saved} of ${n} saved',
    ]);
    // …and passes over catalog keys and type checks.
    assert.deepEqual(ownTexts("typeof name === 'string' && name ? name : runtimeText('summary.profile', { name: f('x') })"), []);
    assert.deepEqual(ownTexts("n ? ownText('status.profile', { name: f('x') }) : runtimeText('summary.noChange')"), []);
    assert.deepEqual(ownTexts("{ fill: 'grey', shape: 'ring', text: 'idle' }"), ['idle']);
  });

  it('picks the plural form by the count, as i18next does: "1 local file", "2 local files"', function () {
    useAccountCatalog(fakeRED((key) => key));
    assert.equal(runtimeText('summary.skippedLocal', { count: 1 }), '1 local file');
    assert.equal(runtimeText('summary.skippedLocal', { count: 2 }), '2 local files');
    assert.equal(runtimeText('summary.skippedLocal', { count: 0 }), '0 local files');
  });

  it("the plural forms resolve through Node-RED's own i18n, with the catalog as shipped", async function () {
    // The i18next of the Node-RED this line runs (its JSON format decides between `_plural` and `_one`/`_other`).
    const { i18n } = loadModule<{
      i18n: {
        init(settings: object): Promise<void> | void;
        registerMessageCatalog(ns: string, dir: string, file: string): Promise<void>;
        _(key: string, vars?: object): string;
      };
    }>(resolveNodeRed('@node-red/util'));
    await i18n.init({ lang: 'en-US' });
    await i18n.registerMessageCatalog('tunewire-plural-check', path.join(PACKAGE_ROOT, 'nodes', 'locales'), 'account.json');
    const key = 'tunewire-plural-check:spotify-account.runtime.summary.skippedLocal';
    assert.equal(i18n._(key, { count: 1 }), '1 local file');
    assert.equal(i18n._(key, { count: 3 }), '3 local files');
    useAccountCatalog(fakeRED((k, vars) => i18n._(`tunewire-plural-check:${k}`, vars)));
    assert.equal(runtimeText('summary.skippedUnavailable', { count: 2 }), '2 unavailable');
    // A node's own catalog, registered and read as Node-RED's registry does it: under the node set's id, the
    // module's RED._ putting that namespace before a key that has none.
    const ns = '@tunewire/node-red-spotify/spotify-saved-items';
    await i18n.registerMessageCatalog(ns, path.join(PACKAGE_ROOT, 'nodes', 'locales'), 'saved-items.json');
    useNodeCatalog(
      fakeRED((k, vars) => i18n._(k.includes(':') ? k : `${ns}:${k}`, vars)),
      'spotify-saved-items',
    );
    const text = nodeTexts('spotify-saved-items');
    assert.equal(text('status.savedAlbums', { count: 1 }), '1 saved album');
    assert.equal(text('status.savedAlbums', { count: 4 }), '4 saved albums');
    assert.equal(i18n._(`${ns}:spotify-saved-items.status.savedTracks`, { count: 2 }), '2 saved tracks');
  });

  it('status summaries read in English as they always have, counts and names filled in', function () {
    useAccountCatalog(fakeRED((key) => key));
    for (const type of ['spotify-saved-items', 'spotify-playlist-changed'])
      useNodeCatalog(
        fakeRED((k) => k),
        type,
      );
    assert.equal(nodeTexts('spotify-get-playlists')('status.playlists', { count: 1 }), '1 playlist');
    assert.equal(nodeTexts('spotify-get-playlists')('status.playlists', { count: 3 }), '3 playlists');
    assert.equal(nodeTexts('spotify-saved-items')('status.savedAlbums', { count: 1 }), '1 saved album');
    assert.equal(nodeTexts('spotify-top-items')('status.topArtists', { count: 7 }), '7 top artists');
    assert.equal(nodeTexts('spotify-request')('status.requestPages', { method: 'GET', status: 200, pages: 3 }), 'GET 200, 3 pages');
    assert.equal(nodeTexts('spotify-playback-state')('status.playingItem', { name: 'Song' }), 'playing: Song');
    assert.equal(runtimeText('summary.nowPaused', { name: 'Song' }), '⏸ Song');
    const changed = nodeTexts('spotify-playlist-changed');
    const diff = changed('status.playlistDiff', { name: 'Mix', added: 2, removed: 1 });
    assert.equal(diff, 'Mix: +2 −1');
    assert.equal(
      changed('status.withFailed', { summary: changed('status.changedMany', { count: 2, last: diff }), failed: 1 }),
      '2 changed · Mix: +2 −1 · 1 failed',
    );
    // A node's text is not found in another node's catalog: the key comes back as asked.
    assert.equal(nodeTexts('spotify-search')('status.playlists', { count: 3 }), 'spotify-search.status.playlists');
  });
});

const CATALOGS = path.join(PACKAGE_ROOT, 'nodes', 'locales', 'en-US');
/** The sections of a node's catalog that hold its runtime texts (the shared catalog's are under "runtime"). */
const RUNTIME_SECTIONS = ['status', 'warnings', 'errors'];

function readCatalog(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(CATALOGS, file), 'utf8')) as Record<string, unknown>;
}

/** The shared runtime texts: account.json's "spotify-account.runtime". */
function sharedSection(): Record<string, unknown> {
  return (readCatalog('account.json')['spotify-account'] as Record<string, unknown>).runtime as Record<string, unknown>;
}

/** A node's catalog, inside its one top-level key (its type). */
function nodeSection(file: string): Record<string, unknown> {
  return readCatalog(file)[`spotify-${file.replace(/\.json$/, '')}`] as Record<string, unknown>;
}

function at(section: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], section);
}

/** `section.key` for each text of a section, plural forms counted once. */
function sectionKeys(catalog: Record<string, unknown>, section: string): string[] {
  const keys = Object.keys((catalog[section] as Record<string, unknown> | undefined) ?? {});
  return [...new Set(keys.map((k) => `${section}.${k.replace(/_(zero|one|two|few|many|other)$/, '')}`))];
}

interface KeyUse {
  /** The runtime file, relative to nodes/. */
  file: string;
  key: string;
  /** 'shared' (account.json's runtime section) or the node's own catalog file. */
  catalog: string;
}

/** The runtime keys the code asks for: quoted 'status.…', 'errors.…', 'summary.…' and 'warnings.…' literals in
 *  every runtime file that looks texts up (the nodes, the account node and the shared node-red helpers). A literal
 *  inside runtimeText(…) is a shared key; in a node with its own texts (nodeTexts), every other literal is one of
 *  its own (keys picked from a table, as top items and saved items do, are looked up through ownText). */
function keysInUse(): KeyUse[] {
  const nodes = path.join(PACKAGE_ROOT, 'nodes');
  const files = [
    ...fs.readdirSync(nodes).filter((f) => f.endsWith('.ts')),
    ...fs
      .readdirSync(path.join(nodes, 'node-red'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `node-red/${f}`),
  ];
  const uses: KeyUse[] = [];
  for (const file of files) {
    const src = withoutComments(fs.readFileSync(path.join(nodes, file), 'utf8'));
    const hasOwn = /\bnodeTexts\(/.test(src);
    if (!src.includes('runtimeText(') && !hasOwn) continue;
    const sharedSpans = [...src.matchAll(/\bruntimeText\(/g)].map((m) => [m.index, m.index + firstArgument(src, m.index + m[0].length)]);
    for (const m of src.matchAll(/'((?:status|errors|summary|warnings)\.[A-Za-z]+)'/g)) {
      const inShared = sharedSpans.some(([from, to]) => m.index > from && m.index < to);
      const catalog = hasOwn && !inShared ? file.replace(/\.ts$/, '.json') : 'shared';
      uses.push({ file, key: m[1], catalog });
    }
  }
  return uses;
}

/** The length of a call's first argument, from just after its '(' to its ',' or ')' at the same depth. */
function firstArgument(src: string, start: number): number {
  let depth = 0;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return i - start + 1;
      depth--;
    } else if (c === ',' && depth === 0) return i - start + 1;
  }
  return src.length - start;
}

function withoutComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The expression of every `return` statement (up to its `;` at the same nesting depth). */
function returnedExpressions(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(/\breturn\s/g)) {
    const start = m.index + m[0].length;
    let depth = 0;
    let quote: string | undefined;
    let i = start;
    for (; i < src.length; i++) {
      const c = src[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"' || c === '`') quote = c;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) {
        if (depth === 0) break;
        depth--;
      } else if (c === ';' && depth === 0) break;
    }
    out.push(src.slice(start, i));
  }
  return out;
}

/** The string literals with words in an expression, except catalog keys (inside runtimeText(…) or ownText(…)) and the
 *  operands of === and !== (typeof checks and the like). */
function ownTexts(expr: string): string[] {
  const out: string[] = [];
  const open: boolean[] = []; // per open parenthesis: is it a runtimeText( or ownText( call?
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    const lookup = ['runtimeText(', 'ownText('].find((call) => expr.startsWith(call, i));
    if (lookup) {
      open.push(true);
      i += lookup.length - 1;
    } else if (c === '(') open.push(false);
    else if (c === ')') open.pop();
    else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) j += expr[j] === '\\' ? 2 : 1;
      const text = expr.slice(i + 1, j);
      const compared = /[=!]==$/.test(expr.slice(0, i).trimEnd()) || /^[=!]==/.test(expr.slice(j + 1).trimStart());
      // A status's colour and shape are Node-RED's words, not text a user reads.
      const statusStyle = /\b(fill|shape)\s*:\s*$/.test(expr.slice(0, i));
      if (!open.includes(true) && !compared && !statusStyle && /[A-Za-z]/.test(text)) out.push(text);
      i = j;
    }
  }
  return out;
}
