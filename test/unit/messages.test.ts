// Runtime texts (status, warnings) come from the account node's message catalog: translated through the
// runtime's RED._ when Node-RED resolves the key, English from the shipped catalog when it does not (the test
// helper's RED._ answers every key with itself).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { runtimeText, useAccountCatalog } from '../../nodes/node-red/messages';
import { loadModule } from '../support/load-module';
import { PACKAGE_ROOT, resolveNodeRed } from '../support/node-red-process';

function fakeRED(translate: (key: string, vars?: Record<string, string | number>) => string): NodeAPI {
  return { _: translate } as unknown as NodeAPI;
}

describe('runtime texts from the message catalog', function () {
  after(function () {
    useAccountCatalog(fakeRED((k) => k)); // as the test helper leaves it
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

  it('every key the runtime code asks for is in the English catalog', function () {
    const catalog = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'nodes', 'locales', 'en-US', 'account.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const runtime = (catalog['spotify-account'] as Record<string, unknown>).runtime as Record<string, Record<string, unknown>>;
    const keys = keysInUse();
    assert.ok(keys.size >= 60, `found the keys in use (${keys.size})`);
    assert.ok(
      [...keys].some((k) => k.startsWith('summary.')),
      'the node files are read too',
    );
    const text = (k: string): unknown => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], runtime);
    // A key with plural forms is there as `key_one` and `key_other` (i18next's v4 JSON, which Node-RED uses).
    const missing = [...keys].filter((k) => typeof text(k) !== 'string' && typeof text(`${k}_other`) !== 'string');
    assert.deepEqual(missing, []);
    // …and every status summary and warning in the catalog is asked for by some node.
    const unused = ['summary', 'warnings']
      .flatMap((section) =>
        Object.keys(runtime[section] ?? {}).map((k) => `${section}.${k.replace(/_(zero|one|two|few|many|other)$/, '')}`),
      )
      .filter((k) => !keys.has(k));
    assert.deepEqual(unused, []);
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
  });

  it('status summaries read in English as they always have, counts and names filled in', function () {
    useAccountCatalog(fakeRED((key) => key));
    assert.equal(runtimeText('summary.playlists', { count: 1 }), '1 playlist');
    assert.equal(runtimeText('summary.playlists', { count: 3 }), '3 playlists');
    assert.equal(runtimeText('summary.savedAlbums', { count: 1 }), '1 saved album');
    assert.equal(runtimeText('summary.topArtists', { count: 7 }), '7 top artists');
    assert.equal(runtimeText('summary.requestPages', { method: 'GET', status: 200, pages: 3 }), 'GET 200, 3 pages');
    assert.equal(runtimeText('summary.playingItem', { name: 'Song' }), 'playing: Song');
    assert.equal(runtimeText('summary.nowPaused', { name: 'Song' }), '⏸ Song');
    const diff = runtimeText('summary.playlistDiff', { name: 'Mix', added: 2, removed: 1 });
    assert.equal(diff, 'Mix: +2 −1');
    assert.equal(
      runtimeText('summary.withFailed', { summary: runtimeText('summary.changedMany', { count: 2, last: diff }), failed: 1 }),
      '2 changed · Mix: +2 −1 · 1 failed',
    );
  });
});

/** The runtime keys the code asks for: quoted 'status.…', 'errors.…' and 'summary.…' literals in every runtime
 *  file that calls runtimeText (the nodes, the account node and the shared node-red helpers). */
function keysInUse(): Set<string> {
  const dirs = [path.join(PACKAGE_ROOT, 'nodes'), path.join(PACKAGE_ROOT, 'nodes', 'node-red')];
  const files = dirs.flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(d, f)),
  );
  const keys = new Set<string>();
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    if (!src.includes('runtimeText(')) continue;
    for (const m of src.matchAll(/'((?:status|errors|summary|warnings)\.[A-Za-z]+)'/g)) keys.add(m[1]);
  }
  return keys;
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

/** The string literals with words in an expression, except catalog keys (inside runtimeText(…)) and the
 *  operands of === and !== (typeof checks and the like). */
function ownTexts(expr: string): string[] {
  const out: string[] = [];
  const open: boolean[] = []; // per open parenthesis: is it a runtimeText( call?
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (expr.startsWith('runtimeText(', i)) {
      open.push(true);
      i += 'runtimeText'.length;
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
