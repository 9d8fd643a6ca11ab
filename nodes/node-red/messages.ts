// Texts the runtime shows (node status, warnings, errors) come from the message catalogs, like the editor's.
// They live in the account node's catalog (locales/<lang>/account.json, under "spotify-account.runtime"):
// every node of the pack uses them, and Node-RED scopes a module's RED._ to that module's own catalog, so the
// account module hands its RED._ over here when it registers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';

type Vars = Record<string, string | number>;
type Translate = (key: string, vars?: Vars) => string;

const PREFIX = 'spotify-account.runtime.';
let translate: Translate | undefined;
let english: Record<string, unknown> | undefined;

/** Called by the account node's module: its RED._ reads account.json in the runtime's language. */
export function useAccountCatalog(RED: NodeAPI): void {
  translate = (key, vars) => RED._(key, vars);
}

/** A runtime text, e.g. runtimeText('status.notAuthorized') or runtimeText('status.badInput', {field: 'Tracks'}). */
export function runtimeText(key: string, vars?: Vars): string {
  const full = PREFIX + key;
  let text: unknown;
  try {
    text = translate?.(full, vars);
  } catch {
    text = undefined;
  }
  // Node-RED answers a key it cannot resolve with the key itself (the test helper always does): use the
  // English catalog shipped beside this file, so a status never shows "spotify-account.runtime.…".
  if (typeof text !== 'string' || text === '' || text.endsWith(full)) text = fromEnglish(full, vars);
  return text as string;
}

/**
 * The locale the runtime's texts are written in, for the dates among them: the catalog says it
 * ("spotify-account.locale"), so a date never reads in another language than the sentence around it.
 */
export function runtimeLocale(): string {
  let locale: unknown;
  try {
    locale = translate?.('spotify-account.locale');
  } catch {
    locale = undefined;
  }
  return typeof locale === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(locale) ? locale : 'en-US';
}

/** The English template of each key looked up so far (statuses are shown for every message). */
const templates = new Map<string, string | undefined>();

/** English plural categories ("one", "other"), as i18next picks `key_one` / `key_other` for a `count`. */
const englishPlurals = new Intl.PluralRules('en-US');

function fromEnglish(key: string, vars?: Vars): string {
  // A key with plural forms (i18next v4 JSON: `key_one`, `key_other`) is looked up by the count's form.
  const count = vars?.count;
  const value =
    (typeof count === 'number' ? (template(`${key}_${englishPlurals.select(count)}`) ?? template(`${key}_other`)) : undefined) ??
    template(key);
  if (value === undefined) return key;
  if (!vars) return value;
  return value.replace(/__(\w+)__/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m));
}

function template(key: string): string | undefined {
  if (templates.has(key)) return templates.get(key);
  english ??= readEnglish();
  const found = key
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), english);
  const value = typeof found === 'string' ? found : undefined;
  templates.set(key, value);
  return value;
}

function readEnglish(): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'locales', 'en-US', 'account.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
