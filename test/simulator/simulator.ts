// The Simulator object: owns the state and services, starts the HTTP server on 127.0.0.1 and exposes the
// controls tests use.

import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Accounts } from './accounts';
import { ApiService } from './api';
import { AppRegistry } from './apps';
import { handleControl } from './control';
import { ME, SimStore } from './data';
import { buildSearchIndexes } from './api/search';
import { LazyList } from './lazy-list';
import { Faults } from './faults';
import { apiErrorBody } from './errors';
import type { ParsedRequest, SimResponse } from './http';
import { RateWindow } from './rate-window';
import { parseUri } from './ids';
import { Render } from './objects';
import { Playback } from './playback';
import { RequestLog } from './request-log';
import { applyKept, dataKey, KeptFile, keptText, readKept } from './persist';
import { createSimServer, type Handlers } from './server';
import { TokenStore, type SavedRefreshToken } from './tokens';
import type {
  FaultRule,
  RateLimitSettings,
  RequestFilter,
  SimApp,
  SimPlaylist,
  SimPlaylistEntry,
  SimRequest,
  SimState,
  Simulator,
  SimulatorOptions,
} from './types';

const SIX_MONTHS_SECONDS = 183 * 24 * 3600;
export const DEFAULT_APP: SimApp = { clientId: 'sim-client-id', clientSecret: 'sim-client-secret', redirectUris: [] };

export class SimulatorImpl implements Simulator {
  private readonly store: SimStore;
  readonly restored: boolean;
  /** Where the state is kept across runs (options.persist), or undefined: nothing is kept. */
  private readonly keptFile: KeptFile | undefined;
  private readonly apps = new AppRegistry();
  private readonly tokens: TokenStore;
  private readonly faults: Faults;
  private readonly log = new RequestLog();
  private readonly playback: Playback;
  private readonly server: Server;
  private latencyMs: number;
  private rateWindow: RateWindow | undefined;
  private handlers: Handlers | undefined;
  private baseUrl = '';

  constructor(private readonly options: SimulatorOptions) {
    const seed = options.seed ?? 1;
    this.tokens = new TokenStore(
      options.tokenLifetimeSeconds ?? 3600,
      options.refreshTokenLifetimeSeconds ?? SIX_MONTHS_SECONDS,
      options.rotateRefreshTokens ?? false,
    );
    for (const saved of options.refreshTokens ?? []) this.tokens.restoreRefreshToken(saved);
    const seeded = (): SimStore => new SimStore(seed, options.data ?? {}, Date.now());
    this.store = seeded();
    this.restored = false;
    if (options.persist) {
      const { file } = options.persist;
      const log = options.persist.log ?? ((line: string) => process.stderr.write(`${line}\n`));
      const key = dataKey(seed, options.data);
      const kept = readKept(file, key);
      let problem = kept && 'unusable' in kept ? kept.unusable : undefined;
      if (kept && !('unusable' in kept)) {
        try {
          applyKept(this.store, this.tokens, kept, Date.now());
          this.restored = true;
        } catch (err) {
          problem = (err as Error).message;
          this.store = seeded(); // the kept state went in only part of the way
        }
      }
      if (problem) log(`simulator: could not use ${file} (${problem}); starting from the seeded playlists and library`);
      this.keptFile = new KeptFile(
        file,
        () => {
          this.playback.settle(); // plays that ended since the last request are part of what is kept
          return keptText(this.store, this.tokens, key);
        },
        log,
      );
    }
    this.faults = new Faults(seed);
    this.playback = new Playback(this.store);
    this.latencyMs = options.latencyMs ?? 0;
    if (options.rateLimit) this.rateWindow = new RateWindow(options.rateLimit);
    for (const app of options.apps ?? [DEFAULT_APP]) this.apps.register(app);
    this.server = createSimServer({
      handlers: () => {
        if (!this.handlers) throw new Error('simulator not started');
        return this.handlers;
      },
      faults: this.faults,
      log: this.log,
      latencyMs: () => this.latencyMs,
      rateLimit: (req, kind) => this.rateLimited(req, kind),
    });
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    // Hrefs and paging links are absolute, so the API needs the port before it answers anything.
    const render = new Render(this.store, this.apiUrl);
    const api = new ApiService(this.store, this.tokens, render, this.apiUrl, this.playback, { premium: this.options.premium ?? true });
    const accounts = new Accounts(this.apps, this.tokens, this.store.me);
    // Any request may change what is kept (a write, a token, a play that ended meanwhile): the file compares.
    const kept = <T>(answer: T): T => {
      this.keptFile?.changed();
      return answer;
    };
    this.handlers = {
      api: (req) => kept(api.handle(req)),
      accounts: (req) => kept(accounts.handle(req)),
      control: async (req) => kept(await handleControl(this, req)),
    };
  }

