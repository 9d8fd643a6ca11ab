// A bad-input error speaks the runtime's language: the frame ("<field>: expected …, got …"), what the field expects
// and the field's dialog label, each from the catalogs (the account node's for the library's words, the node's own
// for its labels), as Node-RED's RED._ answers them in German or Japanese. English is what a runtime without a
// translation (and Node-RED's test helper) shows.
import assert from 'node:assert/strict';
import type { NodeAPI } from 'node-red';
import { NodeFieldReader } from '../../nodes/node-red/fields';
import { fieldLabelText } from '../../nodes/node-red/field-labels';
import { catalogFile, useNodeCatalog } from '../../nodes/node-red/messages';
import { InputError } from '../../nodes/spotify/errors';
import { parseRef, parseRefs } from '../../nodes/spotify/ids';
import { optionalMarket } from '../../nodes/spotify/inputs';
import { useWords } from '../../nodes/spotify/words';
import { catalogLookup, type Lookup } from '../support/catalog-lookup';

const TYPE = 'spotify-get-playlists';

function fakeRED(translate: Lookup): NodeAPI {
  return { _: translate } as unknown as NodeAPI;
}

/** Runs `fn` with the runtime speaking `lang`: the library's words and the node's labels. */
function inLanguage(lang: string, fn: () => void): void {
  useWords(catalogLookup(lang, 'account.json'));
  useNodeCatalog(fakeRED(catalogLookup(lang, catalogFile(TYPE))), TYPE);
  try {
    fn();
  } finally {
    // As Node-RED's test helper leaves them: every key answered with itself, so English from the shipped catalog.
    useWords(undefined);
    useNodeCatalog(
      fakeRED((k) => k),
      TYPE,
    );
  }
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `an InputError, not ${String(err)}`);
    return err.message;
  }
  assert.fail('no error');
}

describe('bad-input errors in the runtime language', function () {
  const limit = (): string => messageOf(() => new NodeFieldReader(TYPE, {}).int('limit', -5));

  it('English without a translation, worded as it always was', function () {
    assert.equal(limit(), 'At most: expected a whole number from 1 to 100000, got number -5');
    assert.equal(
      messageOf(() => parseRef('x', 'tracks', ['track', 'episode'])),
      'tracks: expected a Spotify track or episode ID (a bare ID counts as a track), spotify:track:/spotify:episode: URI or open.spotify.com/track/… or /episode/… link, got "x"',
    );
    assert.equal(
      messageOf(() => parseRef('spotify:album:4aawyAB9vmqN3uQ7FjRGTy', 'track', ['track'])),
      'track: expected a Spotify track ID, spotify:track: URI or open.spotify.com/track/… link (not an album), got "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"',
    );
    assert.equal(
      messageOf(() => parseRefs([], 'uris', ['track'])),
      'uris: expected at least one Spotify track ID, spotify:track: URI or open.spotify.com/track/… link, got an array of 0',
    );
  });

  it('German: the field by its German label, what it expects in German', function () {
    inLanguage('de', () => {
      assert.equal(fieldLabelText(TYPE, 'label.limit'), 'Höchstens');
      assert.equal(limit(), 'Höchstens: erwartet eine ganze Zahl von 1 bis 100000, erhalten number -5');
      assert.equal(
        messageOf(() => optionalMarket('Deutschland', 'Markt')),
        'Markt: erwartet einen zweibuchstabigen Ländercode (z. B. DE) oder from_token, erhalten "Deutschland"',
      );
      assert.equal(
        messageOf(() => parseRef('x', 'tracks', ['track', 'episode'])),
        'tracks: erwartet eine Spotify-ID, spotify:track:/spotify:episode:-URI oder einen open.spotify.com/track/… oder /episode/…-Link (Song oder Episode; eine bloße ID ist ein Song), erhalten "x"',
      );
      assert.equal(
        messageOf(() => parseRef('spotify:album:4aawyAB9vmqN3uQ7FjRGTy', 'track', ['track'])),
        'track: erwartet eine Spotify-ID, spotify:track:-URI oder einen open.spotify.com/track/…-Link (Song) (ein Album passt hier nicht), erhalten "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"',
      );
    });
  });

  it('Japanese: the field by its Japanese label, what it expects in Japanese', function () {
    inLanguage('ja', () => {
      assert.equal(limit(), '最大件数: 1 から 100000 までの整数 が必要ですが、number -5 を受け取りました');
      assert.equal(
        messageOf(() => parseRefs([], 'uris', ['track'])),
        'uris: Spotify の曲のID、spotify:track: URI、または open.spotify.com/track/… リンクを1つ以上 が必要ですが、0 件の配列 を受け取りました',
      );
    });
  });

  it('a label looked up in one language is not kept for another', function () {
    assert.equal(fieldLabelText(TYPE, 'label.limit'), 'At most');
    inLanguage('ja', () => assert.equal(fieldLabelText(TYPE, 'label.limit'), '最大件数'));
    inLanguage('de', () => assert.equal(fieldLabelText(TYPE, 'label.limit'), 'Höchstens'));
    assert.equal(fieldLabelText(TYPE, 'label.limit'), 'At most');
  });
});
