// The cross-site check of the pack's admin routes on its own: a foreign Origin is refused whatever forwarded
// host it names, unless Node-RED trusts the proxy the request came through; the editor's own origin passes.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { crossSiteRefusal } from '../../nodes/node-red/same-origin';
import { grants } from '../../nodes/node-red/picker-routes';

const JSON_POST: IncomingHttpHeaders = { 'content-type': 'application/json', host: '127.0.0.1:1880' };

describe('same-origin check', function () {
  it('lets in the editor itself: its Origin names the Host it reached', function () {
    assert.equal(crossSiteRefusal('POST', { ...JSON_POST, origin: 'http://127.0.0.1:1880' }), undefined);
    assert.equal(crossSiteRefusal('POST', { ...JSON_POST, origin: 'HTTP://127.0.0.1:1880', 'sec-fetch-site': 'same-origin' }), undefined);
    assert.equal(crossSiteRefusal('POST', JSON_POST), undefined, 'no Origin (a script, curl): the body type decides');
  });

  it('refuses a foreign Origin that names its own host in X-Forwarded-Host, when no proxy is trusted', function () {
    for (const forwarded of ['evil.example', 'evil.example, 127.0.0.1:1880', '127.0.0.1:1880, evil.example', ['evil.example']]) {
      const refusal = crossSiteRefusal('POST', { ...JSON_POST, origin: 'https://evil.example', 'x-forwarded-host': forwarded });
      assert.equal(refusal?.status, 403, JSON.stringify(forwarded));
      assert.match(String(refusal?.error), /another site \(https:\/\/evil\.example\)/);
    }
  });

  it('believes X-Forwarded-Host from a trusted proxy: its first host, as Express takes it', function () {
    const proxied = { ...JSON_POST, host: '127.0.0.1:1880', origin: 'https://red.example.org', 'x-forwarded-host': 'red.example.org' };
    assert.equal(crossSiteRefusal('POST', proxied, true), undefined);
    assert.equal(crossSiteRefusal('POST', proxied, false)?.status, 403, 'the same request, not trusted');
    assert.equal(crossSiteRefusal('POST', { ...proxied, 'x-forwarded-host': 'red.example.org, 10.0.0.2' }, true), undefined);
    assert.equal(crossSiteRefusal('POST', { ...proxied, 'x-forwarded-host': '10.0.0.2, red.example.org' }, true)?.status, 403);
    // A trusted proxy that forwards no host: the Host header.
    const direct = { ...JSON_POST, origin: 'http://127.0.0.1:1880' };
    assert.equal(crossSiteRefusal('POST', direct, true), undefined);
    assert.equal(crossSiteRefusal('POST', { ...direct, origin: 'https://evil.example' }, true)?.status, 403);
  });
});

describe("Node-RED's permission rule, as the pickers apply it", function () {
  it('grants spotify-account.write to *, write, *.write, itself, and lists holding one of them', function () {
    for (const scope of ['*', 'write', '*.write', 'spotify-account.write', ['flows.read', 'write'], ['read', '*']])
      assert.equal(grants(scope, 'spotify-account.write'), true, JSON.stringify(scope));
    for (const scope of ['read', '*.read', 'spotify-account.read', 'flows.write', '', [], ['read'], undefined, null, 7])
      assert.equal(grants(scope, 'spotify-account.write'), false, JSON.stringify(scope));
  });
});
