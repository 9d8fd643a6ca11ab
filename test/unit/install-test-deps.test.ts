// scripts/install-test-deps.sh, which finds (or installs) the browser for the browser tests and redis-server for
// the tests of several instances, run in made-up machines: PATH holds only fake `id`, `sudo` and `apt-get`
// commands, and the usual /usr/bin/chromium and /usr/bin/redis-server are moved to paths of the test's choosing
// (TUNEWIRE_SYSTEM_CHROMIUM, TUNEWIRE_SYSTEM_REDIS). Nothing is installed for real.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../support/node-red-process';

const SCRIPT = path.join(PACKAGE_ROOT, 'scripts', 'install-test-deps.sh');
const BASH = ['/bin/bash', '/usr/bin/bash'].find((p) => fs.existsSync(p)) ?? 'bash';

interface Machine {
  uid: number;
  /** sudo exists and works without a password. */
  sudo?: 'works' | 'needs-password';
  /** apt-get exists; 'provides' makes `apt-get install -y chromium` create the system chromium. */
  aptGet?: 'provides' | 'fails';
}

describe('scripts/install-test-deps.sh', function () {
  this.timeout(30_000);
  let dir: string;
  let bin: string;
  let systemChromium: string;
  let systemRedis: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-deps-'));
    bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    systemChromium = path.join(dir, 'usr-bin-chromium');
    systemRedis = path.join(dir, 'usr-bin-redis-server');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function fake(name: string, body: string): void {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }

  function runScript(
    machine: Machine,
    env: Record<string, string> = {},
    args: string[] = [],
  ): { status: number | null; stdout: string; stderr: string } {
    fake('id', `[ "$1" = -u ] && echo ${machine.uid}`);
    if (machine.sudo === 'works') fake('sudo', '[ "$1" = -n ] && shift; case "$1" in *=*) export "$1"; shift ;; esac; "$@"');
    if (machine.sudo === 'needs-password') fake('sudo', 'echo "sudo: a password is required" >&2; exit 1');
    if (machine.aptGet === 'provides') {
      // `apt-get install -y <package>` makes /usr/bin/<package> (here: usr-bin-<package> in the test's folder).
      fake('apt-get', `[ "$1" = install ] && { printf '#!/bin/sh\\n' > "${dir}/usr-bin-$3"; /bin/chmod +x "${dir}/usr-bin-$3"; }; exit 0`);
    }
    if (machine.aptGet === 'fails') fake('apt-get', 'echo "E: permission denied" >&2; exit 100');
    const result = spawnSync(BASH, [SCRIPT, ...args], {
      cwd: PACKAGE_ROOT,
      env: { PATH: bin, HOME: dir, TUNEWIRE_SYSTEM_CHROMIUM: systemChromium, TUNEWIRE_SYSTEM_REDIS: systemRedis, ...env },
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('without root, sudo or apt-get: exits 0, names no browser, and says loudly that the browser tests are skipped', () => {
    const r = runScript({ uid: 1000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /BROWSER TESTS WILL BE SKIPPED/);
    assert.match(r.stderr, /CHROMIUM_PATH=\/path\/to\/chrome npm test/);
  });

  it('with a sudo that wants a password and no terminal: skips the same way', () => {
    const r = runScript({ uid: 1000, sudo: 'needs-password', aptGet: 'provides' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /BROWSER TESTS WILL BE SKIPPED: no Chrome or Chromium found \(this user is not root and cannot use sudo\)/);
    assert.equal(fs.existsSync(systemChromium), false, 'apt-get was not run');
  });

  it('with CI=true the browser is required: exits 1 and says how to provide one', () => {
    const r = runScript({ uid: 1000 }, { CI: 'true' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /CI=true requires them/);
    assert.match(r.stderr, /CHROMIUM_PATH/);
  });

  it('with CI=true and an apt-get that fails as root: exits 1', () => {
    const r = runScript({ uid: 0, aptGet: 'fails' }, { CI: 'true' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /apt-get could not install chromium/);
  });

  it('as root with apt-get: installs chromium and prints its path', () => {
    const r = runScript({ uid: 0, aptGet: 'provides' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), systemChromium);
  });

  it('through a sudo that works without a password: installs chromium and prints its path', () => {
    const r = runScript({ uid: 1000, sudo: 'works', aptGet: 'provides' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), systemChromium);
  });

  it('uses CHROMIUM_PATH when it names an executable, installing nothing', () => {
    const chrome = path.join(dir, 'my-chrome');
    fs.writeFileSync(chrome, '#!/bin/sh\n', { mode: 0o755 });
    const r = runScript({ uid: 1000, sudo: 'works', aptGet: 'provides' }, { CHROMIUM_PATH: chrome, CI: 'true' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), chrome);
    assert.equal(fs.existsSync(systemChromium), false);
  });

  it('fails when CHROMIUM_PATH names nothing executable, naming it', () => {
    const r = runScript({ uid: 1000 }, { CHROMIUM_PATH: path.join(dir, 'no-such-chrome') });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /CHROMIUM_PATH=.*no-such-chrome is not an executable file/);
  });

  it('finds a chromium on PATH', () => {
    fake('chromium', 'exit 0');
    const r = runScript({ uid: 1000 }, { CI: 'true' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), path.join(bin, 'chromium'));
  });

  describe('redis', () => {
    it('without root or sudo: exits 0, names nothing, and says loudly that the Redis tests are skipped', () => {
      const r = runScript({ uid: 1000, aptGet: 'provides' }, {}, ['redis']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(fs.existsSync(systemRedis), false, 'apt-get was not run');
      assert.match(r.stderr, /REDIS TESTS \(several instances\) WILL BE SKIPPED: no redis-server found \(this user is not root/);
      assert.match(r.stderr, /sudo apt-get install redis-server/);
    });

    it('with CI=true Redis is required: exits 1 and says how to provide it', () => {
      const r = runScript({ uid: 1000 }, { CI: 'true' }, ['redis']);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /CI=true requires them/);
      assert.match(r.stderr, /REDIS_SERVER_PATH/);
    });

    it("as root with apt-get: installs Debian's redis-server (not chromium) and prints its path", () => {
      const r = runScript({ uid: 0, aptGet: 'provides' }, {}, ['redis']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), systemRedis);
      assert.equal(fs.existsSync(systemChromium), false);
    });

    it('through a sudo that works without a password: installs redis-server', () => {
      const r = runScript({ uid: 1000, sudo: 'works', aptGet: 'provides' }, { CI: 'true' }, ['redis']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), systemRedis);
    });

    it('finds the system redis-server, and one on PATH, installing nothing', () => {
      fake('redis-server', 'exit 0');
      assert.equal(runScript({ uid: 0, aptGet: 'provides' }, {}, ['redis']).stdout.trim(), path.join(bin, 'redis-server'));
      fs.writeFileSync(systemRedis, '#!/bin/sh\n', { mode: 0o755 });
      assert.equal(runScript({ uid: 1000 }, { CI: 'true' }, ['redis']).stdout.trim(), systemRedis);
    });

    it('uses REDIS_SERVER_PATH when it names an executable, and fails naming it when it does not', () => {
      const own = path.join(dir, 'my-redis');
      fs.writeFileSync(own, '#!/bin/sh\n', { mode: 0o755 });
      assert.equal(runScript({ uid: 1000 }, { REDIS_SERVER_PATH: own, CI: 'true' }, ['redis']).stdout.trim(), own);
      const r = runScript({ uid: 1000 }, { REDIS_SERVER_PATH: path.join(dir, 'none') }, ['redis']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /REDIS_SERVER_PATH=.*none is not an executable file/);
    });

    it('refuses a program it does not know', () => {
      const r = runScript({ uid: 0 }, {}, ['postgres']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /unknown program 'postgres'/);
    });
  });
});
