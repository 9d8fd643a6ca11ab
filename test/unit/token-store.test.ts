import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreFileError } from '../../nodes/spotify/file-store';
import { newStoreKey, StoredTokens, TokenStore } from '../../nodes/spotify/token-store';

const tokens = (n = 1): StoredTokens => ({
  accessToken: `BQD-access-token-secret-${n}`,
  refreshToken: `AQC-refresh-token-secret-${n}`,
  expiresAt: 1_900_000_000_000 + n,
  scope: ['playlist-read-private', 'playlist-modify-private'],
  clientId: 'c0ffee00c0ffee00c0ffee00c0ffee00',
  userId: 'wizzler',
  displayName: 'Ünïcode Display Name',
  authorizedAt: 1_800_000_000_000,
});

interface RawFile {
  version: number;
  accounts: Record<string, { iv: string; tag: string; data: string }>;
}

describe('token-store: TokenStore', () => {
  let dir: string;
  let file: string;
  let store: TokenStore;
  let key: string;

  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tunewire-token-store-'));
    file = path.join(dir, 'tokens.json');
    store = new TokenStore(file);
    key = newStoreKey();
  });
  afterEach(() => fs.promises.rm(dir, { recursive: true, force: true }));

  const raw = async (): Promise<RawFile> => JSON.parse(await fs.promises.readFile(file, 'utf8')) as RawFile;
  const writeRaw = (value: unknown): Promise<void> => fs.promises.writeFile(file, JSON.stringify(value));

  it('newStoreKey gives 32 random bytes as base64url', () => {
    const a = newStoreKey();
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.notEqual(a, newStoreKey());
  });

  it('get is undefined when nothing is stored', async () => {
    assert.equal(await store.get('acc1', key), undefined);
    assert.equal(fs.existsSync(file), false);
  });

  it('round-trips tokens, optional fields included or left out', async () => {
    await store.set('acc1', key, tokens());
    assert.deepEqual(await store.get('acc1', key), tokens());
    const minimal: StoredTokens = { ...tokens(2), needsReauthorization: true };
    delete minimal.userId;
    delete minimal.displayName;
    await store.set('acc1', key, minimal);
    assert.deepEqual(await store.get('acc1', key), minimal);
    // A fresh instance (a restart) reads the same.
    assert.deepEqual(await new TokenStore(file).get('acc1', key), minimal);
  });

  it('keeps accounts apart in one file', async () => {
    const key2 = newStoreKey();
    await store.set('acc1', key, tokens(1));
    await store.set('acc2', key2, tokens(2));
    assert.deepEqual(await store.get('acc1', key), tokens(1));
    assert.deepEqual(await store.get('acc2', key2), tokens(2));
    assert.deepEqual(Object.keys((await raw()).accounts).sort(), ['acc1', 'acc2']);
  });

  it('the file holds no token, client id or display name in clear; only ids, version, iv, tag, ciphertext', async () => {
    const t = tokens();
    await store.set('acc1', key, t);
    const bytes = await fs.promises.readFile(file);
    const text = bytes.toString('utf8');
    for (const secret of [t.accessToken, t.refreshToken, t.clientId, t.displayName!, t.userId!, 'playlist-read-private', key]) {
      assert.equal(text.includes(secret), false, `found ${secret}`);
      assert.equal(bytes.includes(Buffer.from(secret, 'utf16le')), false);
    }
    const parsed = await raw();
    assert.deepEqual(Object.keys(parsed).sort(), ['accounts', 'version']);
    assert.equal(parsed.version, 1);
    const entry = parsed.accounts.acc1;
    assert.deepEqual(Object.keys(entry).sort(), ['data', 'iv', 'tag']);
    assert.equal(Buffer.from(entry.iv, 'base64url').length, 12);
    assert.equal(Buffer.from(entry.tag, 'base64url').length, 16);
    if (process.platform !== 'win32') assert.equal((await fs.promises.stat(file)).mode & 0o777, 0o600);
  });

  it('uses a fresh IV for every write', async () => {
    await store.set('acc1', key, tokens());
    const first = (await raw()).accounts.acc1;
    await store.set('acc1', key, tokens());
    const second = (await raw()).accounts.acc1;
    assert.notEqual(first.iv, second.iv);
    assert.notEqual(first.data, second.data);
  });

  it('a wrong key gives undefined (never throws), e.g. after the config node was recreated', async () => {
    await store.set('acc1', key, tokens());
    assert.equal(await store.get('acc1', newStoreKey()), undefined);
    assert.equal(await store.get('acc1', ''), undefined);
    assert.equal(await store.get('acc1', 'short'), undefined);
    // Storing again under the new key takes over the entry.
    const key2 = newStoreKey();
    await store.set('acc1', key2, tokens(2));
    assert.deepEqual(await store.get('acc1', key2), tokens(2));
    assert.equal(await store.get('acc1', key), undefined);
  });

  it('tampered entries read as undefined (documented: same as a wrong key)', async () => {
    await store.set('acc1', key, tokens());
    const original = await raw();
    const flip = (b64: string, at: number): string => {
      const buf = Buffer.from(b64, 'base64url');
      buf[at] ^= 0x01;
      return buf.toString('base64url');
    };
    const e = original.accounts.acc1;
    const variants: Record<string, unknown>[] = [
      { ...e, data: flip(e.data, 0) },
      { ...e, data: flip(e.data, Buffer.from(e.data, 'base64url').length - 1) },
      { ...e, data: e.data.slice(0, -4) },
      { ...e, iv: flip(e.iv, 3) },
      { ...e, tag: flip(e.tag, 15) },
      { ...e, tag: Buffer.from(e.tag, 'base64url').subarray(0, 4).toString('base64url') }, // truncated tag
      { ...e, iv: 'not base64 !!' },
      { iv: e.iv, tag: e.tag },
      { ...e, data: 42 },
    ];
    for (const variant of variants) {
      await writeRaw({ version: 1, accounts: { acc1: variant } });
      assert.equal(await store.get('acc1', key), undefined, JSON.stringify(variant));
    }
    // The untouched entry still opens: the checks above are not failing for another reason.
    await writeRaw(original);
    assert.deepEqual(await store.get('acc1', key), tokens());
  });

  it('an entry moved under another account id does not open', async () => {
    await store.set('acc1', key, tokens());
    const file1 = await raw();
    await writeRaw({ version: 1, accounts: { acc2: file1.accounts.acc1 } });
    assert.equal(await store.get('acc2', key), undefined);
  });

  it('delete removes one account, and the file with the last one', async () => {
    await store.set('acc1', key, tokens(1));
    await store.set('acc2', key, tokens(2));
    await store.delete('acc1');
    assert.equal(await store.get('acc1', key), undefined);
    assert.deepEqual(await store.get('acc2', key), tokens(2));
    await store.delete('acc2');
    assert.equal(fs.existsSync(file), false);
    await store.delete('acc2'); // nothing stored: no error
  });

  it('concurrent sets for different accounts all land', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `acc${i}`);
    await Promise.all(ids.map((id, i) => new TokenStore(file).set(id, key, tokens(i))));
    for (const [i, id] of ids.entries()) assert.deepEqual(await store.get(id, key), tokens(i));
  });

  it('an account id like __proto__ is an ordinary key', async () => {
    await store.set('__proto__', key, tokens(1));
    await store.set('constructor', key, tokens(2));
    assert.deepEqual(await store.get('__proto__', key), tokens(1));
    assert.deepEqual(await store.get('constructor', key), tokens(2));
    assert.equal(await store.get('toString', key), undefined);
    assert.deepEqual(Object.keys((await raw()).accounts).sort(), ['__proto__', 'constructor']);
  });

  it('stores only the known fields', async () => {
    const extra = { ...tokens(), password: 'hunter2' } as StoredTokens;
    await store.set('acc1', key, extra);
    assert.deepEqual(await store.get('acc1', key), tokens());
  });

  it('refuses bad input to set', async () => {
    await assert.rejects(store.set('acc1', 'too-short', tokens()), /at least 32 characters/);
    await assert.rejects(store.set('', key, tokens()), TypeError);
    await assert.rejects(store.set('acc1', key, { ...tokens(), scope: 'a b' } as unknown as StoredTokens), TypeError);
    await assert.rejects(store.set('acc1', key, { ...tokens(), expiresAt: NaN }), TypeError);
    assert.equal(fs.existsSync(file), false);
  });

  it('a file that is not a token store throws an error naming the file and the remedy, and is not overwritten', async () => {
    for (const content of ['not json', '[]', '{"version":1}', '{"accounts":{}}']) {
      await fs.promises.writeFile(file, content);
      const named = (err: unknown): boolean =>
        err instanceof StoreFileError &&
        err.damaged &&
        /^The file tokens\.json is damaged \(not (valid JSON|a token store)\): open the Spotify account node and click Authorize Access to repair it$/.test(
          err.message,
        );
      await assert.rejects(store.get('acc1', key), named, content);
      await assert.rejects(store.set('acc1', key, tokens()), named, content);
      await assert.rejects(store.delete('acc1'), named, content);
      assert.equal(await fs.promises.readFile(file, 'utf8'), content);
    }
  });

  it('set with repair keeps a damaged file aside and starts a new one holding the account', async () => {
    for (const content of ['not json', '{"version":1}']) {
      await fs.promises.writeFile(file, content);
      const kept = await store.set('acc1', key, tokens(), { repair: true });
      assert.match(String(kept), /^tokens\.json\.damaged-/);
      assert.equal(await fs.promises.readFile(path.join(dir, String(kept)), 'utf8'), content);
      assert.deepEqual(await store.get('acc1', key), tokens());
      assert.deepEqual(Object.keys((await raw()).accounts), ['acc1']);
      await fs.promises.rm(path.join(dir, String(kept)));
    }
    // A sound file is only updated: the other accounts stay.
    await store.set('acc2', key, tokens(2));
    assert.equal(await store.set('acc1', key, tokens(3), { repair: true }), undefined);
    assert.deepEqual(Object.keys((await raw()).accounts).sort(), ['acc1', 'acc2']);
    assert.deepEqual(await fs.promises.readdir(dir), ['tokens.json']);
  });

  it('a file from a newer version is left alone, even by a repair', async () => {
    await writeRaw({ version: 2, accounts: {} });
    await assert.rejects(store.set('acc1', key, tokens()), /newer version/);
    await assert.rejects(store.set('acc1', key, tokens(), { repair: true }), /newer version of this node pack: update the pack/);
    assert.deepEqual(await raw(), { version: 2, accounts: {} });
  });
});
