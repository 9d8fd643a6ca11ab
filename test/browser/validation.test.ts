// Fields that are wrong show red before Deploy: the node gets the red triangle (RED.nodes.node(id).valid is
// false, with the dialog label in its validation errors) and the field in its dialog gets the error class. The
// limits come from the runtime (RED.settings.<type>Fields), so the editor flags what the runtime would reject.
// The reason ("At most: expected …") shows under the field; an empty "from list" pick or "by name" is invalid.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { closeTray, editorForSuite, openAccountDialog, type EditorNode, type EditorRED } from './harness';

const ACCOUNT = 'acc1';
const EMPTY_ACCOUNT = 'acc-empty';

function playlistNode(id: string, type: string, playlist: string, playlistType: string): Record<string, unknown> {
  return { id, type, z: 'tab1', x: 200, account: ACCOUNT, playlist, playlistType, playlistName: '', wires: [[]] };
}

describe('browser: field validation before Deploy', function () {
  this.timeout(30_000);
  const editor = editorForSuite(
    {
      flows: [
        { id: 'tab1', type: 'tab', label: 'Validation' },
        { id: ACCOUNT, type: 'spotify-account', name: 'Simulator', clientId: 'browser-client-id', scopes: 'user-read-private' },
        { id: EMPTY_ACCOUNT, type: 'spotify-account', name: 'No client', clientId: '', scopes: 'user-read-private' },
        // At most = -5: below the runtime's minimum of 1.
        {
          id: 'bad-limit',
          type: 'spotify-get-playlists',
          z: 'tab1',
          x: 200,
          y: 80,
          account: ACCOUNT,
          limit: '-5',
          limitType: 'num',
          wires: [],
        },
        {
          id: 'good-limit',
          type: 'spotify-get-playlists',
          z: 'tab1',
          x: 200,
          y: 140,
          account: ACCOUNT,
          limit: '10',
          limitType: 'num',
          wires: [],
        },
        // Album groups (under More options) naming a group Spotify does not have.
        {
          id: 'bad-groups',
          type: 'spotify-item-contents',
          z: 'tab1',
          x: 400,
          y: 80,
          account: ACCOUNT,
          containerType: 'artist',
          groups: 'singles',
          groupsType: 'str',
          wires: [],
        },
        // At most from a message property: checked when the message arrives, not here.
        {
          id: 'msg-limit',
          type: 'spotify-get-playlists',
          z: 'tab1',
          x: 200,
          y: 200,
          account: ACCOUNT,
          limit: 'max',
          limitType: 'msg',
          wires: [],
        },
        // Poll every below the minimum this Node-RED's settings allow (the harness sets minPollSeconds: 1).
        {
          id: 'fast-poll',
          type: 'spotify-now-playing',
          z: 'tab1',
          x: 450,
          y: 80,
          account: ACCOUNT,
          interval: '0.5',
          firstRun: 'remember',
          wires: [[]],
        },
        {
          id: 'ok-poll',
          type: 'spotify-now-playing',
          z: 'tab1',
          x: 450,
          y: 140,
          account: ACCOUNT,
          interval: '15',
          firstRun: 'remember',
          wires: [[]],
        },
        // "from list" with nothing picked, and "by name" with no name.
        { ...playlistNode('empty-pick', 'spotify-add-tracks', '', 'spotify-id'), y: 260 },
        { ...playlistNode('empty-name', 'spotify-get-playlist', '', 'spotify-name'), y: 320 },
        { ...playlistNode('picked-ok', 'spotify-add-tracks', '37i9dQZF1DXcBWIGoYBM5M', 'spotify-id'), y: 380 },
        { ...playlistNode('named-ok', 'spotify-get-playlist', 'Saved this week', 'spotify-name'), y: 440 },
        // An empty device pick is the active device: fine.
        {
          id: 'device-active',
          type: 'spotify-player-control',
          z: 'tab1',
          x: 450,
          y: 200,
          account: ACCOUNT,
          command: 'pause',
          device: '',
          deviceType: 'spotify-id',
          wires: [[]],
        },
      ],
    },
    90_000,
  );
  let page: Page;

  before(() => (page = editor.page));

  const nodeState = (id: string) =>
    page.evaluate((nodeId) => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      const n = RED.nodes.node(nodeId) as EditorNode;
      RED.editor.validateNode(n);
      return { valid: n.valid, errors: n.validationErrors ?? [] };
    }, id);

  /** The reason shown under a dialog field. */
  const fieldMessage = (field: string, text: string | RegExp) =>
    page.locator('.form-row:has(#node-input-' + field + ') .tunewire-field-error', { hasText: text });

  it('the runtime exports each node type its field table (RED.settings.<type>Fields)', async function () {
    const limit = await page.evaluate(
      () => (window as unknown as { RED: { settings: Record<string, unknown> } }).RED.settings.spotifyGetPlaylistsFields,
    );
    assert.deepEqual((limit as { limit: { int: unknown; labelText: string } }).limit.int, { min: 1, max: 100000 });
    assert.equal((limit as { limit: { labelText: string } }).limit.labelText, 'At most');
  });

  it('get playlists with At most = -5 is invalid (red triangle) and its field is red; 10 and msg.max are fine', async function () {
    const bad = await nodeState('bad-limit');
    assert.equal(bad.valid, false);
    assert.ok(
      bad.errors.some((e) => /At most/.test(e)),
      `the errors name the dialog label: ${JSON.stringify(bad.errors)}`,
    );
    await page.locator('[id="bad-limit"] .red-ui-flow-node-error').first().waitFor({ state: 'visible' });
    assert.equal((await nodeState('good-limit')).valid, true);
    assert.equal((await nodeState('msg-limit')).valid, true);

    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      RED.editor.edit(RED.nodes.node('bad-limit') as EditorNode);
    });
    await page.locator('#node-input-limit.input-error').waitFor({ state: 'attached' });
    await page.locator('.red-ui-typedInput-container.input-error').first().waitFor({ state: 'visible' });
    // The reason shows under the field, in the runtime's words.
    await fieldMessage('limit', 'At most: expected a whole number from 1 to 100000').waitFor({ state: 'visible' });
    // Fixing the value clears the error in the open dialog.
    await page.evaluate(() => {
      const $ = (window as unknown as { $: (s: string) => { typedInput(m: string, v: string): void } }).$;
      $('#node-input-limit').typedInput('value', '25');
    });
    await page.waitForFunction(() => !document.querySelector('#node-input-limit')?.classList.contains('input-error'));
    assert.equal(await page.locator('.tunewire-field-error').count(), 0, 'the reason goes with the error');
    await closeTray(page, 'cancel');
  });

  it('a trigger with Poll every below the minimum is invalid and its field is red', async function () {
    const fast = await nodeState('fast-poll');
    assert.equal(fast.valid, false);
    assert.ok(
      fast.errors.some((e) => /Poll every/.test(e)),
      JSON.stringify(fast.errors),
    );
    assert.equal((await nodeState('ok-poll')).valid, true);
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      RED.editor.edit(RED.nodes.node('fast-poll') as EditorNode);
    });
    await page.locator('#node-input-interval.input-error').waitFor({ state: 'visible' });
    await fieldMessage('interval', /^Poll every: expected a number of seconds from 1 to 86400$/).waitFor({ state: 'visible' });
    await closeTray(page, 'cancel');
  });

  it('More options stays folded while its fields are empty, opens on a click, and opens by itself around a wrong value', async function () {
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      RED.editor.edit(RED.nodes.node('good-limit') as EditorNode);
    });
    await page.locator('#tunewire-more-toggle').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#node-input-offset').locator('xpath=..').isVisible(), false, 'Offset folded away');
    assert.equal(await page.locator('#tunewire-more-toggle').getAttribute('aria-expanded'), 'false');
    await page.locator('#tunewire-more-toggle').click();
    await page.locator('#tunewire-more .red-ui-typedInput-container').first().waitFor({ state: 'visible' });
    assert.equal(await page.locator('#tunewire-more-toggle').getAttribute('aria-expanded'), 'true');
    await closeTray(page, 'cancel');

    const bad = await nodeState('bad-groups');
    assert.equal(bad.valid, false);
    assert.ok(
      bad.errors.some((e) => /Album groups/.test(e)),
      JSON.stringify(bad.errors),
    );
    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      RED.editor.edit(RED.nodes.node('bad-groups') as EditorNode);
    });
    await fieldMessage('groups', /^Album groups: expected one or more of album, single, appears_on, compilation/).waitFor({
      state: 'visible',
    });
    await closeTray(page, 'cancel');
  });

  it('an empty "from list" pick is invalid and says so under the field; a pick, a name and an empty device are fine', async function () {
    const empty = await nodeState('empty-pick');
    assert.equal(empty.valid, false);
    assert.ok(
      empty.errors.some((e) => /^Playlist: expected a playlist picked from the list/.test(e)),
      JSON.stringify(empty.errors),
    );
    const unnamed = await nodeState('empty-name');
    assert.equal(unnamed.valid, false);
    assert.ok(
      unnamed.errors.some((e) => /^Playlist: expected a playlist name/.test(e)),
      JSON.stringify(unnamed.errors),
    );
    for (const id of ['picked-ok', 'named-ok', 'device-active']) assert.equal((await nodeState(id)).valid, true, id);

    await page.evaluate(() => {
      const RED = (window as unknown as { RED: EditorRED }).RED;
      RED.editor.edit(RED.nodes.node('empty-pick') as EditorNode);
    });
    await fieldMessage('playlist', /^Playlist: expected a playlist picked from the list/).waitFor({ state: 'visible' });
    await page.locator('#node-input-playlist + .red-ui-typedInput-container.input-error').waitFor({ state: 'visible' });
    await closeTray(page, 'cancel');
  });

  it('an account with an empty Client ID is invalid and its Client ID field is red', async function () {
    assert.equal((await nodeState(EMPTY_ACCOUNT)).valid, false);
    assert.equal((await nodeState(ACCOUNT)).valid, true);
    await openAccountDialog(page, EMPTY_ACCOUNT);
    await page.locator('#node-config-input-clientId.input-error').waitFor({ state: 'visible' });
    await closeTray(page, 'cancel', true);
  });
});
