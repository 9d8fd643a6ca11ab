// The pickers' rules that need no browser (nodes/node-red/picker-rules.ts): which mode a field opens in, what a
// pasted link means, and what an empty or wrong pick is.
import assert from 'node:assert/strict';
import { idOf, isReference, normalise, opensInPicker, pickProblem, type PickerKind } from '../../nodes/node-red/picker-rules';
import { phraseText } from '../../nodes/spotify/words';

const ID = '37i9dQZF1DXcBWIGoYBM5M';

/** The problem in words (English: no other language is installed here), '' when there is none. */
function problem(kind: PickerKind, type: string, value: unknown): string {
  const found = pickProblem(kind, type, value);
  return found ? phraseText(found) : '';
}

describe('picker rules', function () {
  it('reads a pasted link, URI or ID as the ID (or the URI where the field keeps URIs)', function () {
    assert.equal(normalise(`https://open.spotify.com/intl-de/playlist/${ID}?si=abc`), ID);
    assert.equal(normalise(` spotify:album:${ID} `, true), `spotify:album:${ID}`);
    assert.equal(normalise(`open.spotify.com/track/${ID}`, true), `spotify:track:${ID}`);
    assert.equal(normalise('Road Trip'), 'Road Trip');
    assert.ok(isReference(ID) && isReference(`spotify:playlist:${ID}`));
    assert.ok(!isReference('Road Trip'));
    assert.equal(idOf(`spotify:playlist:${ID}`), ID);
    assert.equal(idOf(ID), ID);
  });

  describe('opens in "from list"', function () {
    const untouched = { value: 'playlist', type: 'msg', defaultValue: 'playlist', defaultType: 'msg' };
    it('when the field has its default and no wire comes in', function () {
      assert.equal(opensInPicker(untouched, []), true);
      assert.equal(opensInPicker({ ...untouched, type: undefined }, []), true, 'a flow that lacks the type has the default');
    });
    it('when only an inject sending a timestamp starts the node', function () {
      assert.equal(opensInPicker(untouched, [{ type: 'inject', payloadType: 'date' }]), true);
    });
    it('not when a wire may bring the value, or the user chose a type', function () {
      assert.equal(opensInPicker(untouched, [{ type: 'spotify-get-playlists' }]), false);
      assert.equal(opensInPicker(untouched, [{ type: 'inject', payloadType: 'str' }]), false);
      assert.equal(opensInPicker({ ...untouched, value: 'target' }, []), false);
      assert.equal(opensInPicker({ ...untouched, type: 'spotify-id', value: ID }, []), false);
      assert.equal(opensInPicker({ ...untouched, type: 'spotify-name', value: 'Road Trip' }, []), false);
    });
  });

  it('an empty pick is wrong, except a device (the active one); a name must be one line', function () {
    assert.match(problem('playlist', 'spotify-id', ''), /a playlist picked from the list/);
    assert.match(problem('item', 'spotify-id', '  '), /an item picked from the list/);
    assert.equal(pickProblem('device', 'spotify-id', ''), undefined);
    assert.equal(pickProblem('playlist', 'spotify-id', ID), undefined);
    assert.match(problem('playlist', 'spotify-name', ''), /a playlist name/);
    assert.match(problem('playlist', 'spotify-name', 'a\nb'), /one line/);
    assert.equal(pickProblem('playlist', 'spotify-name', 'Saved this week'), undefined);
    assert.equal(pickProblem('playlist', 'msg', ''), undefined, 'other types are checked elsewhere');
  });
});
