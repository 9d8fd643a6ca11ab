// Paging and batching rules, on their own: the fewest requests Spotify's limits allow, order kept, bounded
// concurrency, and a precise account of what a failed batch applied.
import assert from 'node:assert/strict';
import { BatchError, runBatches, runBatchesAhead } from '../../nodes/spotify/batching';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import { collect, cursorPages, itemsOf, offsetPages, type OffsetPage } from '../../nodes/spotify/paging';

function fakeList(total: number, opts: { delayMs?: number; nullAt?: number[] } = {}) {
  const calls: { offset: number; limit: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (offset: number, limit: number): Promise<OffsetPage<number>> => {
    calls.push({ offset, limit });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Later pages answer faster, so out-of-order completion is exercised.
    await new Promise((r) => setTimeout(r, opts.delayMs === undefined ? 0 : Math.max(1, opts.delayMs - offset / 50)));
    inFlight--;
    const items: (number | null)[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) items.push(opts.nullAt?.includes(i) ? null : i);
    return { items, total, limit, offset, next: offset + limit < total ? 'next' : null };
  };
  return { fetchPage, calls, maxInFlight: () => maxInFlight };
}

describe('offset paging', function () {
  it('reads 5,000 items in ceil(5000/50) = 100 requests, in order', async function () {
    const list = fakeList(5000, { delayMs: 5 });
    const items = await collect(itemsOf(offsetPages(list.fetchPage, { pageLimit: 50, concurrency: 4 })));
    assert.equal(list.calls.length, 100);
    assert.deepEqual(
      items,
      Array.from({ length: 5000 }, (_, i) => i),
    );
    assert.equal(list.maxInFlight(), 4, 'at most the configured concurrency');
  });

  it('stops at maxItems with the fewest requests, asking only for what is needed', async function () {
    const list = fakeList(5000);
    const items = await collect(itemsOf(offsetPages(list.fetchPage, { pageLimit: 50, maxItems: 120 }), 120));
    assert.equal(items.length, 120);
    assert.deepEqual(list.calls, [
      { offset: 0, limit: 50 },
      { offset: 50, limit: 50 },
      { offset: 100, limit: 20 },
    ]);
  });

  it('a list shorter than a page takes one request; an empty list too', async function () {
    const short = fakeList(7);
    assert.equal((await collect(itemsOf(offsetPages(short.fetchPage, { pageLimit: 50 })))).length, 7);
    assert.equal(short.calls.length, 1);
    const empty = fakeList(0);
    assert.equal((await collect(itemsOf(offsetPages(empty.fetchPage, { pageLimit: 50 })))).length, 0);
    assert.equal(empty.calls.length, 1);
  });

  it('respects a maximum offset (search: 1000) with limit 10', async function () {
    const list = fakeList(100_000);
    const items = await collect(itemsOf(offsetPages(list.fetchPage, { pageLimit: 10, maxOffset: 1000 })));
    assert.equal(list.calls[list.calls.length - 1].offset, 1000);
    assert.equal(list.calls.length, 101);
    assert.equal(items.length, 1010);
  });

  it('skips null entries but keeps counting them toward maxItems', async function () {
    const list = fakeList(10, { nullAt: [2, 5] });
    const items = await collect(itemsOf(offsetPages(list.fetchPage, { pageLimit: 50 })));
    assert.deepEqual(items, [0, 1, 3, 4, 6, 7, 8, 9]);
  });

  it('a failing page rejects the listing (no silent gap)', async function () {
    const list = fakeList(500);
    const failing = async (offset: number, limit: number) => {
      if (offset === 250) throw new Error('page 6 failed');
      return list.fetchPage(offset, limit);
    };
    await assert.rejects(collect(itemsOf(offsetPages(failing, { pageLimit: 50 }))), /page 6 failed/);
  });
});

describe('cursor paging', function () {
  it('follows next links until maxItems', async function () {
    const seen: (string | undefined)[] = [];
    const pages = cursorPages<number>(
      (next) => {
        seen.push(next);
        const start = next ? Number(next) : 0;
        return Promise.resolve({ items: [start, start + 1], next: String(start + 2) });
      },
      { maxItems: 5 },
    );
    const items = await collect(itemsOf(pages, 5));
    assert.deepEqual(items, [0, 1, 2, 3, 4]);
    assert.deepEqual(seen, [undefined, '2', '4']);
  });
});

describe('batching', function () {
  it('sends 250 items as 100 + 100 + 50, in order', async function () {
    const batches: number[][] = [];
    const items = Array.from({ length: 250 }, (_, i) => i);
    await runBatches(items, 100, (b, start) => {
      assert.equal(b[0], start);
      batches.push(b);
      return Promise.resolve();
    });
    assert.deepEqual(
      batches.map((b) => b.length),
      [100, 100, 50],
    );
    assert.deepEqual(batches.flat(), items);
  });

  it('a failed batch reports what was applied and what was not, and stops there', async function () {
    const items = Array.from({ length: 250 }, (_, i) => `t${i}`);
    let calls = 0;
    const err = await runBatches(
      items,
      100,
      (_b, start) => {
        calls++;
        if (start === 100)
          return Promise.reject(
            new SpotifyApiError({ message: 'Spotify rejected the request: invalid id', method: 'POST', path: '/x', status: 400 }),
          );
        return Promise.resolve();
      },
      'tracks',
    ).then(
      () => assert.fail('should fail'),
      (e: unknown) => e as BatchError<string>,
    );
    assert.ok(err instanceof BatchError);
    assert.equal(calls, 2, 'no batch after the failed one');
    assert.deepEqual(err.applied, items.slice(0, 100));
    assert.deepEqual(err.notApplied, items.slice(100));
    assert.deepEqual(err.uncertain, []);
    assert.match(err.message, /100 of 250 tracks applied, 150 not applied/);
  });

  it('a batch whose answer was lost is reported as uncertain, not as failed', async function () {
    const items = Array.from({ length: 150 }, (_, i) => i);
    const err = await runBatches(items, 100, (_b, start) => {
      if (start === 100) return Promise.reject(new SpotifyApiError({ message: 'reset', method: 'POST', path: '/x', maybeApplied: true }));
      return Promise.resolve();
    }).then(
      () => assert.fail('should fail'),
      (e: unknown) => e as BatchError<number>,
    );
    assert.equal(err.applied.length, 100);
    assert.equal(err.uncertain.length, 50);
    assert.equal(err.notApplied.length, 0);
    assert.match(err.message, /may or may not have been applied/);
  });

  it('ahead: several batches in flight, results in batch order', async function () {
    const items = Array.from({ length: 250 }, (_, i) => i);
    let inFlight = 0;
    let most = 0;
    const results = await runBatchesAhead(items, 100, 3, async (batch, start) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 300 - start)); // later batches answer first
      inFlight--;
      return batch.length;
    });
    assert.deepEqual(results, [100, 100, 50]);
    assert.equal(most, 3);
  });

  it('ahead: after a failure no new batch starts, and every item is accounted for', async function () {
    const items = Array.from({ length: 500 }, (_, i) => i);
    const started: number[] = [];
    const err = await runBatchesAhead(items, 100, 2, async (_b, start) => {
      started.push(start);
      await new Promise((r) => setTimeout(r, 5));
      if (start === 100) throw new SpotifyApiError({ message: 'lost', method: 'POST', path: '/x', maybeApplied: true });
    }).then(
      () => assert.fail('should fail'),
      (e: unknown) => e as BatchError<number>,
    );
    assert.deepEqual(started, [0, 100, 200], 'the batch in flight beside the failure ends; none starts after it');
    assert.deepEqual(err.applied, [...items.slice(0, 100), ...items.slice(200, 300)]);
    assert.deepEqual(err.uncertain, items.slice(100, 200));
    assert.deepEqual(err.notApplied, items.slice(300));
  });
});
