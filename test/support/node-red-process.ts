// A real Node-RED in its own process, with this pack installed in its user directory the way npm would
// (node_modules/@tunewire/node-red-spotify): for restarts, kills, adminAuth, the browser tests and the demo.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { trackChild } from './child-registry';

/** The build folder this file was compiled into (dist, or another TUNEWIRE_BUILD_DIR): an installable package. */
export const BUILD_ROOT = path.resolve(__dirname, '..', '..');
/** The repository (the build folder is always a direct child of it). */
export const PACKAGE_ROOT = path.resolve(BUILD_ROOT, '..');
const PACKAGE_NAME = '@tunewire/node-red-spotify';

export interface NodeRedProcessOptions {
  userDir: string;
  /** 0 or absent: a free port on 127.0.0.1. */
  port?: number;
  /** Written to settings.js as JSON (plus uiHost/uiPort/userDir and test-friendly defaults). */
  settings?: Record<string, unknown>;
  flows?: unknown[];
  /** Plain credentials by node id (settings use credentialSecret: false). */
  credentials?: Record<string, Record<string, string>>;
  env?: NodeJS.ProcessEnv;
  /** The Node.js binary (default: this one). */
  nodeBinary?: string;
  /** Options for Node.js itself, before Node-RED's script (e.g. `--max-old-space-size=256`). */
  nodeArgs?: string[];
  /** Forward Node-RED's output to this process's stdout. */
  echo?: boolean;
  /** false: leave node_modules alone (the test installs the pack itself, e.g. from its tarball). */
  linkBuild?: boolean;
}

export class NodeRedProcess {
  private child: ChildProcess | undefined;
  /** stop() asked it to end (an exit then is no news). */
  private stopping = false;
  readonly output: string[] = [];
  port = 0;

