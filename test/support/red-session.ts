// A real Node-RED process with the pack installed, a simulator it talks to, and what a test needs around
// them: authorize through the HTTP admin API (with a bearer token when adminAuth is on), trigger inject nodes,
// deploy, and capture what the editor would receive over its websocket (debug output and node statuses).
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { loadModule } from './load-module';
import { BASIC_TEST_SCOPES } from './scopes';
import { NodeRedProcess, freePort, resolveNodeRed } from './node-red-process';

export const SESSION_CLIENT_ID = 'session-client';
export const SESSION_CLIENT_SECRET = 'session-secret-4f1c9a7e2b';
export const SESSION_ACCOUNT = 'acc';

export interface RedSessionOptions {
  /** The flow's nodes; the account node (id SESSION_ACCOUNT) is added. Gets the simulator to pick real IDs. */
  flows?: (sim: Simulator) => Record<string, unknown>[];
  /** Extra settings.js entries (adminAuth, credentialSecret, …). */
  settings?: Record<string, unknown>;
  /** Extra `spotifyAccount` settings (timeoutSeconds, maxRetries, …). */
  pack?: Record<string, unknown>;
  simulator?: SimulatorOptions;
  scopes?: string;
  /** The account node's stored type and extra properties (an older flow's, e.g. `{type: 'tunewire-account'}`). */
  account?: Record<string, unknown>;
  /** Options for the Node.js running Node-RED (e.g. `--max-old-space-size=256`). */
  nodeArgs?: string[];
  /** Extra environment variables for the Node-RED process (DEBUG, …). */
  env?: NodeJS.ProcessEnv;
}

/** A frame the editor's websocket received: `{topic, data}`. */
export interface CommsEvent {
  topic: string;
  data: unknown;
}

interface WsLike {
  on(event: 'message', fn: (data: Buffer) => void): void;
  on(event: 'open' | 'close', fn: () => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  send(data: string): void;
  close(): void;
}

export class RedSession {
  /** Every websocket frame as received (raw text), for secret scans. */
  readonly commsRaw: string[] = [];
  readonly comms: CommsEvent[] = [];
  private ws: WsLike | undefined;

  private constructor(
    readonly sim: Simulator,
    readonly red: NodeRedProcess,
    readonly userDir: string,
    readonly storeKey: string,
  ) {}

  static async start(opts: RedSessionOptions = {}): Promise<RedSession> {
    const port = await freePort();
    const sim = await startSimulator({
      apps: [
        { clientId: SESSION_CLIENT_ID, clientSecret: SESSION_CLIENT_SECRET, redirectUris: [`http://127.0.0.1:${port}/tunewire/callback`] },
      ],
      ...opts.simulator,
    });
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-session-'));
    const account = {
      id: SESSION_ACCOUNT,
      type: 'spotify-account',
      name: 'session account',
      clientId: SESSION_CLIENT_ID,
      scopes: opts.scopes ?? BASIC_TEST_SCOPES.join(' '),
      ...opts.account,
    };
    const nodes = opts.flows?.(sim) ?? [];
    const flows = [{ id: 'tab', type: 'tab', label: 'session' }, account, ...nodes.map((n) => ({ z: 'tab', x: 100, y: 100, ...n }))];
    const storeKey = newStoreKey();
    const red = new NodeRedProcess({
      userDir,
      port,
      settings: {
        spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, maxRetryAfterSeconds: 5, timeoutSeconds: 5, ...opts.pack },
        ...opts.settings,
      },
      flows,
      nodeArgs: opts.nodeArgs,
      env: opts.env,
      credentials: credentialsFile(
        { [SESSION_ACCOUNT]: { clientSecret: SESSION_CLIENT_SECRET, storeKey } },
        opts.settings?.credentialSecret,
      ),
    });
    const session = new RedSession(sim, red, userDir, storeKey);
    try {
      await session.red.start();
    } catch (err) {
      await sim.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
      throw err;
    }
    return session;
  }

  get url(): string {
    return this.red.url;
  }

  /** A JSON request to the admin API; `token` is an adminAuth bearer token. */
  async call(
    method: string,
    route: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; text: string; json: unknown; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${this.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  }

  /** Authorize Access as the editor does it, then the browser's trip through the consent page and callback. */
  async authorize(token?: string): Promise<{ location: string; callbackStatus: number; callbackPage: string; callbackHeaders: Headers }> {
    const start = await this.call(
      'POST',
      '/tunewire/authorize',
      {
        accountId: SESSION_ACCOUNT,
        clientId: SESSION_CLIENT_ID,
        scopes: [...BASIC_TEST_SCOPES],
        redirectUri: `${this.url}/tunewire/callback`,
      },
      token,
    );
    if (start.status !== 200) throw new Error(`authorize: ${start.status} ${start.text}`);
    const location = await this.sim.consent((start.json as { authorizeUrl: string }).authorizeUrl, 'approve');
    const page = await fetch(location);
    return { location, callbackStatus: page.status, callbackPage: await page.text(), callbackHeaders: page.headers };
  }

  /** Presses an inject node's button (POST /inject/:id), as the editor does. */
  async inject(id: string, token?: string): Promise<void> {
    const res = await this.call('POST', `/inject/${id}`, undefined, token);
    if (res.status !== 200) throw new Error(`inject ${id}: ${res.status} ${res.text}`);
  }

  /** A full Deploy of the flows as they are (GET /flows, POST /flows), which re-saves the credentials file. */
  async deploy(token?: string): Promise<void> {
    const flows = await this.call('GET', '/flows', undefined, token);
    const res = await fetch(`${this.url}/flows`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'Node-RED-Deployment-Type': 'full',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: flows.text,
    });
    if (res.status !== 200 && res.status !== 204) throw new Error(`deploy: ${res.status} ${await res.text()}`);
  }

