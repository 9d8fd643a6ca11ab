// The examples' German and Japanese copies (examples/Deutsch, examples/日本語) are made from the English flows and
// one text table per language (scripts/example-texts/<lang>.json) by scripts/localize-examples.ts. This test fails
// when a committed copy is not what the English flow and the table make now, when a comment has no translation,
// when a table names a node no English example has, and when a copy is more than the English flow with other texts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  EXAMPLE_LANGUAGES,
  TEXT_FIELDS,
  isShared,
  localizedExamples,
  localizedFiles,
  readTexts,
  textProblems,
} from '../../scripts/localize-examples';
import { exampleFiles, listExamples, type ExampleNode } from '../support/examples';
import { PACKAGE_ROOT } from '../support/node-red-process';

const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');
const FIX = 'run `npm run examples:localize` and commit examples/';

/** Inline code, msg properties, links and emphasis markers: what a translation keeps as the English has it. */
function kept(text: string): { code: string[]; msg: string[]; bold: number; italic: number } {
  const sorted = (xs: string[]): string[] => [...xs].sort();
  const outsideCode = text.replace(/`[^`]*`/g, '');
  return {
    code: sorted(text.match(/`[^`]*`/g) ?? []),
    msg: sorted([...new Set(outsideCode.match(/\bmsg\.[\w.[\]]+/g) ?? [])]),
    bold: (outsideCode.match(/\*\*/g) ?? []).length % 2,
    italic: (outsideCode.replace(/\*\*/g, '').match(/\*/g) ?? []).length % 2,
  };
}

describe('the examples in German and Japanese', function () {
  it('the tables translate every comment of the copied examples, and only nodes the English examples have', function () {
    assert.deepEqual(textProblems(), []);
  });

  it(`each language's folder holds exactly the copies the English flows and its table make (else: ${FIX})`, async function () {
    const expected = await localizedFiles();
    const folders = EXAMPLE_LANGUAGES.map((lang) => readTexts(lang).folder);
    const present = exampleFiles(EXAMPLES_DIR)
      .map((f) => f.split(path.sep).join('/'))
      .filter((f) => folders.includes(f.split('/')[0]));
    assert.deepEqual(present.sort(), [...expected.keys()].sort(), 'the files under each language folder');
    const stale = [...expected].filter(([rel, text]) => fs.readFileSync(path.join(EXAMPLES_DIR, rel), 'utf8') !== text).map(([rel]) => rel);
    assert.deepEqual(stale, [], 'stale copies');
  });

  it('a copy is its English flow with other texts and ids: same nodes, settings, wires and places', function () {
    const copies = localizedExamples();
    assert.ok(copies.length > 0, 'some examples are copied');
    for (const copy of copies) {
      const english = copy.source.nodes;
      assert.equal(copy.nodes.length, english.length, `${copy.name}: as many nodes as ${copy.source.name}`);
      const back = new Map(copy.nodes.map((n, i) => [n.id, english[i].id]));
      const unmap = (value: unknown): unknown => {
        if (typeof value === 'string') return back.get(value) ?? value;
        if (Array.isArray(value)) return value.map(unmap);
        if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unmap(v)]));
        return value;
      };
      const withoutTexts = (n: ExampleNode): Record<string, unknown> =>
        Object.fromEntries(Object.entries(n).filter(([k]) => !(TEXT_FIELDS as readonly string[]).includes(k)));
      copy.nodes.forEach((n, i) => {
        assert.deepEqual(unmap(withoutTexts(n)), withoutTexts(english[i]), `${copy.name}: node ${english[i].id} (${n.type})`);
        if (isShared(english[i])) assert.deepEqual(n, english[i], `${copy.name}: the shared configuration node ${n.id} is the English one`);
        else assert.notEqual(n.id, english[i].id, `${copy.name}: node ${english[i].id} has an id of its own`);
      });
      // The texts keep what is not prose: code, msg properties and the emphasis marks pair up as in English.
      for (const [i, n] of copy.nodes.entries()) {
        for (const field of TEXT_FIELDS) {
          const en = english[i][field];
          const tr = n[field];
          if (typeof en !== 'string' || typeof tr !== 'string') continue;
          const [a, b] = [kept(en), kept(tr)];
          assert.deepEqual([b.code, b.msg], [a.code, a.msg], `${copy.name}: ${english[i].id}.${field} keeps code and msg properties`);
          assert.deepEqual([b.bold, b.italic], [a.bold, a.italic], `${copy.name}: ${english[i].id}.${field} pairs its ** and * marks`);
        }
      }
    }
  });

  it('no node id is in two examples, in any language, but the shared configuration nodes (so a user can import them side by side)', function () {
    const all = [
      ...listExamples(EXAMPLES_DIR).map((ex) => ({ name: ex.name, nodes: ex.nodes })),
      ...localizedExamples().map((ex) => ({ name: ex.name, nodes: ex.nodes })),
    ];
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const ex of all) {
      for (const n of ex.nodes.filter((x) => !isShared(x))) {
        const other = owner.get(n.id);
        if (other !== undefined && other !== ex.name) clashes.push(`${n.id} (${ex.name} and ${other})`);
        owner.set(n.id, ex.name);
      }
    }
    assert.deepEqual(clashes, []);
  });

  it('the test that fails for a missing translation, a gone node, a changed English text or a stale copy can fail', function () {
    // A table with a comment left out and a node that no longer exists: both named.
    const lang = EXAMPLE_LANGUAGES[0];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-localize-'));
    try {
      fs.cpSync(EXAMPLES_DIR, path.join(dir, 'examples'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'scripts', 'example-texts'), { recursive: true });
      for (const l of EXAMPLE_LANGUAGES)
        fs.copyFileSync(
          path.join(PACKAGE_ROOT, 'scripts', 'example-texts', `${l}.json`),
          path.join(dir, 'scripts', 'example-texts', `${l}.json`),
        );
      const texts = readTexts(lang, dir);
      const comments = new Set(listExamples(EXAMPLES_DIR).flatMap((ex) => ex.nodes.filter((n) => n.type === 'comment').map((n) => n.id)));
      const commentId = Object.keys(texts.nodes).find((id) => comments.has(id));
      assert.ok(commentId, `the ${lang} table translates a comment`);
      const { [commentId]: _dropped, ...rest } = texts.nodes;
      void _dropped;
      fs.writeFileSync(
        path.join(dir, 'scripts', 'example-texts', `${lang}.json`),
        JSON.stringify({ ...texts, nodes: { ...rest, ffffffffffffffff: { name: 'x' } } }),
      );
      const problems = textProblems(dir);
      assert.ok(
        problems.some((p) => p.includes(commentId) && p.includes('has no name')),
        `a comment without its name: ${problems.join('; ')}`,
      );
      assert.ok(
        problems.some((p) => p.includes('ffffffffffffffff')),
        'a node no English example has',
      );

      // The English text of a translated comment changes: its translation is named as out of date.
      const other = Object.keys(rest).find((id) => comments.has(id));
      assert.ok(other, `the ${lang} table translates a second comment`);
      const file = listExamples(path.join(dir, 'examples')).find((ex) => ex.nodes.some((n) => n.id === other));
      assert.ok(file);
      const edited = file.nodes.map((n) => (n.id === other ? { ...n, info: `${String(n.info)} One more sentence.` } : n));
      fs.writeFileSync(path.join(dir, 'examples', `${file.name}.json`), JSON.stringify(edited));
      assert.ok(
        textProblems(dir).some((p) => p.includes(other) && p.includes('changed since it was translated')),
        'an English text changed after its translation',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
