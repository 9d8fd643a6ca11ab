// Every language Node-RED may show the pack in must say everything en-US says, with the same placeholders:
// a key missing from a catalog shows the raw key (or English) in the middle of a translated editor, and a
// placeholder lost or misspelt drops the name, count or field the text is about. Plural keys follow i18next's
// rules (Node-RED's i18next uses Intl.PluralRules): each language has exactly the suffixes its plural categories
// need — `_one`/`_other` in English and German, `_other` alone in Japanese.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_ROOT, PACKAGE_ROOT } from '../support/node-red-process';

// The catalogs and help pages as Node-RED reads them: the build's, whose help pages have their shared parts put in
// (nodes/locales/<lang>/_parts, scripts/build.js), so a part is checked in every page that shows it.
const LOCALES = path.join(BUILD_ROOT, 'nodes', 'locales');
const SOURCE = 'en-US';
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** The languages besides en-US, one folder each. */
export function translatedLanguages(dir: string = LOCALES): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== SOURCE)
    .map((d) => d.name)
    .sort();
}

/** The plural categories i18next uses for a language folder (de, ja, pt-BR …). */
function pluralCategories(lang: string): string[] {
  return new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
}

/** A catalog flattened to dotted keys ("spotify-play.label.device"). Non-text values are reported as problems. */
function flatten(value: unknown, prefix: string, out: Map<string, string>, problems: string[]): void {
  if (typeof value === 'string') out.set(prefix, value);
  else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out, problems);
  } else problems.push(`${prefix}: expected text or an object, found ${JSON.stringify(value)}`);
}

