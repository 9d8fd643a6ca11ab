// Runtime texts (status, warnings) come from the account node's message catalog: translated through the
// runtime's RED._ when Node-RED resolves the key, English from the shipped catalog when it does not (the test
// helper's RED._ answers every key with itself).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import { runtimeText, useAccountCatalog } from '../nodes/node-red/messages';
import { PACKAGE_ROOT } from './support/node-red-process';

function fakeRED(translate: (key: string, vars?: Record<string, string | number>) => string): NodeAPI {
  return { _: translate } as unknown as NodeAPI;
}

describe('runtime texts from the message catalog', function () {
  after(function () {
    useAccountCatalog(fakeRED((k) => k)); // as the test helper leaves it
  });

  it("uses the runtime's translation when Node-RED resolves the key", function () {
    useAccountCatalog(fakeRED((key, vars) => `«${key}${vars ? ' ' + JSON.stringify(vars) : ''}»`));
    assert.equal(runtimeText('status.authorizeAgain'), '«tunewire-account.runtime.status.authorizeAgain»');
    assert.equal(runtimeText('status.httpError', { status: 404 }), '«tunewire-account.runtime.status.httpError {"status":404}»');
  });

  it('falls back to the English catalog when the key comes back unresolved, interpolating __vars__', function () {
    useAccountCatalog(fakeRED((key) => key));
    assert.equal(runtimeText('status.authorizeAgain'), 'authorize again');
    assert.equal(runtimeText('status.httpError', { status: 503 }), 'error 503');
    assert.equal(runtimeText('errors.tokenStore', { message: 'bad key' }), 'Cannot read the token store: bad key');
    // Node-RED's i18next answers a missing key without its namespace; that counts as unresolved too.
    useAccountCatalog(fakeRED((key) => `@tunewire/node-red-spotify/tunewire-account:${key}`));
    assert.equal(runtimeText('status.requesting'), 'requesting…');
  });

  it('every key the runtime code asks for is in the English catalog', function () {
    const catalog = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'nodes', 'locales', 'en-US', 'account.json'), 'utf8')) as Record<string, unknown>;
    const files = [path.join(PACKAGE_ROOT, 'nodes', 'account.ts'), ...fs.readdirSync(path.join(PACKAGE_ROOT, 'nodes', 'node-red')).map((f) => path.join(PACKAGE_ROOT, 'nodes', 'node-red', f))];
    const keys = new Set<string>();
    for (const f of files.filter((x) => x.endsWith('.ts'))) {
      const src = fs.readFileSync(f, 'utf8');
      if (!src.includes('runtimeText(')) continue;
      for (const m of src.matchAll(/'((?:status|errors)\.[A-Za-z]+)'/g)) keys.add(m[1]);
    }
    assert.ok(keys.size >= 10, `found the keys in use (${keys.size})`);
    const runtime = (catalog['tunewire-account'] as Record<string, unknown>).runtime;
    const missing = [...keys].filter((k) => typeof k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], runtime) !== 'string');
    assert.deepEqual(missing, []);
  });
});
