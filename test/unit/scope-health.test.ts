// The words of the account's health: scopes in plain words, the account dialog's checklist grouped by node and
// checked against what Spotify granted and what the dialog has ticked now, and a removal said as a removal.
import assert from 'node:assert/strict';
import { needsByNode, scopeChanges, shortfalls, shortfallText } from '../../nodes/spotify/scope-health';
import { nodeScopeRequirement } from '../../nodes/spotify/node-scopes';
import { ALL_SCOPES, requirementWords, scopeWords, uniqueRequirement } from '../../nodes/spotify/scopes';

describe('scope health texts', function () {
  it('every scope has plain words, and no two share them', function () {
    const words = ALL_SCOPES.map(scopeWords);
    for (const [i, w] of words.entries()) assert.ok(w && w !== ALL_SCOPES[i] && !w.includes('-'), `${ALL_SCOPES[i]}: "${w}"`);
    assert.equal(new Set(words).size, words.length);
    assert.equal(scopeWords('ugc-image-upload'), 'upload images');
    assert.equal(scopeWords('some-new-scope'), 'some-new-scope', 'a scope Spotify adds later shows as it is');
  });

  it('says either-of requirements once, sharing the verb', function () {
    assert.equal(requirementWords(['playlist-modify-public', 'playlist-modify-private']), 'change public playlists or private playlists');
    assert.equal(
      requirementWords(['user-read-currently-playing', 'user-read-playback-state'], 'ou'),
      'read what is playing ou the player and devices',
    );
    assert.equal(requirementWords(['ugc-image-upload']), 'upload images');
  });

  it('alternatives in another order are one requirement, and an entry another implies goes', function () {
    assert.deepEqual(uniqueRequirement(['a', ['x', 'y'], ['y', 'x'], 'a']), ['a', ['y', 'x']]);
    assert.deepEqual(uniqueRequirement([['x', 'y'], 'b', 'y']), ['b', 'y']);
    assert.deepEqual(
      uniqueRequirement([
        ['x', 'y', 'z'],
        ['y', 'x'],
      ]),
      [['y', 'x']],
    );
  });

  it("groups the needs by node, each checked against the grant and the dialog's ticks", function () {
    const cover = nodeScopeRequirement('spotify-playlist-cover', {});
    const granted = ['user-read-private', 'playlist-read-private', 'playlist-modify-private', 'user-top-read'];
    const ticked = ['user-read-private', 'playlist-read-private', 'playlist-modify-private', 'user-library-read'];
    const groups = needsByNode(
      [
        { label: 'top items', requirement: ['user-top-read'] },
        { label: 'playlist cover', requirement: cover },
        { label: 'saved items', requirement: ['user-library-read'] },
        { label: 'search', requirement: [] },
        { label: 'top items', requirement: ['user-top-read'] },
      ],
      granted,
      ticked,
    );
    assert.deepEqual(
      groups.map((g) => [g.label, g.needs.map((n) => `${n.words}: ${n.state}`)]),
      [
        ['playlist cover', ['upload images: missing', 'change public playlists or private playlists: granted']],
        ['saved items', ['read the library: ticked']],
        ['top items', ['read top artists and tracks: unticked']],
      ],
    );
    const short = shortfalls(groups);
    assert.equal(shortfallText(short), 'upload images (playlist cover), read the library (saved items)');
    assert.deepEqual(
      short.map((s) => s.ticked),
      [false, true],
      'a ticked need needs only Authorize Access',
    );
  });

  it('a need shared by nodes is named once, with every node that has it', function () {
    const groups = needsByNode(
      [
        { label: 'add tracks', requirement: [['playlist-modify-public', 'playlist-modify-private']] },
        { label: 'replace tracks', requirement: [['playlist-modify-private', 'playlist-modify-public']] },
      ],
      [],
      [],
    );
    assert.equal(shortfallText(shortfalls(groups)), 'change public playlists or private playlists (add tracks, replace tracks)');
  });

  it('a scope unticked after the authorization is a removal, not an addition', function () {
    const granted = ['user-read-private', 'playlist-read-private', 'ugc-image-upload'];
    assert.deepEqual(scopeChanges(granted, ['user-read-private', 'playlist-read-private']), { added: [], removed: ['ugc-image-upload'] });
    assert.deepEqual(scopeChanges(granted, [...granted, 'user-top-read']), { added: ['user-top-read'], removed: [] });
    assert.deepEqual(scopeChanges(granted, [...granted]), { added: [], removed: [] });
  });
});
