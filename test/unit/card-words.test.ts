// The now-playing card's words come from the node's catalog, in the runtime's language: the card's client code
// asks for each by key (this.word('key', 'English')), the runtime sends them with the card's configuration, and
// the English the client falls back on is the catalog's own, so the three never drift apart.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { CARD_WORDS, cardWords } from '../../nodes/node-red/card-words';
import { useNodeCatalog } from '../../nodes/node-red/messages';
import { PACKAGE_ROOT } from '../support/node-red-process';

const TYPE = 'spotify-ui-player';
const english = (
  JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'nodes', 'locales', 'en-US', 'ui-player.json'), 'utf8')) as {
    [TYPE]: { card: Record<string, string> };
  }
)[TYPE].card;
const client = fs.readFileSync(path.join(PACKAGE_ROOT, 'resources', 'spotify-ui-player.umd.js'), 'utf8');
/** Each word the client asks for, with the English it shows without one. */
const asked = [...client.matchAll(/this\.word\('(\w+)', '([^']*)'\)/g)].map((m) => ({ key: m[1], fallback: m[2] }));

function fakeRED(translate: (key: string) => string): NodeAPI {
  return { _: translate } as unknown as NodeAPI;
}

describe('the card’s words', function () {
  after(function () {
    useNodeCatalog(
      fakeRED((k) => k),
      TYPE,
    ); // as the test helper leaves it
  });

  it('the client asks for exactly the catalog’s words, and falls back on the catalog’s English', function () {
    assert.deepEqual([...new Set(asked.map((a) => a.key))].sort(), Object.keys(english).sort());
    assert.deepEqual([...CARD_WORDS].sort(), Object.keys(english).sort());
    for (const { key, fallback } of asked) assert.equal(fallback, english[key], `this.word('${key}') falls back on other English`);
  });

  it('are sent in the runtime’s language, English when it has none', function () {
    useNodeCatalog(
      fakeRED((key) => (key === `${TYPE}.card.nothingPlaying` ? '再生中の曲はありません' : key)),
      TYPE,
    );
    const words = cardWords();
    assert.equal(words.nothingPlaying, '再生中の曲はありません');
    assert.equal(words.shuffle, 'Shuffle');
    assert.deepEqual(Object.keys(words).sort(), Object.keys(english).sort());
  });
});
