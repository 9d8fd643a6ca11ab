// The button on a reading node, in a real Node-RED with adminAuth on: the editor's POST runs the deployed node
// once with an empty message; only node types that only read have the button and are run; a read-only editor
// user, another site, or a node that is not deployed gets a refusal that says why.
import assert from 'node:assert/strict';
import { RedSession, SESSION_ACCOUNT, editorTokens, twoEditorUsers } from '../support/red-session';
import { CRASH_PATTERNS } from '../support/process-watch';

describe('run once (the button on a reading node)', function () {
  this.timeout(120_000);
  let s: RedSession;
  let admin: string;
  let reader: string;

  before(async function () {
    s = await RedSession.start({
      flows: () => [
        { id: 'lists', type: 'spotify-get-playlists', account: SESSION_ACCOUNT, limit: '2', limitType: 'num', wires: [['d-out']] },
        {
          id: 'add',
          type: 'spotify-add-tracks',
          account: SESSION_ACCOUNT,
          playlist: '',
          tracks: 'payload',
          tracksType: 'msg',
          wires: [['d-out']],
        },
        { id: 'd-out', type: 'debug', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', wires: [] },
      ],
      settings: twoEditorUsers(),
    });
    ({ admin, reader } = await editorTokens(s.url));
    await s.authorize(admin);
    await s.listen(admin);
  });
  after(async function () {
    const log = s?.red.log ?? '';
    await s?.stop();
    assert.doesNotMatch(log, CRASH_PATTERNS, 'Node-RED logged no crash');
  });

  it('runs the deployed node once with an empty message: its output reaches the Debug sidebar', async function () {
    const res = await s.call('POST', '/tunewire/run/lists', {}, admin);
    assert.equal(res.status, 200, res.text);
    const [out] = await s.waitForDebug('d-out', 1);
    assert.match(out.msg, /^\[/, `an array of playlists: ${out.msg.slice(0, 80)}`);
    assert.equal((JSON.parse(out.msg) as unknown[]).length, 2);
  });

  it('refuses a node that changes something, one not deployed, a read-only user and another site', async function () {
    const write = await s.call('POST', '/tunewire/run/add', {}, admin);
    assert.equal(write.status, 404);
    assert.match((write.json as { error: string }).error, /Only nodes that read/);
    const missing = await s.call('POST', '/tunewire/run/no-such-node', {}, admin);
    assert.equal(missing.status, 404);
    assert.match((missing.json as { error: string }).error, /not deployed: click Deploy/);
    const asReader = await s.call('POST', '/tunewire/run/lists', {}, reader);
    assert.equal(asReader.status, 401);
    const anonymous = await s.call('POST', '/tunewire/run/lists', {});
    assert.equal(anonymous.status, 401);
    const cross = await fetch(`${s.url}/tunewire/run/lists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', authorization: `Bearer ${admin}` },
      body: '{}',
    });
    assert.equal(cross.status, 403);
    const form = await fetch(`${s.url}/tunewire/run/lists`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${admin}` },
      body: '{}',
    });
    assert.equal(form.status, 415);
    assert.equal(s.debug('d-out').length, 1, 'none of them ran anything');
  });
});
