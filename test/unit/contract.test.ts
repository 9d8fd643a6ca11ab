// The contract check itself: the simulator serves only operations Spotify's OpenAPI description has, the
// validator finds what breaks the description (and only that), and each quirk still fits the spec it patches.
import assert from 'node:assert/strict';
import { findOperation, loadSpec } from '../contract/spec';
import { QUIRKS } from '../contract/quirks';
import { ContractValidator, type Exchange } from '../contract/validator';
import { apiRoutes } from '../simulator/api';

const exchange = (over: Partial<Exchange>): Exchange => ({
  method: 'GET',
  path: '/v1/me/player/devices',
  query: {},
  requestBody: Buffer.alloc(0),
  status: 200,
  responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
  responseBody: JSON.stringify({ devices: [] }),
  injected: false,
  ...over,
});

describe('contract: the simulator against Spotify’s OpenAPI description', function () {
  const validator = new ContractValidator();
  const rules = (x: Exchange) => validator.check(x).map((v) => `${v.side} ${v.rule} ${v.at}`);

  it('serves no route the description lacks', function () {
    const spec = loadSpec();
    const missing = apiRoutes()
      .filter((r) => !findOperation(spec, r.method, r.pattern.replace(/:(\w+)/g, '{$1}')) && !coveredByLiterals(spec, r))
      .map((r) => `${r.method} ${r.pattern}`);
    assert.deepEqual(missing, []);
    assert.ok(apiRoutes().length >= 40, 'the route table was read');
  });

  it('passes a good exchange and names what breaks one: field, parameter, status, operation', function () {
    assert.deepEqual(rules(exchange({})), []);
    const device = {
      id: 'd1',
      is_active: 'yes',
      is_private_session: false,
      is_restricted: false,
      name: 'Phone',
      type: 'Smartphone',
      volume_percent: 50,
    };
    assert.deepEqual(rules(exchange({ responseBody: JSON.stringify({ devices: [device] }) })), [
      'response response-body /devices/0/is_active',
    ]);
    assert.deepEqual(rules(exchange({ query: { market: 'DE' } })), ['request undeclared-query market']);
    assert.deepEqual(rules(exchange({ status: 201 })), ['response undeclared-status 201']);
    assert.deepEqual(rules(exchange({ path: '/v1/me/player/radio' })), ['request no-operation /me/player/radio']);
    assert.deepEqual(rules(exchange({ path: '/v1/me/playlists', query: { limit: '51' }, responseBody: '{}' })).slice(0, 1), [
      'request query limit',
    ]);
    const play = { method: 'PUT', path: '/v1/me/player/play', status: 204, responseBody: undefined };
    assert.deepEqual(rules(exchange({ ...play, requestBody: Buffer.from('{"uris":"spotify:track:x"}') })), ['request request-body /uris']);
    // An injected fault is the test's answer, not the simulator's: only the request is checked.
    assert.deepEqual(rules(exchange({ status: 500, responseBody: 'oops', injected: true })), []);
  });

  it('holds an error status the operation does not declare to Spotify’s error object', function () {
    const notFound = (body: unknown) => rules(exchange({ path: '/v1/tracks/abc', status: 404, responseBody: JSON.stringify(body) }));
    assert.deepEqual(notFound({ error: { status: 404, message: 'Non existing id' } }), []);
    assert.deepEqual(notFound({ message: 'Non existing id' }), ['response response-body ']);
  });

  it('gives each quirk a reason; every patch still finds what it patches in this spec', function () {
    for (const q of QUIRKS) assert.ok(q.reason.length > 40 && (q.patch || q.tolerates), q.id);
    assert.equal(new Set(QUIRKS.map((q) => q.id)).size, QUIRKS.length);
    // The constructor applied every patch (a patch that no longer fits throws, naming the schema).
    assert.equal(validator.spec.version, '2026.5.31');
  });
});

/** A route with a parameter where the description has literal paths (/me/top/:type → /me/top/artists, …). */
function coveredByLiterals(spec: ReturnType<typeof loadSpec>, r: { method: string; pattern: string }): boolean {
  const parts = r.pattern.split('/').filter(Boolean);
  return spec.operations.some(
    (op) =>
      op.method === r.method &&
      op.segments.length === parts.length &&
      parts.every((p, i) => p === op.segments[i] || (p.startsWith(':') && !op.segments[i].startsWith('{'))),
  );
}