  /** Opens the editor's websocket and records debug messages and node statuses from now on. */
  async listen(token?: string): Promise<void> {
    const nodeRedDir = path.dirname(resolveNodeRed('node-red/package.json'));
    const WebSocket = loadModule<new (url: string) => WsLike>(require.resolve('ws', { paths: [nodeRedDir] }));
    const ws = new WebSocket(`ws://127.0.0.1:${this.red.port}/comms`);
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    let authorized: () => void = () => undefined;
    const authOk = new Promise<void>((resolve) => (authorized = resolve));
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      this.commsRaw.push(text);
      const parsed = JSON.parse(text) as CommsEvent | CommsEvent[] | { auth?: string };
      if (!Array.isArray(parsed) && 'auth' in parsed && parsed.auth === 'ok') authorized();
      for (const ev of Array.isArray(parsed) ? parsed : [parsed])
        if (ev && 'topic' in ev && typeof ev.topic === 'string') this.comms.push(ev);
    });
    if (token) {
      // With adminAuth, Node-RED ignores subscriptions sent before it has accepted the token.
      ws.send(JSON.stringify({ auth: token }));
      await authOk;
    }
    ws.send(JSON.stringify({ subscribe: 'debug' }));
    ws.send(JSON.stringify({ subscribe: 'status/#' }));
    this.ws = ws;
    await new Promise((r) => setTimeout(r, 200)); // subscriptions are handled asynchronously
  }

  /** Debug sidebar messages of one debug node. */
  debug(nodeId: string): { msg: string; format?: string }[] {
    return this.comms
      .filter((e) => e.topic === 'debug' && (e.data as { id?: string }).id === nodeId)
      .map((e) => e.data as { msg: string; format?: string });
  }

  /** Waits until `count` debug messages of `nodeId` arrived. */
  async waitForDebug(nodeId: string, count: number, timeoutMs = 15_000): Promise<{ msg: string; format?: string }[]> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const got = this.debug(nodeId);
      if (got.length >= count) return got;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.debug(nodeId).length} of ${count} debug messages from ${nodeId}; log:\n${this.red.log.slice(-2000)}`);
  }

  /** Every file Node-RED and the pack wrote into the user directory (not the linked package), by name. */
  userFiles(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.name === 'node_modules') continue;
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) out[path.relative(this.userDir, full)] = fs.readFileSync(full, 'utf8');
      }
    };
    walk(this.userDir);
    return out;
  }

  async stop(): Promise<void> {
    this.ws?.close();
    await this.red.stop('SIGKILL');
    await this.sim.stop();
    fs.rmSync(this.userDir, { recursive: true, force: true });
  }
}

/**
 * The credentials file as Node-RED writes it: in clear without a credentialSecret, otherwise encrypted the way
 * its runtime does (AES-256-CTR, key SHA-256 of the secret, `{"$": hex iv + base64}`) — as a user's file is.
 */
function credentialsFile(creds: Record<string, Record<string, string>>, credentialSecret: unknown): Record<string, Record<string, string>> {
  if (typeof credentialSecret !== 'string' || credentialSecret === '') return creds;
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-ctr', createHash('sha256').update(credentialSecret).digest(), iv);
  const data = iv.toString('hex') + cipher.update(JSON.stringify(creds), 'utf8', 'base64') + cipher.final('base64');
  return { $: data } as unknown as Record<string, Record<string, string>>;
}

/** A bcrypt hash made with the bcryptjs that Node-RED itself ships (and uses to check adminAuth passwords). */
export function bcryptHash(password: string): string {
  const nodeRedDir = path.dirname(resolveNodeRed('node-red/package.json'));
  const bcrypt = loadModule<{ hashSync(p: string, rounds: number): string }>(require.resolve('bcryptjs', { paths: [nodeRedDir] }));
  return bcrypt.hashSync(password, 8);
}

/** An adminAuth bearer token, as the editor's login gets one (`scope` must be within the user's permissions). */
export async function adminToken(baseUrl: string, username: string, password: string, scope = '*'): Promise<string> {
  const res = await fetch(`${baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope, username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

const EDITOR_USERS = [
  { username: 'admin', password: 'admin-pass-7', permissions: '*' },
  { username: 'reader', password: 'reader-pass-7', permissions: 'read' },
] as const;

/** settings.js entries for adminAuth with two editor users: "admin" (every permission) and "reader" (read only). */
export function twoEditorUsers(): Record<string, unknown> {
  return {
    adminAuth: {
      type: 'credentials',
      users: EDITOR_USERS.map((u) => ({ username: u.username, password: bcryptHash(u.password), permissions: u.permissions })),
    },
  };
}

/** The two users' bearer tokens, as the editor's login gets them. */
export async function editorTokens(baseUrl: string): Promise<{ admin: string; reader: string }> {
  const [admin, reader] = EDITOR_USERS;
  return {
    admin: await adminToken(baseUrl, admin.username, admin.password),
    reader: await adminToken(baseUrl, reader.username, reader.password, 'read'),
  };
}
