// A catalog lookup as Node-RED's i18n answers a node module's RED._ in a given language, read from the catalogs as
// shipped (nodes/locales/<lang>/<file>): plural forms by the count (`key_one`, `key_other`), `__name__` filled in,
// English where the language lacks a key (Node-RED merges en-US into each language), the key itself when neither
// has it. For tests that install a language without starting Node-RED (useWords, useNodeCatalog, the fake editor).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from './node-red-process';

export type Lookup = (key: string, vars?: Record<string, string | number>) => string;

const LOCALES = path.join(PACKAGE_ROOT, 'nodes', 'locales');

function read(lang: string, file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(LOCALES, lang, file), 'utf8'));
  } catch {
    return {};
  }
}

function at(catalog: unknown, key: string): string | undefined {
  const found = key
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), catalog);
  return typeof found === 'string' ? found : undefined;
}

/** The lookup of catalog `file` ("account.json") in `lang` ("de"). */
export function catalogLookup(lang: string, file: string): Lookup {
  const catalogs = [
    { lang, catalog: read(lang, file) },
    { lang: 'en-US', catalog: read('en-US', file) },
  ];
  return (key, vars) => {
    for (const { lang: l, catalog } of catalogs) {
      const count = vars?.count;
      const plural = typeof count === 'number' ? at(catalog, `${key}_${new Intl.PluralRules(l).select(count)}`) : undefined;
      const text = plural ?? at(catalog, key);
      if (text !== undefined) return text.replace(/__(\w+)__/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m));
    }
    return key;
  };
}
