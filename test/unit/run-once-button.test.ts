// Which nodes have the run-once button (no Node-RED): exactly the node types that only read.
// test/process/run-once.test.ts presses it in a real Node-RED.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readOnlyNodeTypes } from '../../nodes/spotify/node-scopes';
import { OPERATIONS } from '../../nodes/spotify/operations';
import { PACKAGE_ROOT } from '../support/node-red-process';

describe('run once (the button on a reading node)', function () {
  it('the editor offers the button exactly on the node types that only read', function () {
    const readOnly = readOnlyNodeTypes();
    assert.ok(readOnly.includes('spotify-get-playlists') && readOnly.includes('spotify-now-playing'), readOnly.join(' '));
    for (const type of ['spotify-add-tracks', 'spotify-play', 'spotify-create-playlist', 'spotify-playlist-cover', 'spotify-request'])
      assert.ok(!readOnly.includes(type), `${type} changes something (or may): no button`);
    assert.ok(
      Object.values(OPERATIONS).some((op) => op.method !== 'GET'),
      'the operation table has writes to keep out',
    );
    const dir = path.join(PACKAGE_ROOT, 'nodes');
    const withButton = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.html'))
      .filter((f) => /^\s*button:\s*\{/m.test(fs.readFileSync(path.join(dir, f), 'utf8')))
      .map((f) => `spotify-${path.basename(f, '.html')}`)
      .sort();
    assert.deepEqual(withButton, [...readOnly].sort());
  });
});
