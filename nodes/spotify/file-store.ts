// One small JSON file, replaced atomically so a crash or power cut leaves either the old or the new content,
// never a torn file. Knows nothing about Node-RED.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Tail of the update queue per absolute path: shared by every store instance in this process.
 *  (Not across processes: Node-RED runs one runtime per user directory.) */
const queues = new Map<string, Promise<void>>();

function serialize<R>(key: string, task: () => Promise<R>): Promise<R> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  // Forget the path once idle, so the map does not grow with every store ever opened.
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

export class JsonFileStore<T> {
  readonly filePath: string;
  private readonly mode: number;

  constructor(filePath: string, options: { mode?: number } = {}) {
    this.filePath = path.resolve(filePath);
    this.mode = options.mode ?? 0o600;
  }

  /** undefined when the file does not exist; a file that is not JSON throws an Error naming the file.
   *  Waits for updates already queued in this process, so a read sees every write made before it. */
  async read(): Promise<T | undefined> {
    await queues.get(this.filePath);
    return this.readNow();
  }

  private async readNow(): Promise<T | undefined> {
    let text: string;
    try {
      text = await fsp.readFile(this.filePath, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`${this.filePath} is not valid JSON (${reason}); fix or delete it`, { cause: err });
    }
  }

  /** Runs `fn` on the current content and stores its result; one update at a time per path in this process.
   *  An undefined result deletes the file. Resolves to what was stored. A throwing `fn` changes nothing. */
  update(fn: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    return serialize(this.filePath, async () => {
      const next = fn(await this.readNow());
      if (next === undefined) await this.remove();
      else await this.write(JSON.stringify(next, null, 2) + '\n');
      return next;
    });
  }

  private async write(text: string): Promise<void> {
    const dir = path.dirname(this.filePath);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    // Same directory as the target: rename is only atomic within one file system.
    const temp = path.join(dir, `.${path.basename(this.filePath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await fsp.open(temp, 'wx', this.mode);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync(); // the data must be on disk before the rename makes it the file
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, this.filePath);
    } catch (err) {
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      throw err;
    }
    await syncDir(dir);
  }

  private async remove(): Promise<void> {
    try {
      await fsp.unlink(this.filePath);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return;
      throw err;
    }
    await syncDir(path.dirname(this.filePath));
  }
}

/** Makes the rename/unlink itself durable. Best effort: some platforms (Windows) cannot open a directory. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // ignored on purpose
  }
}
