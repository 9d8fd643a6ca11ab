// The Spotify library's errors in the runtime's language: with the account catalog of a language installed as
// the library's lookup (as the Node-RED adapter installs the account node's RED._), an answer of Spotify is
// explained in that language; Spotify's own words, the request and the status stay as they came.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BatchError } from '../../nodes/spotify/batching';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import { explainError } from '../../nodes/spotify/explain';
import { Cooldown, type RateLimitedError } from '../../nodes/spotify/rate-limit';
import { template } from '../../nodes/spotify/english-catalog';
import { say, useWords, wordsLocale } from '../../nodes/spotify/words';
import { catalogLookup, type Lookup } from '../support/catalog-lookup';
import { PACKAGE_ROOT } from '../support/node-red-process';

/** nodes/locales/<lang>/account.json, as Node-RED's i18n answers the account module's RED._ in that language. */
const lookupOf = (lang: string): Lookup => catalogLookup(lang, 'account.json');

const notFound = (): SpotifyApiError =>
  explainError({ method: 'GET', path: '/me/tracks', status: 404, body: { error: { status: 404, message: 'Not found.' } } });

const noDevice = (): SpotifyApiError =>
  explainError({
    method: 'PUT',
    path: '/me/player/play',
    status: 404,
    body: { error: { status: 404, message: 'Player command failed: No active device found', reason: 'NO_ACTIVE_DEVICE' } },
  });

/** A 429 asking for more than the longest cooldown (a day here), met at local noon: it resumes tomorrow. */
async function beyondTheCap(): Promise<RateLimitedError> {
  const now = new Date(2026, 11, 6, 12, 0, 0).getTime();
  const cooldown = new Cooldown(() => now);
  cooldown.maxMs = 86_400_000;
  cooldown.trip(200_000, false);
  return (await cooldown.wait(60_000).catch((e: unknown) => e)) as RateLimitedError;
}

describe("the Spotify library's errors in the runtime's language", function () {
  afterEach(function () {
    useWords(undefined);
  });

  it('English without a lookup, as the errors always read', async function () {
    assert.equal(
      notFound().message,
      'Not found (Not found.): it was deleted, or is not available to this account — Spotify answered 404 Not Found to GET /me/tracks',
    );
    assert.match((await beyondTheCap()).message, /^Spotify rate limit: no requests until 7 Dec 12:00:00 \(in 86400 s\)/);
    assert.equal(wordsLocale(), 'en-US');
  });

  it('German: a 404, no active device, a 429 beyond the cap (its date in German), a half-done batch', async function () {
    useWords(lookupOf('de'));
    assert.equal(
      notFound().message,
      'Nicht gefunden (Not found.): Es wurde gelöscht oder ist für dieses Konto nicht verfügbar — Spotify antwortete 404 Not Found auf GET /me/tracks',
    );
    const device = noDevice();
    assert.equal(
      device.message,
      'Kein aktives Gerät: Öffnen Sie zuerst Spotify auf einem Gerät oder geben Sie ein Gerät an — Spotify antwortete 404 Not Found auf PUT /me/player/play',
    );
    assert.equal(device.reason, 'NO_ACTIVE_DEVICE');
    assert.equal(
      (await beyondTheCap()).message,
      'Spotify-Rate-Limit: keine Anfragen bis 7. Dez. 12:00:00 (in 86400 s), länger als dieses Paket wartet. Spotify verlangte 200000 s, ' +
        'mehr als die längste Wartezeit, die das Paket einhält (86400 s, Einstellung spotifyAccount.maxCooldownSeconds)',
    );
    const batch = new BatchError(notFound(), ['a', 'b'], [], ['c'], 'tracks');
    assert.match(batch.message, / — 2 von 3 Songs angewendet, 1 nicht angewendet$/);
  });

  it('Japanese: a 404, no active device, a 429 beyond the cap (its date in Japanese)', async function () {
    useWords(lookupOf('ja'));
    assert.equal(
      notFound().message,
      '見つかりません (Not found.): 削除されたか、このアカウントでは利用できません — Spotify は GET /me/tracks に 404 Not Found を返しました',
    );
    assert.equal(
      noDevice().message,
      'アクティブなデバイスがありません: まずデバイスでSpotifyを開くか、デバイスを指定してください — Spotify は PUT /me/player/play に 404 Not Found を返しました',
    );
    assert.match((await beyondTheCap()).message, /^Spotifyのレート制限: 12月7日 12:00:00 \(あと 86400 秒\) までリクエストを送りません。/);
    assert.equal(wordsLocale(), 'ja-JP');
  });

  it("tells a missing scope by Spotify's own words, and quotes them as Spotify sent them", function () {
    useWords(lookupOf('de'));
    const scope = explainError({
      method: 'GET',
      path: '/me/top/tracks',
      status: 403,
      body: { error: { status: 403, message: 'Insufficient client scope' } },
      scopes: 'user-top-read',
    });
    assert.equal(
      scope.message,
      'Laut Spotify fehlt der Autorisierung ein Scope (Insufficient client scope): Haken Sie user-top-read im Spotify-Konto-Node an ' +
        'und autorisieren Sie erneut — Spotify antwortete 403 Forbidden auf GET /me/top/tracks',
    );
    assert.equal(scope.spotifyMessage, 'Insufficient client scope');
  });

  it('falls back to English for a key the language lacks', function () {
    const german = lookupOf('de');
    // Node-RED answers a key neither the language nor en-US has with the key itself.
    useWords((key, vars) => (key.endsWith('.cause.notFound') ? key : german(key, vars)));
    assert.equal(
      notFound().message,
      'Not found (Not found.): it was deleted, or is not available to this account — Spotify antwortete 404 Not Found auf GET /me/tracks',
    );
  });

  it('every key the library asks for is in the account catalog (en-US), under "spotify-account.library"', function () {
    const dir = path.join(PACKAGE_ROOT, 'nodes', 'spotify');
    const keys = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\bsay\('([^']+)'/g)].map((m) => `${f}: ${m[1]}`));
    assert.ok(keys.length >= 60, `found the keys in use (${keys.length})`);
    const missing = keys.filter((k) => {
      const full = `spotify-account.library.${k.split(': ')[1]}`;
      return template('account.json', full) === undefined && template('account.json', `${full}_other`) === undefined;
    });
    assert.deepEqual(missing, []);
    // The keys made at run time: a 403's likely cause per operation, the things a batch is made of.
    for (const key of ['allowList', 'notYourPlaylist', 'ownPlaylistItems', 'player']) {
      assert.notEqual(say(`spotify.forbidden.${key}`), `spotify-account.library.spotify.forbidden.${key}`, key);
    }
    for (const key of ['tracks', 'items', 'uris']) {
      assert.notEqual(say(`batch.what.${key}`), `spotify-account.library.batch.what.${key}`, key);
    }
  });
});
