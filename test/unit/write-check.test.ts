// The write check on its own (no Node-RED): a write whose answer was lost is settled by reading the playlist's
// snapshot before anything is sent again, and writes of one playlist never overlap. test/process/faults.test.ts
// drives the same through running nodes.
import assert from 'node:assert/strict';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import { checkedWrite, withPlaylistLock } from '../../nodes/spotify/write-check';
import { failOnProcessProblems } from '../support/process-watch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the write check', function () {
  failOnProcessProblems();

  const lost = (status?: number) =>
    new SpotifyApiError({ message: 'answer lost', method: 'POST', path: '/playlists/p/items', status, maybeApplied: true });

  function script(outcomes: (Error | { snapshot_id: string })[], snapshots: (string | Error)[]) {
    const calls = { send: 0, read: 0 };
    return {
      calls,
      ops: {
        send: () => {
          const next = outcomes[calls.send++];
          return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
        },
        readSnapshot: () => {
          const next = snapshots[calls.read++];
          return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
        },
      },
    };
  }

  it('an answered write is not checked', async function () {
    const s = script([{ snapshot_id: 'B' }], []);
    const r = await checkedWrite('A', s.ops);
    assert.deepEqual([r.fate, r.snapshotId, s.calls.send, s.calls.read], ['answered', 'B', 1, 0]);
  });

  it('lost and the snapshot unchanged: not applied, sent again once', async function () {
    const s = script([lost(), { snapshot_id: 'B' }], ['A']);
    const r = await checkedWrite('A', s.ops);
    assert.deepEqual([r.fate, r.snapshotId, s.calls.send, s.calls.read], ['resent', 'B', 2, 1]);
  });

  it('lost and the snapshot changed: applied, not sent again', async function () {
    const s = script([lost(503)], ['C']);
    const r = await checkedWrite('A', s.ops);
    assert.deepEqual([r.fate, r.snapshotId, s.calls.send, s.calls.read], ['applied', 'C', 1, 1]);
  });

  it('lost twice with the snapshot unchanged: certainly not applied', async function () {
    const s = script([lost(), lost()], ['A', 'A']);
    const err = await checkedWrite('A', s.ops).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SpotifyApiError);
    assert.equal(err.maybeApplied, false);
    assert.match(err.message, /lost twice.*did not change: it was not applied/);
    assert.equal(s.calls.send, 2);
  });

  it('when the snapshot cannot be read (or was never known) the write stays uncertain and is not repeated', async function () {
    const s = script([lost()], [new Error('network down')]);
    const err = await checkedWrite('A', s.ops).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof SpotifyApiError && err.maybeApplied);
    assert.equal(s.calls.send, 1);
    const t = script([lost()], []);
    await assert.rejects(checkedWrite(undefined, t.ops), /answer lost/);
    assert.deepEqual([t.calls.send, t.calls.read], [1, 0]);
  });

  it('a refused write (an answer: not applied) is passed on without a check', async function () {
    const s = script([new SpotifyApiError({ message: 'Forbidden', method: 'POST', path: '/x', status: 403 })], []);
    await assert.rejects(checkedWrite('A', s.ops), /Forbidden/);
    assert.equal(s.calls.read, 0);
  });

  it('writes of one playlist run one after another, of different playlists side by side', async function () {
    const log: string[] = [];
    const job = (key: string, name: string, ms: number, fail = false) =>
      withPlaylistLock(key, async () => {
        log.push(`${name}+`);
        await sleep(ms);
        log.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      });
    const all = Promise.allSettled([job('p', 'a', 30, true), job('p', 'b', 5), job('q', 'c', 5)]);
    const results = await all;
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled'],
    );
    assert.ok(log.indexOf('a-') < log.indexOf('b+'), `b waited for a, even though a failed: ${log.join(' ')}`);
    assert.ok(log.indexOf('c+') < log.indexOf('a-'), 'c did not wait for another playlist');
  });
});
