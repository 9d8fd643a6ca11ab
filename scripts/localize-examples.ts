// The example flows in German and Japanese. Node-RED's Import → Examples lists the examples/ folder as it is, with
// no choice by language, so each language has a folder of its own there (examples/Deutsch, examples/日本語) with a
// copy of each English flow whose texts are translated. The English files stay the one source of the flows; a
// language's texts are one table, scripts/example-texts/<lang>.json (outside examples/: Node-RED would offer any
// JSON file there as a flow): its folder, group and title names, and by English node id the name, info or label
// the node shows. `npm run examples:localize` writes the copies (committed: the package ships examples/ as it is);
// test/unit/localized-examples.test.ts fails when a copy is stale, a comment untranslated or a text's node gone.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { EXAMPLE_GROUPS, listExamples, type Example, type ExampleGroup, type ExampleNode } from '../test/support/examples';
import { PACKAGE_ROOT } from '../test/support/node-red-process';

/** The languages with example copies, as Node-RED names its catalogs. */
export const EXAMPLE_LANGUAGES = ['de', 'ja'] as const;
export type ExampleLanguage = (typeof EXAMPLE_LANGUAGES)[number];

/** The node fields a table may translate: what the canvas, a comment's info or a dashboard widget shows. */
export const TEXT_FIELDS = ['name', 'info', 'label'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/** The group whose titles are palette labels, which stay English in every language (as the palette shows them). */
export const PALETTE_TITLED_GROUP: ExampleGroup = 'Nodes';

export interface ExampleTexts {
  /** The folder under examples/ that holds the language's copies: its name in that language. */
  folder: string;
  /** Each English group copied, by the name of its folder in the language; a group left out is not copied. */
  groups: Partial<Record<ExampleGroup, string>>;
  /** Titles by English example name ("Recipes/Morning alarm"); one left out keeps its English title. */
  titles: Record<string, string>;
  /** By English node id, the texts the node shows in the language. */
  nodes: Record<string, Partial<Record<TextField, string>>>;
  /**
   * By English node id, a digest of the English texts its entry in `nodes` was translated from (englishDigest):
   * when the English text changes, the test names the translation as out of date. `npm run examples:localize --
   * --translated` records the digests of today's English, once the translations say what it says.
   */
  from?: Record<string, string>;
}

export interface LocalizedExample {
  lang: ExampleLanguage;
  /** Its path under examples/ without .json, as the library API names it: "Deutsch/Rezepte/Morgenwecker". */
  name: string;
  /** The folders and the title, as Import → Examples shows them under the package. */
  steps: [folder: string, group: string, title: string];
  source: Example;
  nodes: ExampleNode[];
}

export function textsFile(lang: ExampleLanguage, root = PACKAGE_ROOT): string {
  return path.join(root, 'scripts', 'example-texts', `${lang}.json`);
}

export function readTexts(lang: ExampleLanguage, root = PACKAGE_ROOT): ExampleTexts {
  return JSON.parse(fs.readFileSync(textsFile(lang, root), 'utf8')) as ExampleTexts;
}

/** Configuration nodes (the account, Dashboard 2's base, theme, page, group) carry no wires: every copy shares them. */
export function isShared(n: ExampleNode): boolean {
  return !('wires' in n);
}

/**
 * A copy's id for an English node: its own, stable across runs, so that the English example and its copies can be
 * imported side by side without Node-RED asking about nodes that already exist. Shared configuration nodes keep theirs.
 */
export function localizedId(lang: ExampleLanguage, id: string): string {
  return createHash('sha256').update(`${lang}/${id}`).digest('hex').slice(0, 16);
}

/** The English flow with the language's texts and its own ids (every reference — wires, scopes — follows). */
export function localizeFlow(lang: ExampleLanguage, nodes: ExampleNode[], texts: ExampleTexts): ExampleNode[] {
  const ids = new Map(nodes.filter((n) => !isShared(n)).map((n) => [n.id, localizedId(lang, n.id)]));
  const remap = (value: unknown): unknown => {
    if (typeof value === 'string') return ids.get(value) ?? value;
    if (Array.isArray(value)) return value.map(remap);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v)]));
    return value;
  };
  return nodes.map((n) => {
    if (isShared(n)) return n;
    const own = texts.nodes[n.id] ?? {};
    const copy = Object.fromEntries(
      Object.entries(n).map(([k, v]) => [k, (TEXT_FIELDS as readonly string[]).includes(k) ? (own[k as TextField] ?? v) : remap(v)]),
    );
    return copy as ExampleNode;
  });
}

/** A digest of the English texts of node `n` that a table's entry translates (its `fields`). */
export function englishDigest(n: ExampleNode, fields: readonly string[]): string {
  const texts = [...fields].sort().map((f) => [f, n[f]]);
  return createHash('sha256').update(JSON.stringify(texts)).digest('hex').slice(0, 12);
}

/** Every copy in every language, made from the English examples under `root`/examples and the tables. */
export function localizedExamples(root = PACKAGE_ROOT): LocalizedExample[] {
  const english = listExamples(path.join(root, 'examples'));
  return EXAMPLE_LANGUAGES.flatMap((lang) => {
    const texts = readTexts(lang, root);
    return english
      .filter((ex) => texts.groups[ex.group] !== undefined)
      .map((ex): LocalizedExample => {
        const steps: LocalizedExample['steps'] = [texts.folder, texts.groups[ex.group] ?? ex.group, texts.titles[ex.name] ?? ex.title];
        return { lang, name: steps.join('/'), steps, source: ex, nodes: localizeFlow(lang, ex.nodes, texts) };
      });
  });
}

