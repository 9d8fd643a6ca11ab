// A real redis-server in its own process on a free port of 127.0.0.1, for the tests of several Node-RED
// instances sharing one store. Found the way scripts/install-test-deps.sh finds it (REDIS_SERVER_PATH, Debian's
// /usr/bin/redis-server, PATH); the data is kept in an append-only file written on every change, so a kill -9
// and a start again find what was there (as a production Redis with persistence would).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trackChild } from './child-registry';
import { freePort } from './node-red-process';

/** The redis-server to run, or undefined when this machine has none (then the tests say so and skip). */
export function redisServerPath(): string | undefined {
  if (process.env.TUNEWIRE_SKIP_REDIS) return undefined;
  const given = process.env.REDIS_SERVER_PATH;
  if (given) return given;
  if (fs.existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The redis-server to run; skips the test (loudly) where this machine has none; with CI=true that fails. */
export function requireRedis(ctx: Mocha.Context): string {
  const binary = redisServerPath();
  if (binary) return binary;
  if (process.env.CI === 'true') throw new Error('redis-server is required with CI=true (scripts/install-test-deps.sh redis)');
  console.log('      SKIPPED: no redis-server on this machine (scripts/install-test-deps.sh redis says how to get one)');
  ctx.skip();
}

/** A started redis-server, or the test skipped as requireRedis says. */
export async function startRedisOrSkip(ctx: Mocha.Context): Promise<RedisServer> {
  const redis = new RedisServer(requireRedis(ctx));
  await redis.start();
  return redis;
}

export class RedisServer {
  private child: ChildProcess | undefined;
  port = 0;
  readonly dir: string;
  private output = '';

  constructor(private readonly binary: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-redis-'));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (on the same port as before, after a stop) and resolves once it accepts connections. */
  async start(): Promise<void> {
    this.port ||= await freePort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes'];
    args.push('--appendfsync', 'always', '--protected-mode', 'no', '--daemonize', 'no');
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = trackChild(child, `redis-server on port ${this.port}`);
    this.output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 20 s:\n${this.output}`)), 20_000);
      const onData = (chunk: Buffer): void => {
        this.output += chunk.toString('utf8');
        if (/Ready to accept connections/.test(this.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}) before it was ready:\n${this.output}`));
      });
    });
  }

  /** SIGKILL: Redis goes away the hard way, mid-flow. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT'); // a frozen server acts on no other signal than SIGKILL
    child.kill(signal);
    await exited;
  }

  /** SIGSTOP: Redis freezes with its connections open, answering nothing (a hung server, or a network that drops
   *  packets without a reset). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT: it wakes up and works through what was sent meanwhile. */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async remove(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
