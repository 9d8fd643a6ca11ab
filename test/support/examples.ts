// The example flows the pack ships, as Node-RED offers them under Import → Examples: examples/<group>/<title>.json,
// each folder a group of the menu (Start here, Recipes, one per node). One listing for every test and the demo.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_ROOT } from './node-red-process';

/** The groups in the order the demo lays out their tabs; each is a folder of examples/. */
export const EXAMPLE_GROUPS = ['Start here', 'Recipes', 'Nodes'] as const;
export type ExampleGroup = (typeof EXAMPLE_GROUPS)[number];

export interface ExampleNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  [key: string]: unknown;
}

export interface Example {
  /** Its path under examples/ without .json, as the library API names it: "Recipes/Morning alarm". */
  name: string;
  group: ExampleGroup;
  /** The file name without .json: what the menu shows. */
  title: string;
  nodes: ExampleNode[];
}

/** Every example under `root` (the build's by default), group by group, each group by title. */
export function listExamples(root = path.join(BUILD_ROOT, 'examples')): Example[] {
  if (!fs.existsSync(root)) return [];
  return EXAMPLE_GROUPS.flatMap((group) => {
    const dir = path.join(root, group);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => {
        const title = path.basename(f, '.json');
        return { name: `${group}/${title}`, group, title, nodes: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ExampleNode[] };
      });
  });
}

/** One example by its name ("Nodes/Play"), from the build. */
export function example(name: string): Example {
  const found = listExamples().find((e) => e.name === name);
  if (!found) throw new Error(`no example ${name} in ${path.join(BUILD_ROOT, 'examples')}`);
  return found;
}

/** Every file under examples/, relative to it (the Flow Library's scorecard parses each as a flow). */
export function exampleFiles(root: string): string[] {
  const walk = (rel: string): string[] =>
    fs
      .readdirSync(path.join(root, rel), { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(rel, e.name)) : [path.join(rel, e.name)]));
  return walk('').sort();
}

/**
 * Every flow under `root` by its path without .json, as the library names it: the English groups' ("Recipes/Morning
 * alarm") and the copies in other languages ("Deutsch/Rezepte/Wecker am Morgen", made by scripts/localize-examples.ts).
 */
export function exampleNames(root: string): string[] {
  return exampleFiles(root)
    .filter((f) => f.endsWith('.json'))
    .map((f) =>
      f
        .replace(/\.json$/, '')
        .split(path.sep)
        .join('/'),
    )
    .sort();
}

/** The folders Import → Examples shows first under the package: the English groups and one per language. */
export function exampleFolders(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * What Node-RED offers under Import → Examples for `module`, walked as the editor does through the library API:
 * each folder listed as a name, each flow as {fn}. Returns the flows' paths ("Recipes/Morning alarm").
 */
export async function offeredExamples(editorUrl: string, module: string): Promise<string[]> {
  const list = async (sub: string): Promise<string[]> => {
    const res = await fetch(
      `${editorUrl}/library/examples/flows/${module}${sub ? `/${sub.split('/').map(encodeURIComponent).join('/')}` : ''}`,
      {
        headers: { accept: 'application/json' },
      },
    );
    if (res.status !== 200) throw new Error(`the examples library answered ${res.status} for "${sub}": ${await res.text()}`);
    const entries = (await res.json()) as (string | { fn?: string })[];
    const found: string[] = [];
    for (const e of entries) {
      if (typeof e === 'string') found.push(...(await list(sub ? `${sub}/${e}` : e)));
      else if (typeof e.fn === 'string') found.push(sub ? `${sub}/${e.fn}` : e.fn);
    }
    return found;
  };
  return (await list('')).sort();
}