/** What each copy's file holds, formatted as Prettier formats the English ones, by its path under examples/. */
export async function localizedFiles(root = PACKAGE_ROOT): Promise<Map<string, string>> {
  const options = (await prettier.resolveConfig(path.join(root, 'examples', 'x.json'))) ?? {};
  const files = new Map<string, string>();
  for (const ex of localizedExamples(root)) {
    files.set(`${ex.name}.json`, await prettier.format(JSON.stringify(ex.nodes), { ...options, parser: 'json' }));
  }
  return files;
}

/**
 * What is wrong with the tables, one line each: a comment without its translation, a text for a node no English
 * example has (or for a field it does not show), a title Node-RED would cut or that names two examples.
 */
export function textProblems(root = PACKAGE_ROOT): string[] {
  const english = listExamples(path.join(root, 'examples'));
  const byId = new Map(english.flatMap((ex) => ex.nodes.filter((n) => !isShared(n)).map((n) => [n.id, { ex, n }] as const)));
  const problems: string[] = [];
  for (const lang of EXAMPLE_LANGUAGES) {
    const texts = readTexts(lang, root);
    const copied = english.filter((ex) => texts.groups[ex.group] !== undefined);
    for (const group of Object.keys(texts.groups)) {
      if (!(EXAMPLE_GROUPS as readonly string[]).includes(group)) problems.push(`${lang}: group "${group}" is no folder of examples/`);
    }
    for (const ex of copied) {
      for (const n of ex.nodes.filter((x) => x.type === 'comment')) {
        for (const field of ['name', 'info'] as const) {
          if (typeof n[field] === 'string' && n[field] !== '' && !texts.nodes[n.id]?.[field]) {
            problems.push(`${lang}: ${ex.name}: comment ${n.id} has no ${field}`);
          }
        }
      }
      if (ex.group !== PALETTE_TITLED_GROUP && !texts.titles[ex.name]) problems.push(`${lang}: ${ex.name} has no title`);
    }
    for (const [id, fields] of Object.entries(texts.nodes)) {
      const found = byId.get(id);
      if (!found) {
        problems.push(`${lang}: node ${id} is in no English example (or is a shared configuration node)`);
        continue;
      }
      if (texts.groups[found.ex.group] === undefined) problems.push(`${lang}: node ${id} is in ${found.ex.name}, a group not copied`);
      if (texts.from?.[id] !== englishDigest(found.n, Object.keys(fields))) {
        problems.push(
          `${lang}: ${found.ex.name}: the English text of node ${id} changed since it was translated: update its text in ` +
            `scripts/example-texts/${lang}.json, then run npm run examples:localize -- --translated`,
        );
      }
      for (const field of Object.keys(fields)) {
        const shown = found.n[field];
        if (!(TEXT_FIELDS as readonly string[]).includes(field) || typeof shown !== 'string' || shown === '') {
          problems.push(`${lang}: ${found.ex.name}: node ${id} shows no ${field} to translate`);
        }
      }
    }
    for (const name of Object.keys(texts.titles)) {
      const ex = english.find((e) => e.name === name);
      if (!ex) problems.push(`${lang}: title for ${name}, which is no English example`);
      else if (ex.group === PALETTE_TITLED_GROUP) problems.push(`${lang}: ${name} is titled by its palette label, which stays English`);
    }
    // Node-RED 3 cuts a name at its first dot; a slash, backslash or hash would break the library's URL.
    const names = [texts.folder, ...Object.values(texts.groups), ...Object.values(texts.titles)];
    for (const name of names)
      if (!/^[^./\\#]+$/.test(name) || name.trim() !== name) problems.push(`${lang}: "${name}" is no usable file name`);
    const paths = copied.map((ex) => `${texts.groups[ex.group]}/${texts.titles[ex.name] ?? ex.title}`);
    for (const p of new Set(paths)) if (paths.filter((x) => x === p).length > 1) problems.push(`${lang}: two examples titled ${p}`);
  }
  return problems;
}

/** Records, in each table, the digest of the English each entry now translates (see ExampleTexts.from). */
function markTranslated(root = PACKAGE_ROOT): void {
  const english = listExamples(path.join(root, 'examples'));
  const byId = new Map(english.flatMap((ex) => ex.nodes.map((n) => [n.id, n] as const)));
  for (const lang of EXAMPLE_LANGUAGES) {
    const texts = readTexts(lang, root);
    const from: Record<string, string> = {};
    for (const [id, fields] of Object.entries(texts.nodes)) {
      const n = byId.get(id);
      if (n) from[id] = englishDigest(n, Object.keys(fields));
    }
    fs.writeFileSync(textsFile(lang, root), `${JSON.stringify({ ...texts, from }, null, 2)}\n`);
  }
}

/** Writes every copy, each language's folder anew (so a renamed title leaves no old file behind). */
async function main(): Promise<void> {
  if (process.argv.includes('--translated')) markTranslated();
  const problems = textProblems();
  if (problems.length > 0) {
    console.error(`localize-examples: fix scripts/example-texts first:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const files = await localizedFiles();
  for (const lang of EXAMPLE_LANGUAGES)
    fs.rmSync(path.join(PACKAGE_ROOT, 'examples', readTexts(lang).folder), { recursive: true, force: true });
  for (const [rel, text] of files) {
    const file = path.join(PACKAGE_ROOT, 'examples', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  console.log(`localize-examples: wrote ${files.size} example flows (${EXAMPLE_LANGUAGES.join(', ')})`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