  get url(): string {
    return this.baseUrl;
  }
  get apiUrl(): string {
    return `${this.baseUrl}/v1`;
  }
  get state(): SimState {
    this.playback.settle();
    return this.store;
  }
  get requests(): SimRequest[] {
    return this.log.entries;
  }

  registerApp(app: SimApp): void {
    this.apps.register(app);
  }
  addRedirectUri(clientId: string, uri: string): void {
    this.apps.addRedirectUri(clientId, uri);
  }
  addFault(rule: FaultRule): number {
    return this.faults.add(rule);
  }
  removeFault(id: number): void {
    this.faults.remove(id);
  }
  clearFaults(): void {
    this.faults.clear();
  }
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }
  setRateLimit(settings: RateLimitSettings | undefined): void {
    this.rateWindow = settings ? new RateWindow(settings) : undefined;
  }
  setTokenLifetime(seconds: number): void {
    this.tokens.tokenLifetimeSeconds = seconds;
  }
  setRotateRefreshTokens(on: boolean): void {
    this.tokens.rotateRefreshTokens = on;
  }
  setTokenEndpointDown(down: boolean): void {
    this.tokens.endpointDown = down;
  }
  expireAccessTokens(): void {
    this.tokens.expireAccessTokens();
    this.keptFile?.changed();
  }
  revokeTokens(): void {
    this.tokens.revokeAll();
    this.keptFile?.changed();
  }
  expireRefreshTokens(): void {
    this.tokens.expireRefreshTokens();
    this.keptFile?.changed();
  }
  setDisplayName(name: string): void {
    // In place: the consent page, /me and playlist owners all hold this user object.
    (this.store.me as { display_name: string }).display_name = name;
    this.keptFile?.changed();
  }
  createPlaylist(name: string): SimPlaylist {
    const p = this.store.addPlaylist(name, '', ME, false, false, [], LazyList.of<SimPlaylistEntry>([]));
    this.store.myPlaylists.unshift(p.id);
    return p;
  }
  deletePlaylist(id: string): void {
    if (!this.store.playlistMap.delete(id)) throw new Error(`No playlist ${id}`);
    const at = this.store.myPlaylists.indexOf(id);
    if (at >= 0) this.store.myPlaylists.splice(at, 1);
  }
  liveRefreshTokens(): SavedRefreshToken[] {
    return this.tokens.liveRefreshTokens();
  }

  issuedSecrets(): { codes: string[]; accessTokens: string[]; refreshTokens: string[]; verifiers: string[] } {
    return this.tokens.issued();
  }

  play(uri: string, opts: { deviceId?: string; progressMs?: number; contextUri?: string } = {}): void {
    const parsed = parseUri(uri);
    if (typeof parsed === 'string' || !['track', 'episode', 'chapter'].includes(parsed.type)) throw new Error(`Not a playable URI: ${uri}`);
    if (opts.deviceId !== undefined && !this.playback.device(opts.deviceId)) throw new Error(`No device ${opts.deviceId}`);
    const contextItems = opts.contextUri ? this.playback.contextItems(opts.contextUri) : [];
    if (!contextItems) throw new Error(`Unknown context ${opts.contextUri}`);
    this.playback.start(uri, {
      deviceId: opts.deviceId,
      progressMs: opts.progressMs,
      contextUri: opts.contextUri ?? null,
      contextItems,
      contextPos: contextItems.indexOf(uri),
    });
    this.keptFile?.changed();
  }

  pause(): void {
    this.playback.settle();
    this.playback.pause();
    this.keptFile?.changed();
  }

  resume(): void {
    this.playback.settle();
    if (!this.playback.resume()) throw new Error('Nothing to resume: nothing was ever played');
    // Resuming on the phone wakes the phone's player when no device was active.
    const p = this.store.playerRec;
    p.deviceId ??= p.devices[0].id;
    this.keptFile?.changed();
  }

  next(): void {
    this.playback.settle();
    if (!this.playback.activeDevice()) throw new Error('No active device');
    this.playback.next();
    this.keptFile?.changed();
  }

  async consent(authorizeUrl: string, decision: 'approve' | 'deny'): Promise<string> {
    const u = new URL(authorizeUrl, this.baseUrl);
    const page = await this.http('GET', u.pathname + u.search);
    if (page.status === 302 && page.location) return page.location;
    const m = /name="consent_id" value="([^"]+)"/.exec(page.body);
    if (page.status !== 200 || !m)
      throw new Error(
        `authorize answered ${page.status}: ${page.body
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim()}`,
      );
    const form = new URLSearchParams({ consent_id: m[1], decision }).toString();
    const answer = await this.http('POST', '/authorize/decision', form);
    if (answer.status !== 302 || !answer.location) throw new Error(`consent answered ${answer.status}: ${answer.body}`);
    return answer.location;
  }

  /** Builds the search indexes now, not on the first search of each type (see buildSearchIndexes). */
  buildSearchIndexes(): void {
    buildSearchIndexes(this.store.catalogue);
  }

  clearRequests(): void {
    this.log.clear();
  }
  count(filter?: RequestFilter): number {
    return this.log.count(filter);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.keptFile?.flush();
  }

  /** The 429 Spotify's rate limit answers, counted against the app the request comes from (its token's app for
   *  the API, its client id at the token endpoint); requests no app can be told from are left to the services. */
  private rateLimited(req: ParsedRequest, kind: SimRequest['kind']): SimResponse | undefined {
    if (!this.rateWindow) return undefined;
    const clientId = kind === 'api' ? this.apiClient(req) : req.path === '/api/token' ? tokenClient(req) : undefined;
    const app = this.apps.get(clientId);
    if (!app) return undefined;
    const decision = this.rateWindow.admit(app.clientId, app.developer ?? app.clientId, Date.now());
    if (decision.ok) return undefined;
    const headers = { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(decision.retryAfter) };
    const body =
      kind === 'api'
        ? apiErrorBody(429, 'Too many requests', decision.reason)
        : { error: 'rate_limited', error_description: 'Too many requests', ...(decision.reason ? { reason: decision.reason } : {}) };
    return { status: 429, headers, body: JSON.stringify(body) };
  }

  private apiClient(req: ParsedRequest): string | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return m ? this.tokens.accessGrant(m[1])?.clientId : undefined;
  }

  /** A real request to this server (not fetch: a 302 must come back as is). */
  private http(method: string, path: string, form?: string): Promise<{ status: number; location: string | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> =
        form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form) };
      const req = request(`${this.baseUrl}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(form);
    });
  }
}

/** The client id a token request names: HTTP Basic, or client_id in the form. */
function tokenClient(req: ParsedRequest): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic) return Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
  return new URLSearchParams(req.body.toString('utf8')).get('client_id') ?? undefined;
}