function readCatalog(file: string, problems: string[]): Map<string, string> {
  const out = new Map<string, string>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${path.basename(file)} is not valid JSON: ${(err as Error).message}`);
    return out;
  }
  flatten(parsed, '', out, problems);
  return out;
}

/** The interpolations a text needs filled in: {{name}}, __name__ and $t(key) references, sorted. */
export function placeholders(text: string): string[] {
  const found = [
    ...[...text.matchAll(/\{\{-?\s*([^},\s]+)[^}]*\}\}/g)].map((m) => `{{${m[1]}}}`),
    ...[...text.matchAll(/__([A-Za-z0-9_]+?)__/g)].map((m) => `__${m[1]}__`),
    ...[...text.matchAll(/\$t\(([^),]+)/g)].map((m) => `$t(${m[1].trim()})`),
  ];
  return found.sort();
}

/**
 * What one catalog lacks or has too much of, compared with its en-US counterpart. A plural group (`base_one`,
 * `base_other`, … in en-US) must appear in `lang` as exactly base_<category> for each of the language's plural
 * categories; each form's placeholders are those of the en-US form of the same category, or of `_other`.
 */
export function compareCatalogs(source: Map<string, string>, target: Map<string, string>, lang: string): string[] {
  const problems: string[] = [];
  const categories = pluralCategories(lang);
  const expected = new Map<string, string>(); // target key -> en-US text its placeholders must match
  for (const [key, text] of source) {
    const m = PLURAL_SUFFIX.exec(key);
    if (!m) {
      expected.set(key, text);
      continue;
    }
    const base = key.slice(0, m.index);
    for (const c of categories) {
      const form = `${base}_${c}`;
      if (!expected.has(form) || c === m[1]) expected.set(form, source.get(form) ?? source.get(`${base}_other`) ?? text);
    }
  }
  for (const [key, text] of expected) {
    const translated = target.get(key);
    if (translated === undefined) {
      problems.push(`missing ${key}`);
      continue;
    }
    if (translated.trim() === '' && text.trim() !== '') problems.push(`empty ${key}`);
    const want = placeholders(text);
    const got = placeholders(translated);
    if (want.join(' ') !== got.join(' ')) problems.push(`${key}: placeholders ${JSON.stringify(got)}, en-US has ${JSON.stringify(want)}`);
  }
  for (const key of target.keys()) {
    if (!expected.has(key)) problems.push(`extra ${key} (not in en-US, or a plural form ${lang} does not use: ${categories.join(', ')})`);
  }
  return problems;
}

const count = (text: string, re: RegExp): number => [...text.matchAll(re)].length;
const sortedMatches = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1] ?? m[0]).sort();

/**
 * The parts of a help page a translation keeps as they are: the node each section is for, the sections and
 * property rows, code spans and links, and the identifiers in them (msg properties, scope names).
 */
export function helpSkeleton(html: string): Record<string, string> {
  return {
    'data-help-name': sortedMatches(html, /data-help-name="([^"]+)"/g).join(' '),
    'script tags': sortedMatches(html, /(<script[^>]*>)/g).join(' '),
    '<h3>': String(count(html, /<h3>/g)),
    '<dt>': String(count(html, /<dt[\s>]/g)),
    'optional <dt>': String(count(html, /<dt class="optional">/g)),
    '<dd>': String(count(html, /<dd>/g)),
    '<li>': String(count(html, /<li>/g)),
    '<code>': String(count(html, /<code>/g)),
    'property types': sortedMatches(html, /<span class="property-type">([^<]*)<\/span>/g).join(' | '),
    links: sortedMatches(html, /href="([^"]*)"/g).join(' '),
    'msg identifiers': sortedMatches(html, /\b(msg\.[A-Za-z_][\w.]*)/g).join(' '),
    scopes: sortedMatches(html, /\b((?:user|playlist|ugc)-[a-z]+(?:-[a-z]+)+)\b/g).join(' '),
  };
}

export function compareHelp(source: string, target: string): string[] {
  const want = helpSkeleton(source);
  const got = helpSkeleton(target);
  return Object.keys(want)
    .filter((k) => want[k] !== got[k])
    .map((k) => `${k}: ${JSON.stringify(got[k])}, en-US has ${JSON.stringify(want[k])}`);
}

/** Every problem of one language folder against en-US, each prefixed with its file. */
export function checkLanguage(dir: string, lang: string): string[] {
  const problems: string[] = [];
  const sourceDir = path.join(dir, SOURCE);
  const targetDir = path.join(dir, lang);
  const sourceFiles = fs.readdirSync(sourceDir).sort();
  const targetFiles = new Set(fs.readdirSync(targetDir));
  for (const file of targetFiles) if (!sourceFiles.includes(file)) problems.push(`${file}: extra file (not in en-US)`);
  for (const file of sourceFiles) {
    if (!targetFiles.has(file)) {
      problems.push(`${file}: missing`);
      continue;
    }
    const inFile = (list: string[]): string[] => list.map((p) => `${file}: ${p}`);
    if (file.endsWith('.json')) {
      const parseProblems: string[] = [];
      const source = readCatalog(path.join(sourceDir, file), parseProblems);
      const target = readCatalog(path.join(targetDir, file), parseProblems);
      problems.push(...inFile(parseProblems), ...inFile(compareCatalogs(source, target, lang)));
    } else if (file.endsWith('.html')) {
      const read = (d: string): string => fs.readFileSync(path.join(d, file), 'utf8');
      problems.push(...inFile(compareHelp(read(sourceDir), read(targetDir))));
    }
  }
  return problems;
}

describe('every language says what en-US says', function () {
  const languages = translatedLanguages();

  it('has languages besides en-US', function () {
    assert.ok(languages.length > 0, `no language folder besides ${SOURCE} in ${LOCALES}`);
  });

  for (const lang of languages) {
    it(`${lang}: every catalog key (by ${lang}'s plural forms) and help page of en-US, no more, same placeholders`, function () {
      const problems = checkLanguage(LOCALES, lang);
      assert.deepEqual(problems, [], `nodes/locales/${lang}:\n  ${problems.join('\n  ')}`);
    });
  }
});

