// The package as users get it: `npm pack` on a copy of this working tree (what a fresh clone holds: tracked
// and new, not ignored, files), so the pack's own `prepack` build runs from scratch and never touches the build
// the tests run from. Then `npm install <tarball>` into a Node-RED user directory, as a user would.
// The pack (a full build) is made once per test run and shared by every test that asks for it; its folder is
// deleted when the run's process exits.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
  /** The folder holding the copy and the tarball (deleted at exit). */
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
 * The tarball of this run: packed by the first caller, the same one for every later caller (a failed pack is
 * tried again by the next). Callers only read it.
 */
export function packTarball(): Promise<PackedTarball> {
  packed ??= packOnce().catch((err: unknown) => {
    packed = undefined;
    throw err;
  });
  return packed;
}

/** `npm pack` on a fresh copy of the working tree (its prepack builds); the tarball lands in a temporary folder. */
async function packOnce(): Promise<PackedTarball> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-pack-'));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  try {
    const src = path.join(dir, 'src');
    for (const rel of await treeFiles()) {
      fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
      fs.copyFileSync(path.join(PACKAGE_ROOT, rel), path.join(src, rel));
    }
    // The build needs the compiler and type packages: the repository's installed ones, not a second install.
    fs.symlinkSync(fs.realpathSync(path.join(PACKAGE_ROOT, 'node_modules')), path.join(src, 'node_modules'), 'dir');
    const out = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: src, env: npmEnv() });
    // npm prints prepack's output before the JSON on some versions: the JSON is the last array in stdout.
    const json = JSON.parse(out.slice(out.lastIndexOf('\n[') + 1 || out.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
      size: number;
      unpackedSize: number;
    }[];
    const info = json[0];
    if (!info) throw new Error(`npm pack printed no result: ${out.slice(0, 2000)}`);
    return {
      file: path.join(dir, path.basename(info.filename)),
      files: info.files.map((f) => f.path).sort(),
      size: info.size,
      unpackedSize: info.unpackedSize,
      dir,
    };
  } catch (err) {
    process.off('exit', remove);
    remove();
    throw err;
  }
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
