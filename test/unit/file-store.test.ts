import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sinon from 'sinon';
import { JsonFileStore, StoreFileError } from '../../nodes/spotify/file-store';

interface Counter {
  n: number;
}

describe('file-store: JsonFileStore', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tunewire-file-store-'));
    file = path.join(dir, 'store.json');
  });
  afterEach(async () => {
    sinon.restore();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('reads undefined when the file does not exist', async () => {
    assert.equal(await new JsonFileStore<Counter>(file).read(), undefined);
  });

  it('writes, reads back, and passes the current value to update', async () => {
    const store = new JsonFileStore<Counter>(file);
    assert.deepEqual(
      await store.update((cur) => {
        assert.equal(cur, undefined);
        return { n: 1 };
      }),
      { n: 1 },
    );
    assert.deepEqual(await store.read(), { n: 1 });
    assert.deepEqual(await store.update((cur) => ({ n: (cur?.n ?? 0) + 1 })), { n: 2 });
    assert.deepEqual(JSON.parse(await fs.promises.readFile(file, 'utf8')), { n: 2 });
  });

  it('creates missing directories', async () => {
    const deep = path.join(dir, 'a', 'b', 'store.json');
    await new JsonFileStore<Counter>(deep).update(() => ({ n: 1 }));
    assert.deepEqual(await new JsonFileStore<Counter>(deep).read(), { n: 1 });
  });

  it('an undefined result deletes the file (and deleting a missing file is fine)', async () => {
    const store = new JsonFileStore<Counter>(file);
    await store.update(() => ({ n: 1 }));
    assert.equal(await store.update(() => undefined), undefined);
    assert.equal(fs.existsSync(file), false);
    assert.equal(await store.update(() => undefined), undefined);
  });

  if (process.platform !== 'win32') {
    it('creates the file with mode 0600 by default, or the mode given', async () => {
      await new JsonFileStore<Counter>(file).update(() => ({ n: 1 }));
      assert.equal((await fs.promises.stat(file)).mode & 0o777, 0o600);
      // Replacing a looser file tightens it: the rename brings the temp file's mode.
      await fs.promises.chmod(file, 0o644);
      await new JsonFileStore<Counter>(file).update(() => ({ n: 2 }));
      assert.equal((await fs.promises.stat(file)).mode & 0o777, 0o600);
      const other = path.join(dir, 'other.json');
      await new JsonFileStore<Counter>(other, { mode: 0o640 }).update(() => ({ n: 1 }));
      assert.equal((await fs.promises.stat(other)).mode & 0o777, 0o640);
    });
  }

  it('a corrupt file throws an error naming the file but not its folder, and update does not overwrite it', async () => {
    await fs.promises.writeFile(file, '{"n": "secret-looking content');
    const store = new JsonFileStore<Counter>(file);
    const named = (err: unknown): boolean =>
      err instanceof StoreFileError &&
      err.message === 'The file store.json is damaged (not valid JSON): fix or delete it' &&
      err.filePath === file &&
      !err.message.includes(dir);
    await assert.rejects(store.read(), named);
    await assert.rejects(
      store.update(() => ({ n: 5 })),
      named,
    );
    assert.equal(await fs.promises.readFile(file, 'utf8'), '{"n": "secret-looking content');
  });

  it('updateSettingAside keeps a damaged file under another name and writes a new one; a sound file is updated', async () => {
    await fs.promises.writeFile(file, 'not json');
    const store = new JsonFileStore<Counter>(file);
    const kept = await store.updateSettingAside((current) => ({ n: (current?.n ?? 0) + 1 }));
    assert.match(String(kept), /^store\.json\.damaged-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    assert.equal(await fs.promises.readFile(path.join(dir, String(kept)), 'utf8'), 'not json', 'kept as it was');
    assert.deepEqual(await store.read(), { n: 1 });
    assert.equal(await store.updateSettingAside((current) => ({ n: (current?.n ?? 0) + 1 })), undefined);
    assert.deepEqual(await store.read(), { n: 2 });
    assert.deepEqual((await fs.promises.readdir(dir)).sort(), [String(kept), 'store.json'].sort(), 'one copy, no temp files');
  });

  it('a directory where the file belongs: named as such with the remedy; updateSettingAside moves it aside, contents kept', async () => {
    await fs.promises.mkdir(file);
    await fs.promises.writeFile(path.join(file, 'inside.txt'), 'kept');
    const store = new JsonFileStore<Counter>(file, { remedy: 'repair it' });
    await assert.rejects(
      store.read(),
      (err: unknown) =>
        err instanceof StoreFileError &&
        err.problem === 'not_file' &&
        err.message === 'The file store.json is a directory, not a file: repair it',
    );
    const kept = await store.updateSettingAside(() => ({ n: 1 }));
    assert.match(String(kept), /^store\.json\.damaged-/);
    assert.equal(await fs.promises.readFile(path.join(dir, String(kept), 'inside.txt'), 'utf8'), 'kept');
    assert.deepEqual(await store.read(), { n: 1 });
  });

  it('write failures name the file and the reason, not the temporary path', async () => {
    const store = new JsonFileStore<Counter>(path.join(dir, 'blocked', 'store.json'));
    await fs.promises.writeFile(path.join(dir, 'blocked'), 'a file where a folder should be');
    await assert.rejects(
      store.update(() => ({ n: 1 })),
      (err: unknown) =>
        err instanceof StoreFileError &&
        err.problem === 'io' &&
        /^The file store\.json cannot be (read|written) \(E[A-Z]+\)/.test(err.message) &&
        !err.message.includes(dir),
    );
  });

  it('50 concurrent increments all land', async () => {
    const store = new JsonFileStore<Counter>(file);
    await Promise.all(Array.from({ length: 50 }, () => store.update((cur) => ({ n: (cur?.n ?? 0) + 1 }))));
    assert.deepEqual(await store.read(), { n: 50 });
  });

  it('serializes across instances for the same path (also when spelled differently)', async () => {
    // Template strings, not path.join: join would normalize the spellings itself.
    const spellings = [file, `${dir}${path.sep}.${path.sep}store.json`, path.relative(process.cwd(), file)];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => new JsonFileStore<Counter>(spellings[i % 3]).update((cur) => ({ n: (cur?.n ?? 0) + 1 }))),
    );
    assert.deepEqual(await new JsonFileStore<Counter>(file).read(), { n: 30 });
  });

  it('a throwing update changes nothing and does not block later updates', async () => {
    const store = new JsonFileStore<Counter>(file);
    await store.update(() => ({ n: 1 }));
    const results = await Promise.allSettled([
      store.update(() => {
        throw new Error('boom');
      }),
      store.update((cur) => ({ n: (cur?.n ?? 0) + 1 })),
    ]);
    assert.equal(results[0].status, 'rejected');
    assert.deepEqual(await store.read(), { n: 2 });
  });

  it('a leftover temp file from a crash does not affect the target', async () => {
    const store = new JsonFileStore<Counter>(file);
    await store.update(() => ({ n: 1 }));
    // What a crash between writing the temp file and renaming it leaves behind.
    await fs.promises.writeFile(path.join(dir, '.store.json.99999.deadbeef0000.tmp'), '{"n": 99, "torn');
    assert.deepEqual(await store.read(), { n: 1 });
    await store.update((cur) => ({ n: (cur?.n ?? 0) + 1 }));
    assert.deepEqual(await store.read(), { n: 2 });
  });

  it('writes through a temp file in the same directory, fsynced before the rename', async () => {
    const store = new JsonFileStore<Counter>(file);
    await store.update(() => ({ n: 1 }));
    const probe = await fs.promises.open(file, 'r');
    const fileHandleProto = Object.getPrototypeOf(probe) as fs.promises.FileHandle;
    await probe.close();
    const syncs = sinon.spy(fileHandleProto, 'sync');
    const renames = sinon.spy(fs.promises, 'rename');
    await store.update(() => ({ n: 2 }));
    assert.equal(renames.callCount, 1);
    // The temp file's data, then the directory entry: one sync before the rename, one after.
    assert.equal(syncs.callCount, 2);
    assert.ok(syncs.firstCall.calledBefore(renames.firstCall));
    assert.ok(syncs.secondCall.calledAfter(renames.firstCall));
    const [from, to] = renames.firstCall.args.map(String);
    assert.equal(path.dirname(from), dir);
    assert.equal(to, file);
    assert.equal(fs.existsSync(from), false);
  });

  it('a failed rename leaves the old content intact and no temp file behind', async () => {
    const store = new JsonFileStore<Counter>(file);
    await store.update(() => ({ n: 1 }));
    sinon.stub(fs.promises, 'rename').rejects(Object.assign(new Error('simulated crash'), { code: 'EIO' }));
    await assert.rejects(
      store.update(() => ({ n: 2 })),
      /^StoreFileError: The file store\.json cannot be written \(EIO\)/,
    );
    sinon.restore();
    assert.deepEqual(await store.read(), { n: 1 });
    assert.deepEqual(await fs.promises.readdir(dir), ['store.json']);
  });
});
