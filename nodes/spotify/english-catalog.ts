// The English catalogs shipped beside the code (locales/en-US/<file>.json): the texts used when no other language
// answers — Node-RED's test helper, a key a translation lacks, the library used on its own.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type TextVars = Record<string, string | number>;

/** The English template of each key looked up so far, per catalog file (statuses are shown for every message). */
const templates = new Map<string, string | undefined>();
const catalogs = new Map<string, Record<string, unknown>>();

/** English plural categories ("one", "other"), as i18next picks `key_one` / `key_other` for a `count`. */
const englishPlurals = new Intl.PluralRules('en-US');

/** The text at `key` in the English catalog `file`, with `__name__` placeholders filled; the key when it lacks it. */
export function englishText(file: string, key: string, vars?: TextVars): string {
  // A key with plural forms (i18next v4 JSON: `key_one`, `key_other`) is looked up by the count's form.
  const count = vars?.count;
  const value =
    (typeof count === 'number'
      ? (template(file, `${key}_${englishPlurals.select(count)}`) ?? template(file, `${key}_other`))
      : undefined) ?? template(file, key);
  if (value === undefined) return key;
  if (!vars) return value;
  return value.replace(/__(\w+)__/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** The raw English template at `key` in `file`, or undefined. */
export function template(file: string, key: string): string | undefined {
  const id = `${file}:${key}`;
  if (templates.has(id)) return templates.get(id);
  let english = catalogs.get(file);
  if (!english) {
    english = readEnglish(file);
    catalogs.set(file, english);
  }
  const found = key
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), english);
  const value = typeof found === 'string' ? found : undefined;
  templates.set(id, value);
  return value;
}

function readEnglish(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'locales', 'en-US', file), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
