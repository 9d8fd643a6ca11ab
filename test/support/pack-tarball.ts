// The package as users get it: `npm pack` on a copy of this working tree (what a fresh clone holds: tracked
// and new, not ignored, files), so the pack's own `prepack` build runs from scratch and never touches the build
// the tests run from. Then `npm install <tarball>` into a Node-RED user directory, as a user would.
// A tree is packed once per Node version: the tarball is kept under test-output/pack/, named by a hash of the
// tree's files, and every test that asks for it (in this run, in a run beside it, in the next run) gets that one
// until a file changes. Runs side by side take turns through a lock folder, so the same tree is never packed twice.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trackChild } from './child-registry';
import { PACKAGE_ROOT } from './node-red-process';

export interface PackedTarball {
  /** The .tgz file. */
  file: string;
  /** Paths inside the tarball (relative to its package/ folder). */
  files: string[];
  /** Bytes of the .tgz, and of its files unpacked (as npm pack reports them). */
  size: number;
  unpackedSize: number;
  /** The folder holding the tarball (kept for the next run of the same tree, under test-output/pack/). */
  dir: string;
}

/** Runs a command to its end; rejects with its output when it fails. */
export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 600_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`.slice(0, 6000)));
        else resolve(stdout);
      },
    );
    trackChild(child, `${cmd} ${args[0] ?? ''}`);
  });
}

/** The files a clone of this working tree would have (git's view: tracked or new, never ignored). */
async function treeFiles(): Promise<string[]> {
  const out = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: PACKAGE_ROOT });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => f.split('/')[0] !== 'node_modules' && fs.lstatSync(path.join(PACKAGE_ROOT, f), { throwIfNoEntry: false })?.isFile());
}

/** The environment npm runs in: no build-folder override, so `prepack` builds dist/ as on a user's machine. */
function npmEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TUNEWIRE_BUILD_DIR;
  delete env.TUNEWIRE_NODE_RED_PATH;
  return env;
}

let packed: Promise<PackedTarball> | undefined;

/**
 * The tarball of this tree: packed by the first caller, the same one for every later caller (a failed pack is
 * tried again by the next). Callers only read it.
 */
export function packTarball(): Promise<PackedTarball> {
  packed ??= packCached().catch((err: unknown) => {
    packed = undefined;
    throw err;
  });
  return packed;
}

/** Where packed trees are kept, by Node version (its npm runs the pack) and tree hash. */
const PACK_CACHE = path.join(PACKAGE_ROOT, 'test-output', 'pack', process.version);
/** What a finished pack leaves in its folder, written last: a folder without it is not a pack. */
const RESULT = 'packed.json';
/** A pack is a full build: how long a run waits for the one beside it to finish packing, on a busy machine. */
const PACK_WAIT_MS = 10 * 60_000;
/** Packs of other trees older than this are deleted when a new tree is packed. */
const KEEP_MS = 60 * 60_000;

/** The tree's files, by path and content. */
function treeHash(files: string[]): string {
  const hash = createHash('sha256');
  for (const rel of [...files].sort()) {
    hash
      .update(rel)
      .update('\0')
      .update(fs.readFileSync(path.join(PACKAGE_ROOT, rel)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

function readPacked(dir: string): PackedTarball | undefined {
  const file = path.join(dir, RESULT);
  if (!fs.existsSync(file)) return undefined;
  const result = JSON.parse(fs.readFileSync(file, 'utf8')) as Omit<PackedTarball, 'dir' | 'file'> & { file: string };
  return { ...result, file: path.join(dir, result.file), dir };
}

/** The lock of a pack in progress: a folder holding the packing process's id. A lock whose process is gone is taken over. */
function takeLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let pid = 0;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // its id is being written, or the pack just ended
  }
  if (pid > 0 && !isAlive(pid)) fs.rmSync(lock, { recursive: true, force: true }); // killed mid-pack: the next turn takes it
  return false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This tree's tarball: the kept one, the one a run beside this one is packing, or a new one. */
async function packCached(): Promise<PackedTarball> {
  const files = await treeFiles();
  const dir = path.join(PACK_CACHE, treeHash(files));
  const lock = `${dir}.lock`;
  fs.mkdirSync(PACK_CACHE, { recursive: true });
  const deadline = Date.now() + PACK_WAIT_MS;
  for (;;) {
    const kept = readPacked(dir);
    if (kept) return kept;
    if (takeLock(lock)) {
      try {
        return readPacked(dir) ?? (await packOnce(files, dir));
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error(`another run has been packing this tree for ${PACK_WAIT_MS / 60_000} minutes (${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** `npm pack` on a fresh copy of the tree (its prepack builds), into `dir`; packs of other trees that are old go. */
async function packOnce(files: string[], dir: string): Promise<PackedTarball> {
  const work = fs.mkdtempSync(path.join(PACK_CACHE, 'packing-'));
  try {
    const src = path.join(work, 'src');
    for (const rel of files) {
      fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      fs.copyFileSync(path.join(PACKAGE_ROOT, rel), path.join(src, rel));
    }
    // The build needs the compiler and type packages: the repository's installed ones, not a second install.
    fs.symlinkSync(fs.realpathSync(path.join(PACKAGE_ROOT, 'node_modules')), path.join(src, 'node_modules'), 'dir');
    const out = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: src, env: npmEnv() });
    // npm prints prepack's output before the JSON on some versions: the JSON is the last array in stdout.
    const json = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1 || out.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
      size: number;
      unpackedSize: number;
    }[];
    const info = json[0];
    if (!info) throw new Error(`npm pack printed no result: ${out.slice(0, 2000)}`);
    fs.rmSync(src, { recursive: true, force: true });
    const result = {
      file: path.basename(info.filename),
      files: info.files.map((f) => f.path).sort(),
      size: info.size,
      unpackedSize: info.unpackedSize,
    };
    fs.writeFileSync(path.join(work, RESULT), JSON.stringify(result));
    fs.renameSync(work, dir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  for (const entry of fs.readdirSync(PACK_CACHE)) {
    const other = path.join(PACK_CACHE, entry);
    if (other !== dir && !entry.endsWith('.lock') && Date.now() - fs.statSync(other).mtimeMs > KEEP_MS) {
      fs.rmSync(other, { recursive: true, force: true });
    }
  }
  const packedTree = readPacked(dir);
  if (!packedTree) throw new Error(`the pack in ${dir} has no ${RESULT}`);
  return packedTree;
}

/** `npm install <tarball>` in a Node-RED user directory, as `cd ~/.node-red && npm install <file>` does. */
export async function installTarball(userDir: string, tarball: string): Promise<void> {
  fs.mkdirSync(userDir, { recursive: true });
  const manifest = path.join(userDir, 'package.json');
  if (!fs.existsSync(manifest)) {
    // What Node-RED writes into a new user directory.
    fs.writeFileSync(
      manifest,
      JSON.stringify({ name: 'node-red-project', description: 'A Node-RED Project', version: '0.0.1', private: true }, null, 2),
    );
  }
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', tarball], { cwd: userDir, env: npmEnv() });
}
