// One small JSON file, replaced atomically so a crash or power cut leaves either the old or the new content,
// never a torn file. Knows nothing about Node-RED.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { KeyedQueue } from './keyed-queue';
import { say } from './words';

/** Updates of one file, one after another: shared by every store instance in this process.
 *  (Not across processes: Node-RED runs one runtime per user directory.) */
const queue = new KeyedQueue();

function serialize<R>(key: string, task: () => Promise<R>): Promise<R> {
  return queue.run(key, task);
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** Why a store file failed: 'not_json' and 'not_store' mean damaged content, 'not_file' something else (a
 *  directory) where the file belongs, 'newer' a file of a later version, 'io' a read or write the system refused
 *  (permissions, disk full). */
export type StoreFileProblem = 'not_json' | 'not_store' | 'not_file' | 'newer' | 'io';

/**
 * A store file that cannot be used. The message names the file by its base name only: it reaches msg.error and
 * node statuses, which must not show the user directory's absolute path (`filePath` has it, for the log).
 */
export class StoreFileError extends Error {
  readonly fileName: string;
  constructor(
    readonly filePath: string,
    readonly problem: StoreFileProblem,
    detail: string,
    remedy: string,
  ) {
    const fileName = path.basename(filePath);
    super(say('store.file.problem', { file: fileName, detail, remedy }));
    this.name = 'StoreFileError';
    this.fileName = fileName;
  }

  /** The content is unusable (not a system refusal, not a newer version): setting it aside loses nothing usable.
   *  A directory in the file's place counts too: renaming it aside is the repair, and keeps what it holds. */
  get damaged(): boolean {
    return this.problem === 'not_json' || this.problem === 'not_store' || this.problem === 'not_file';
  }
}

export interface JsonFileStoreOptions {
  mode?: number;
  /** What the user should do about a file that cannot be used, for error messages (default: fix or delete it). */
  remedy?: string;
}

export class JsonFileStore<T> {
  readonly filePath: string;
  readonly remedy: string;
  private readonly mode: number;

  constructor(filePath: string, options: JsonFileStoreOptions = {}) {
    this.filePath = path.resolve(filePath);
    this.mode = options.mode ?? 0o600;
    this.remedy = options.remedy ?? say('store.file.fixOrDelete');
  }

  /** An error about this file, for its owner's own checks of the content. */
  problem(problem: StoreFileProblem, detail: string): StoreFileError {
    return new StoreFileError(this.filePath, problem, detail, this.remedy);
  }

  /** undefined when the file does not exist; a file that is not JSON throws an Error naming the file.
   *  Waits for updates already queued in this process, so a read sees every write made before it. */
  async read(): Promise<T | undefined> {
    await queue.idle(this.filePath);
    return this.readNow();
  }

  private async readNow(): Promise<T | undefined> {
    let text: string;
    try {
      text = await fsp.readFile(this.filePath, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return undefined;
      if (errorCode(err) === 'EISDIR') throw this.problem('not_file', say('store.file.directory'));
      throw this.problem('io', say('store.file.unreadable', { code: errorCode(err) ?? 'error' }));
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      // JSON.parse's own message quotes the content, which may hold secrets: only say that it is not JSON.
      throw this.problem('not_json', say('store.file.notJson'));
    }
  }

  /** Runs `fn` on the current content and stores its result; one update at a time per path in this process.
   *  An undefined result deletes the file. Resolves to what was stored. A throwing `fn` changes nothing. */
  update(fn: (current: T | undefined) => T | undefined): Promise<T | undefined> {
    return serialize(this.filePath, async () => {
      const next = fn(await this.readNow());
      await this.store(next);
      return next;
    });
  }

  /**
   * Like update, but damaged content (not JSON, or refused by `fn` with a damaged StoreFileError) is first
   * renamed aside, kept for whoever wants to look at it, and `fn` runs as if there were no file. Resolves to the
   * name the damaged file was kept under, or undefined when the file was fine.
   */
  updateSettingAside(fn: (current: T | undefined) => T | undefined): Promise<string | undefined> {
    return serialize(this.filePath, async () => {
      let next: T | undefined;
      try {
        next = fn(await this.readNow());
      } catch (err) {
        if (!(err instanceof StoreFileError && err.damaged)) throw err;
        const kept = await this.setAside(err.problem === 'not_file');
        await this.store(fn(undefined));
        return kept;
      }
      await this.store(next);
      return undefined;
    });
  }

  private async setAside(directory: boolean): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const kept = `${path.basename(this.filePath)}.damaged-${stamp}`;
    try {
      await fsp.rename(this.filePath, path.join(path.dirname(this.filePath), kept));
    } catch (err) {
      const code = errorCode(err) ?? 'error';
      // Only a repair (an admin's action) gets here, so the whole path may be named: the directory is in the
      // way and only its owner can move it (e.g. a Docker bind mount of a file that did not exist yet).
      if (directory)
        throw new StoreFileError(
          this.filePath,
          'io',
          say('store.file.directoryInTheWay', { code }),
          say('store.file.moveTheDirectory', { path: this.filePath }),
        );
      throw this.problem('io', say('store.file.notRenamed', { code }));
    }
    return kept;
  }

  private async store(next: T | undefined): Promise<void> {
    try {
      if (next === undefined) await this.remove();
      else await this.write(JSON.stringify(next, null, 2) + '\n');
    } catch (err) {
      if (err instanceof StoreFileError) throw err;
      // Node's own message names the absolute (temporary) path: say which file and why, nothing more.
      throw this.problem('io', say('store.file.unwritable', { code: errorCode(err) ?? 'error' }));
    }
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