describe('the locale check itself', function () {
  const en = new Map([
    ['n.label.device', 'Device'],
    ['n.status.sent', 'sent to __name__'],
    ['n.status.tracks_one', '__count__ track'],
    ['n.status.tracks_other', '__count__ tracks'],
  ]);

  it('accepts a complete Japanese catalog with `_other` alone', function () {
    const ja = new Map([
      ['n.label.device', 'デバイス'],
      ['n.status.sent', '__name__ に送信'],
      ['n.status.tracks_other', '__count__曲'],
    ]);
    assert.deepEqual(compareCatalogs(en, ja, 'ja'), []);
  });

  it('names a missing key, a lost placeholder, a plural form the language lacks and one it does not use', function () {
    const ja = new Map([
      ['n.status.sent', '送信しました'],
      ['n.status.tracks_one', '__count__曲'],
    ]);
    assert.deepEqual(compareCatalogs(en, ja, 'ja'), [
      'missing n.label.device',
      'n.status.sent: placeholders [], en-US has ["__name__"]',
      'missing n.status.tracks_other',
      'extra n.status.tracks_one (not in en-US, or a plural form ja does not use: other)',
    ]);
    const de = new Map([
      ['n.label.device', 'Gerät'],
      ['n.status.sent', 'an __name__ gesendet'],
      ['n.status.tracks_other', '__count__ Titel'],
    ]);
    assert.deepEqual(compareCatalogs(en, de, 'de'), ['missing n.status.tracks_one']);
  });

  it('finds {{x}}, __x__ and $t() placeholders', function () {
    assert.deepEqual(placeholders('{{count}} of {{ total, number }} · __name__ $t(spotify-account.label.name)'), [
      '$t(spotify-account.label.name)',
      '__name__',
      '{{count}}',
      '{{total}}',
    ]);
  });

  it('names help pages whose sections, code or identifiers differ', function () {
    const en =
      '<script type="text/html" data-help-name="spotify-x"><h3>Inputs</h3><dl><dt>payload</dt><dd><code>msg.topic</code> needs <code>user-read-private</code></dd></dl></script>';
    assert.deepEqual(compareHelp(en, en.replace('Inputs', '入力').replace('needs', 'が必要')), []);
    assert.deepEqual(compareHelp(en, en.replace('<h3>Inputs</h3>', '').replace('msg.topic', 'msg.topik')), [
      '<h3>: "0", en-US has "1"',
      'msg identifiers: "msg.topik", en-US has "msg.topic"',
    ]);
  });
});

// Each node's help ends with the example to import, by the path Import → Examples shows: a name that is no
// example there (a file name, an old title) leaves the user searching. A translated help points to the copy in its
// language's folder (scripts/example-texts/<lang>.json names the folder).
describe('the examples the help pages name', function () {
  const EXAMPLES = path.join(PACKAGE_ROOT, 'examples');
  const PACKAGE_NAME = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string }).name;
  const folderOf = (lang: string): string | undefined =>
    lang === SOURCE
      ? undefined
      : (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'scripts', 'example-texts', `${lang}.json`), 'utf8')) as { folder: string })
          .folder;

  for (const lang of [SOURCE, ...translatedLanguages()]) {
    it(`${lang}: every help page names an example that Import → Examples offers${lang === SOURCE ? '' : `, in ${lang}'s folder`}`, function () {
      const problems: string[] = [];
      const files = fs.readdirSync(path.join(LOCALES, lang)).filter((f) => f.endsWith('.html') && f !== 'account.html');
      for (const file of files) {
        const html = fs.readFileSync(path.join(LOCALES, lang, file), 'utf8');
        // "… → @tunewire/node-red-spotify → Deutsch → Nodes …<i>Title</i>" or "<i>Title</i> … → Nodes."
        const line = html.split('\n').find((l) => l.includes(PACKAGE_NAME));
        const steps = line?.match(new RegExp(`${PACKAGE_NAME.replace(/[/.]/g, '\\$&')}((?: → [^→<:.\\s][^→<:]*?)+)(?=[ :.]|$| から)`))?.[1];
        const title = line?.match(/<i>([^<]+)<\/i>/)?.[1];
        if (!line || !steps || !title) {
          problems.push(`${file}: names no example by its path (${line?.trim() ?? 'no line'})`);
          continue;
        }
        const folders = steps
          .split(' → ')
          .map((s) => s.trim())
          .filter(Boolean);
        const wanted = folderOf(lang);
        if (wanted !== undefined && folders[0] !== wanted)
          problems.push(`${file}: points to ${folders.join('/')}, not to the ${wanted} folder`);
        if (!fs.existsSync(path.join(EXAMPLES, ...folders, `${title}.json`)))
          problems.push(`${file}: no example ${[...folders, title].join('/')}`);
      }
      assert.deepEqual(problems, []);
    });
  }
});