  constructor(private readonly opts: NodeRedProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Writes the user directory (first start only for flows/credentials given) and starts Node-RED. */
  async start(): Promise<void> {
    const dir = this.opts.userDir;
    fs.mkdirSync(dir, { recursive: true });
    this.port = this.port || this.opts.port || (await freePort());
    if (this.opts.linkBuild !== false) installPack(dir);
    const settings = {
      uiHost: '127.0.0.1',
      uiPort: this.port,
      userDir: dir,
      flowFile: 'flows.json',
      credentialSecret: false,
      telemetry: { enabled: false },
      editorTheme: { tours: false, palette: { catalogues: [] }, projects: { enabled: false } },
      diagnostics: { enabled: false },
      logging: { console: { level: 'info', metrics: false, audit: false } },
      ...this.opts.settings,
    };
    fs.writeFileSync(path.join(dir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
    if (this.opts.flows && !fs.existsSync(path.join(dir, 'flows.json'))) {
      fs.writeFileSync(path.join(dir, 'flows.json'), JSON.stringify(this.opts.flows, null, 2));
      fs.writeFileSync(path.join(dir, 'flows_cred.json'), JSON.stringify(this.opts.credentials ?? {}, null, 2));
    }
    const red = resolveNodeRed('node-red/red.js');
    const child = spawn(
      this.opts.nodeBinary ?? process.execPath,
      [...(this.opts.nodeArgs ?? []), red, '--userDir', dir, '--settings', path.join(dir, 'settings.js')],
      {
        cwd: dir,
        env: { ...process.env, ...this.opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = trackChild(child, `node-red in ${path.basename(dir)}`);
    // A Node-RED that ends by itself after starting fails its test as "fetch failed … ECONNREFUSED": say why here.
    child.once('exit', (code, signal) => {
      if (this.child !== child || this.stopping) return;
      process.stderr.write(
        `\n[node-red on port ${this.port} ended by itself: ${signal ?? `exit ${code}`}] its last output:\n${this.log.slice(-3000)}\n`,
      );
    });
    const from = this.output.length; // a restart must not match the previous run's "Started flows"
    // Started: its flows run AND its server listens on our port. Node-RED may log "Started flows" before it calls
    // listen (and a port taken meanwhile makes it exit instead), so the flows line alone let a busy machine's test
    // send its first request to a port nobody listened on yet.
    const lang = this.opts.settings?.lang;
    const startedLines = [
      runtimeLogText(lang, 'flows', 'started-flows'),
      `${runtimeLogText(lang, 'server', 'now-running').split('__listenpath__')[0]}${this.url}`,
    ];
    const started = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        this.output.push(text);
        if (this.opts.echo) process.stdout.write(text);
        const since = this.output.slice(from).join('');
        if (startedLines.every((line) => since.includes(line))) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`Node-RED exited (${code}) before starting:\n${this.output.join('').slice(-3000)}`)));
    });
    await withTimeout(started, 60_000, () => `Node-RED did not start within 60 s:\n${this.output.join('').slice(-3000)}`);
  }

  /** Stops it: SIGTERM (a clean stop) or SIGKILL (a crash: nothing gets to run). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.stopping = true;
    child.kill(signal);
    await withTimeout(exited, 20_000, () => 'Node-RED did not stop').catch(() => child.kill('SIGKILL'));
    this.child = undefined;
    this.stopping = false;
  }

  get log(): string {
    return this.output.join('');
  }
}

/**
 * A module of the Node-RED under test: this repository's, or, when the environment variable
 * TUNEWIRE_NODE_RED_PATH names a folder (e.g. one made by `npm install --prefix <folder> node-red@5`), the
 * Node-RED installed there — so the same suite runs against another Node-RED version (scripts/test-node22.sh).
 */
/** Node-RED's English log lines this file waits for (its runtime catalog's `nodes.flows` and `server` sections). */
const ENGLISH_LOG: Record<'flows' | 'server', Record<string, string>> = {
  flows: { 'started-flows': 'Started flows' },
  server: { 'now-running': 'Server now running at __listenpath__' },
};

/**
 * One of Node-RED's log lines in the language its runtime speaks (settings.js `lang`), from its own catalog: a
 * Node-RED started in German logs "Flows sind gestartet".
 */
function runtimeLogText(lang: unknown, section: 'flows' | 'server', key: string): string {
  const english = ENGLISH_LOG[section][key];
  if (typeof lang !== 'string' || !/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang) || lang === 'en-US') return english;
  const locales = path.join(path.dirname(resolveNodeRed('@node-red/runtime/package.json')), 'locales');
  for (const tried of [lang, lang.split('-')[0]]) {
    try {
      const catalog = JSON.parse(fs.readFileSync(path.join(locales, tried, 'runtime.json'), 'utf8')) as {
        nodes?: { flows?: Record<string, string> };
        server?: Record<string, string>;
      };
      const text = section === 'flows' ? catalog.nodes?.flows?.[key] : catalog.server?.[key];
      if (text) return text;
    } catch {
      // no catalog in that language: Node-RED logs in English
    }
  }
  return english;
}

export function resolveNodeRed(request = 'node-red'): string {
  const dir = process.env.TUNEWIRE_NODE_RED_PATH;
  if (!dir) return require.resolve(request, { paths: [PACKAGE_ROOT] });
  // Real paths on both sides: require.resolve answers one, and node_modules may be a link (a git worktree's).
  const root = fs.existsSync(dir) ? fs.realpathSync(dir) : path.resolve(dir);
  const resolved = require.resolve(request, { paths: [root] });
  // Resolution walks up to parent folders: never fall back silently to the repository's own Node-RED.
  if (!resolved.startsWith(root + path.sep)) throw new Error(`TUNEWIRE_NODE_RED_PATH=${dir}: ${request} is not installed there`);
  return resolved;
}

/** Links the build into the user directory's node_modules, as `npm install` in ~/.node-red would. */
function installPack(userDir: string): void {
  const scopeDir = path.join(userDir, 'node_modules', PACKAGE_NAME.split('/')[0]);
  const link = path.join(userDir, 'node_modules', PACKAGE_NAME);
  fs.mkdirSync(scopeDir, { recursive: true });
  if (!fs.existsSync(link)) fs.symlinkSync(BUILD_ROOT, link, 'dir');
}

/**
 * A port free now, for a process started later. Taken below the system's ephemeral range where there is room:
 * a port the system hands out (listen on 0) is also what it gives the next outgoing connection, and on a busy
 * machine one took the port in the seconds before Node-RED bound it ("port in use").
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  for (let tries = 0; low > 12_000 && tries < 50; tries++) {
    const port = 10_000 + Math.floor(Math.random() * (low - 10_000));
    if (await canListen(port)) return port;
  }
  return listenOn(0);
}

function ephemeralLow(): number {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 0;
  } catch {
    return 0; // not Linux: the system's choice
  }
}

function canListen(port: number): Promise<boolean> {
  return listenOn(port).then(
    () => true,
    () => false,
  );
}

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message())), ms);
    }),
  ]);
}
