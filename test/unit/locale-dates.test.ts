// Dates among the runtime's texts read in the language of those texts: the catalog says its locale
// ("spotify-account.locale"), and a day in a German status reads "3. Mai", in an English one "3 May" as always;
// scopes are named in the words of that language's catalog.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { runtimeLocale, useAccountCatalog } from '../../nodes/node-red/messages';
import { CARD_WORDS, cardWords } from '../../nodes/node-red/card-words';
import { day } from '../../nodes/spotify/local-time';
import { requirementWords, SCOPE_WORDS, scopeWords, useScopeWords } from '../../nodes/spotify/scopes';
import { PACKAGE_ROOT } from '../support/node-red-process';

function fakeRED(translate: (key: string) => string): NodeAPI {
  return { _: translate } as unknown as NodeAPI;
}

describe('dates in the language of the runtime texts', function () {
  after(function () {
    useAccountCatalog(fakeRED((k) => k)); // as the test helper leaves it
  });

  const may3 = new Date(2026, 4, 3, 12).getTime();
  const thisYear = new Date(2026, 0, 1).getTime();
  const nextYear = new Date(2027, 0, 1).getTime();

  it('English keeps "3 May" (and the year when it is not this one)', function () {
    assert.equal(day(may3, thisYear), '3 May');
    assert.equal(day(may3, nextYear), '3 May 2026');
    assert.equal(day(may3, thisYear, 'en-GB'), '3 May');
  });

  it('another language writes the day its own way', function () {
    assert.equal(day(may3, thisYear, 'de-DE'), '3. Mai');
    assert.equal(day(may3, nextYear, 'de-DE'), '3. Mai 2026');
  });

  it("the runtime's locale is the one its catalog says; en-US when the key does not resolve", function () {
    useAccountCatalog(fakeRED((key) => (key === 'spotify-account.locale' ? 'de-DE' : key)));
    assert.equal(runtimeLocale(), 'de-DE');
    useAccountCatalog(fakeRED((key) => key));
    assert.equal(runtimeLocale(), 'en-US');
    useAccountCatalog(fakeRED(() => 'not a locale'));
    assert.equal(runtimeLocale(), 'en-US');
  });

  it('every catalog says its locale, in its own language', function () {
    const dir = path.join(PACKAGE_ROOT, 'nodes', 'locales');
    for (const lang of fs.readdirSync(dir)) {
      const catalog = JSON.parse(fs.readFileSync(path.join(dir, lang, 'account.json'), 'utf8')) as {
        'spotify-account': { locale?: string };
      };
      const locale = catalog['spotify-account'].locale ?? '';
      assert.equal(locale.split('-')[0], lang.split('-')[0], `${lang}/account.json says "spotify-account.locale": "${locale}"`);
      assert.doesNotThrow(() => new Intl.DateTimeFormat(locale), `${lang}: a locale Intl knows`);
    }
  });
});

describe('scopes in the words of the language shown', function () {
  after(function () {
    useScopeWords(() => undefined);
  });

  it("the en-US catalog's scope words are SCOPE_WORDS, and every catalog names every scope", function () {
    const dir = path.join(PACKAGE_ROOT, 'nodes', 'locales');
    for (const lang of fs.readdirSync(dir)) {
      const catalog = JSON.parse(fs.readFileSync(path.join(dir, lang, 'account.json'), 'utf8')) as {
        'spotify-account': { scopes?: Record<string, string> };
      };
      const words = catalog['spotify-account'].scopes ?? {};
      assert.deepEqual(Object.keys(words).sort(), Object.keys(SCOPE_WORDS).sort(), `${lang}/account.json names every scope`);
      if (lang === 'en-US') assert.deepEqual(words, SCOPE_WORDS);
    }
  });

  it('a catalog handed over names the scopes; English ones share their verb, others are joined whole', function () {
    assert.equal(requirementWords(['playlist-modify-public', 'playlist-modify-private']), 'change public playlists or private playlists');
    const german: Record<string, string> = {
      'scopes.playlist-modify-public': 'öffentliche Playlists ändern',
      'scopes.playlist-modify-private': 'private Playlists ändern',
      'health.or': 'oder',
    };
    useScopeWords((key) => german[key]);
    assert.equal(scopeWords('playlist-modify-public'), 'öffentliche Playlists ändern');
    assert.equal(scopeWords('ugc-image-upload'), 'upload images', 'a scope the catalog lacks: English');
    assert.equal(
      requirementWords(['playlist-modify-public', 'playlist-modify-private']),
      'öffentliche Playlists ändern oder private Playlists ändern',
    );
  });
});

describe("the now-playing card's words", function () {
  const dir = path.join(PACKAGE_ROOT, 'nodes', 'locales');
  const cardSection = (lang: string): Record<string, string> =>
    (
      JSON.parse(fs.readFileSync(path.join(dir, lang, 'ui-player.json'), 'utf8')) as {
        'spotify-ui-player': { card: Record<string, string> };
      }
    )['spotify-ui-player'].card;

  it('every catalog has every word the card shows; the runtime hands them over (English when unresolved)', function () {
    for (const lang of fs.readdirSync(dir)) assert.deepEqual(Object.keys(cardSection(lang)).sort(), [...CARD_WORDS].sort(), lang);
    assert.deepEqual(cardWords(), cardSection('en-US'));
  });

  it('the card reads each word from its props, and its own English ones are the en-US catalog', function () {
    const card = fs.readFileSync(path.join(PACKAGE_ROOT, 'resources', 'spotify-ui-player.umd.js'), 'utf8');
    const used = new Set([...card.matchAll(/this\.w\('(\w+)'\)/g)].map((m) => m[1]));
    assert.deepEqual([...used].sort(), [...CARD_WORDS].sort(), 'the card shows every word, and no other');
    const literal = /var WORDS = (\{[\s\S]*?\});/.exec(card)?.[1] ?? '{}';
    const english = Object.fromEntries([...literal.matchAll(/(\w+): '([^']*)'/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(english, cardSection('en-US'));
  });
});
