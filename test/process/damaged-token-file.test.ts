// A damaged token file, in a real Node-RED process: nodes say so in a short, whole status and a msg.error that
// names the file (not the user directory) and the remedy; the admin routes answer with that reason, never 500;
// and Authorize Access repairs it: the damaged file is kept aside, a new one holds the account, the dialog and
// the log say what happened, and the nodes work again with no Deploy.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RedSession, SESSION_ACCOUNT } from '../support/red-session';
import { CRASH_PATTERNS } from '../support/process-watch';

const DAMAGED = '{"version": 1, "accounts": {"acc": {"iv": "tr';
const REMEDY =
  /^The file tunewire-tokens\.json is damaged \(not valid JSON\): open the Spotify account node and click Authorize Access to repair it$/;

describe('a damaged token file, in a real Node-RED process', function () {
  this.timeout(120_000);
  let s: RedSession;

  before(async function () {
    s = await RedSession.start({
      flows: () => [
        {
          id: 'i-get',
          type: 'inject',
          props: [{ p: 'payload' }],
          payload: '',
          payloadType: 'date',
          repeat: '',
          once: false,
          wires: [['get']],
        },
        { id: 'get', type: 'spotify-get-playlists', account: SESSION_ACCOUNT, limit: '2', limitType: 'num', wires: [['d-out']] },
        { id: 'd-out', type: 'debug', active: true, tosidebar: true, console: false, complete: 'true', targetType: 'full', wires: [] },
        { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['d-err']] },
        { id: 'd-err', type: 'debug', active: true, tosidebar: true, console: false, complete: 'error', targetType: 'msg', wires: [] },
      ],
    });
  });
  after(async function () {
    const log = s?.red.log ?? '';
    await s?.stop();
    assert.doesNotMatch(log, CRASH_PATTERNS, 'Node-RED logged no crash');
  });

  const statuses = (id: string): { fill?: string; text?: string }[] =>
    s.comms.filter((e) => e.topic === `status/${id}`).map((e) => e.data as { fill?: string; text?: string });

  it('says so plainly, answers the routes with the reason, and Authorize Access repairs it', async function () {
    assert.equal((await s.authorize()).callbackStatus, 200);
    const file = path.join(s.userDir, 'tunewire-tokens.json');
    await s.red.stop('SIGTERM');
    fs.writeFileSync(file, DAMAGED); // a torn copy, a bad edit, a disk fault
    await s.red.start();
    await s.listen();

    // The node's status: short and whole, no path.
    const shown = await waitFor(() => statuses('get').find((st) => st.fill === 'red'));
    assert.equal(shown.text, 'token file unreadable');

    // A message: msg.error names the file and what to do, not where the user directory is.
    await s.inject('i-get');
    const [err] = await s.waitForDebug('d-err', 1);
    const error = JSON.parse(err.msg) as { message: string };
    assert.match(error.message.replace(/^StoreFileError: /, ''), REMEDY); // Node-RED puts the error's name first
    assert.ok(!err.msg.includes(s.userDir), 'no user directory path in msg.error');
    assert.equal(statuses('get').at(-1)?.text, 'token file unreadable');

    // The routes: the reason, never a 500.
    const status = await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT });
    assert.equal(status.status, 200);
    assert.equal((status.json as { state: string }).state, 'store_unreadable');
    assert.match((status.json as { error: string }).error, REMEDY);
    const clear = await s.call('POST', '/tunewire/clear', { accountId: SESSION_ACCOUNT });
    assert.equal(clear.status, 409);
    assert.match((clear.json as { error: string }).error, REMEDY);
    assert.equal(fs.readFileSync(file, 'utf8'), DAMAGED, 'nothing was overwritten by a read or a refused clear');

    // Authorize Access: the consent is kept, the file repaired, the dialog and the log told.
    const done = await s.authorize();
    assert.equal(done.callbackStatus, 200);
    const event = await waitFor(
      () =>
        s.comms.find((e) => e.topic === `tunewire/auth/${SESSION_ACCOUNT}`)?.data as {
          ok: boolean;
          state: string;
          damagedFileKeptAs?: string;
        },
    );
    assert.equal(event.ok, true);
    assert.equal(event.state, 'authorized');
    const kept = String(event.damagedFileKeptAs);
    assert.match(kept, /^tunewire-tokens\.json\.damaged-\d{4}-/);
    assert.equal(fs.readFileSync(path.join(s.userDir, kept), 'utf8'), DAMAGED, 'the damaged file is kept as it was');
    assert.ok(s.red.log.includes(`The token file could not be read: it was kept as ${kept}`), 'the log says so');
    assert.equal(
      ((await s.call('POST', '/tunewire/status', { accountId: SESSION_ACCOUNT })).json as { state: string }).state,
      'authorized',
    );

    // The node works again, with no Deploy.
    await s.inject('i-get');
    await s.waitForDebug('d-out', 1);
    await waitFor(() => (statuses('get').at(-1)?.fill === 'green' ? true : undefined));
    for (const st of statuses('get')) assert.ok(!String(st.text ?? '').includes('/'), `status "${st.text}" has no path`);
  });
});

async function waitFor<T>(get: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
