// Dates among the runtime's texts read in the language of those texts: the catalog says its locale
// ("spotify-account.locale"), and a day in a German status reads "3. Mai", in an English one "3 May" as always;
// scopes are named in the words of that language's catalog.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { runtimeLocale, useAccountCatalog } from '../../nodes/node-red/messages';
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
