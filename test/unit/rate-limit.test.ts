// The shared cooldown, on a fake clock: waits within the cap, fails fast beyond it, tells quota apart.
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { Cooldown, DEFAULT_MAX_COOLDOWN_MS, RateLimitedError } from '../../nodes/spotify/rate-limit';
import { parseRetryAfter } from '../../nodes/spotify/http-client';
import { isRemovedEndpoint } from '../../nodes/spotify/removed-endpoints';
import { explainError } from '../../nodes/spotify/explain';
import { missingScopes } from '../../nodes/spotify/scopes';

describe('cooldown', function () {
  it('is idle until tripped, then waits out Retry-After', async function () {
    // Sinon's clock: the wait is measured on the clock the cooldown reads, not raced against a busy machine.
    const clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const c = new Cooldown();
      let idleDone = false;
      void c.wait(1000).then(() => (idleDone = true));
      await clock.tickAsync(0);
      assert.ok(idleDone, 'no wait while idle');
      c.trip(0.2, false);
      let done = false;
      void c.wait(1000).then(() => (done = true));
      await clock.tickAsync(199);
      assert.equal(done, false, 'still waiting 1 ms before Retry-After ends');
      await clock.tickAsync(1);
      assert.equal(done, true, 'resumes when Retry-After ends');
    } finally {
      clock.restore();
    }
  });

  it('fails fast with the retry time when the wait exceeds the cap', async function () {
    let now = 1_000_000;
    const c = new Cooldown(() => now);
    c.trip(3600, false);
    const err = await c.wait(60_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof RateLimitedError);
    assert.equal(err.retryAt, 1_000_000 + 3_600_000);
    assert.match(err.message, /in 3600 s/);
    now += 3_600_001;
    await c.wait(60_000);
  });

  it('never shortens a running cooldown, and reports quota exhaustion as such', async function () {
    const now = 0;
    const c = new Cooldown(() => now);
    c.trip(100, true);
    c.trip(5, false);
    assert.equal(c.remainingMs(), 100_000);
    const err = (await c.wait(1_000_000).catch((e: unknown) => e)) as RateLimitedError;
    assert.equal(err.quotaExceeded, true);
    assert.match(err.message, /^Spotify quota exceeded for this app: no requests until /, 'in words, not the reason code');
  });

  it('caps any end at maxMs from now, whatever asked for it, and names the cap in the error', async function () {
    const now = 1_000_000;
    const c = new Cooldown(() => now);
    c.maxMs = 3_600_000;
    c.trip(99_999_999, false);
    assert.equal(c.resumesAt(), now + 3_600_000);
    const err = (await c.wait(60_000).catch((e: unknown) => e)) as RateLimitedError;
    assert.match(
      err.message,
      /in 3600 s\), longer than this pack waits\. Spotify asked for 99999999 s, more than the longest cooldown the pack keeps \(3600 s, setting spotifyAccount\.maxCooldownSeconds\)/,
    );
    const other = new Cooldown(() => now);
    other.extendTo(Date.parse('2099-01-01T00:00:00Z'), true);
    assert.equal(other.remainingMs(), DEFAULT_MAX_COOLDOWN_MS, 'an end from elsewhere is capped the same way, by default');
    other.trip(10, false);
    assert.match(other.error().message, /quota exceeded.*Spotify asked for \d+ s, more than the longest cooldown/);
  });

  it('reads Retry-After as seconds or an HTTP date', function () {
    assert.equal(parseRetryAfter('7'), 7);
    assert.equal(parseRetryAfter(undefined), 1);
    const inTen = new Date(Date.now() + 10_000).toUTCString();
    assert.ok(Math.abs(parseRetryAfter(inTen) - 10) <= 1);
  });
});

describe('error explanations', function () {
  it('knows the endpoints removed for development-mode apps', function () {
    assert.equal(isRemovedEndpoint('GET', '/tracks'), true);
    assert.equal(isRemovedEndpoint('GET', '/tracks/4iV5W9uYEdYUVa79Axb7Rh'), false);
    assert.equal(isRemovedEndpoint('POST', '/playlists/abc/tracks'), true);
    assert.equal(isRemovedEndpoint('POST', '/playlists/abc/items'), false);
    assert.equal(isRemovedEndpoint('PUT', '/me/tracks'), true);
    assert.equal(isRemovedEndpoint('GET', '/me/tracks'), false);
    assert.equal(isRemovedEndpoint('GET', '/artists/x/top-tracks'), true);
    assert.equal(isRemovedEndpoint('GET', '/users/bob/playlists'), true);
  });

  it('tells the likely cause of a 403 apart', function () {
    const removed = explainError({
      method: 'GET',
      path: '/recommendations',
      status: 403,
      body: { error: { status: 403, message: 'Forbidden' } },
    });
    assert.match(removed.message, /removed this endpoint for development-mode apps/);
    const scope = explainError({
      method: 'GET',
      path: '/me/top/tracks',
      status: 403,
      body: { error: { status: 403, message: 'Insufficient client scope' } },
      scopes: 'user-top-read',
    });
    assert.match(scope.message, /tick user-top-read/);
    const owner = explainError({
      method: 'POST',
      path: '/playlists/x/items',
      status: 403,
      body: { error: { status: 403, message: 'Forbidden' } },
      forbiddenHint: 'notYourPlaylist',
    });
    assert.match(owner.message, /own or collaborate/);
    const device = explainError({
      method: 'PUT',
      path: '/me/player/play',
      status: 404,
      body: { error: { status: 404, message: 'Player command failed: No active device found', reason: 'NO_ACTIVE_DEVICE' } },
    });
    assert.match(device.message, /open Spotify on a device first/);
    assert.equal(device.reason, 'NO_ACTIVE_DEVICE');
  });

  it('names missing scopes, with either-of requirements', function () {
    assert.deepEqual(missingScopes(['a'], ['a', 'b']), ['b']);
    assert.deepEqual(missingScopes(['x-private'], [['x-public', 'x-private']]), []);
    assert.deepEqual(missingScopes([], [['x-public', 'x-private']]), ['x-public or x-private']);
  });
});
