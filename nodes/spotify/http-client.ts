// The one way the pack calls Spotify's Web API: bearer token, a new one after a 401, the app's shared 429
// cooldown and pacing, bounded retries with backoff for requests that are safe to repeat, and errors that explain.
import type { Got, Progress, Response } from 'got' with { 'resolution-mode': 'import' };
import { ACCEPTED_ENCODINGS, AnswerRefused, answerText, MAX_ANSWER_BYTES, nestsTooDeep, tooDeep, tooLarge } from './answer-body';
import { locationHost, pathUnderApi } from './api-links';
import { AuthorizationError, SpotifyApiError } from './errors';
import { answeredTo, explainError, spotifyErrorFields, statusInWords } from './explain';
import { Cooldown, DEFAULT_MAX_COOLDOWN_MS, Pacer, RateLimitedError, sleep, type RequestPacer } from './rate-limit';
import { describeProxy, proxyAgents, proxyFor, type ProxyAgents, type ProxyConfig } from './proxy';
import type { ForbiddenHint } from './operations';
import { unmetRequirements, type ScopeRequirement } from './scopes';
import { say } from './words';

// got 14 is ESM-only; Node-RED loads nodes with require(), so it is loaded once through a real import().
let gotModule: Promise<Got> | undefined;
function loadGot(): Promise<Got> {
  gotModule ??= import('got').then((m) => m.default);
  return gotModule;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null;

export interface ApiRequest {
  method: HttpMethod;
  /** Relative to the Web API base ("/me/playlists"), or an absolute `next` link Spotify gave. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (e.g. a base64 JPEG), instead of `body`. */
  rawBody?: { data: string | Buffer; contentType: string };
  /** Repeating it cannot apply it twice. Default: true for GET, PUT and DELETE; false for POST. */
  idempotent?: boolean;
  /** Checked against the granted scopes before sending. */
  scopes?: ScopeRequirement;
  /** What a 403 most likely means here. */
  forbiddenHint?: ForbiddenHint;
  signal?: AbortSignal;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** What answers a 401: the token to try next. */
export interface RenewedToken {
  accessToken: string;
  /**
   * Spotify issued it after the 401 was seen, so the same lapse cannot have hit it: a 401 for it ends the request.
   * False for a token already held or brought by another request or process, which may predate an early expiry.
   */
  requestedAfter: boolean;
}

export interface AccessTokens {
  getAccessToken(): Promise<string>;
  refreshAfterRejected(rejected: string): Promise<RenewedToken>;
  grantedScopes(): string[] | undefined;
}

/**
 * Most tokens one request tries: the one held, one another refresh brought (it may have lapsed with the held
 * one), one requested for this request. Bounds a request while the tokens keep changing under it.
 */
const MAX_TOKENS_TRIED = 3;

export interface RetryPolicy {
  /** Retries after 5xx or a network error, for requests safe to repeat. */
  maxRetries: number;
  /** Backoff base: attempt n waits about base·2^n (with jitter), at most maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** A 429 whose Retry-After is longer than this fails at once with the time to retry; so does one that would
   *  bring the Retry-After waits of one request, added up, beyond it. */
  maxRetryAfterMs: number;
  /** The longest a 429 stops the app's requests, whatever Retry-After says (the app's Cooldown takes it). */
  maxCooldownMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  backoffMs: 300,
  maxBackoffMs: 5000,
  maxRetryAfterMs: 60_000,
  maxCooldownMs: DEFAULT_MAX_COOLDOWN_MS,
  timeoutMs: 15_000,
};

/** Counts requests per client, for `msg.spotify.requests` and the benchmarks. */
export interface RequestCounter {
  requests: number;
}

const HOUR_MS = 3_600_000;

export class SpotifyHttpClient {
  /** When each request of the last hour went out (epoch ms, oldest first), for the account's health. */
  private readonly sent: number[] = [];

  constructor(
    private readonly apiUrl: string,
    private readonly tokens: AccessTokens,
    readonly cooldown: Cooldown,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    /** Shared by the app's clients like the cooldown (and by its processes, with a shared store); a one-off
     *  client needs none. */
    readonly pacer: RequestPacer = new Pacer(),
    proxy?: ProxyConfig,
  ) {
    this.agent = proxyAgents(new URL(apiUrl), proxy);
    const via = proxyFor(new URL(apiUrl), proxy);
    this.via = via === undefined ? undefined : describeProxy(via);
  }

  /** The proxy's host (never its credentials), for error texts. */
  private readonly via: string | undefined;

  /** The proxy's connection agent, when requests go through one. */
  private readonly agent: ProxyAgents | undefined;

  /** Requests sent to the Web API in the last hour (by every node of this account). */
  requestsInLastHour(now: number = Date.now()): number {
    this.prune(now);
    return this.sent.length;
  }

  private prune(now: number): void {
    let old = 0;
    while (old < this.sent.length && this.sent[old] <= now - HOUR_MS) old++;
    if (old) this.sent.splice(0, old);
  }

  async request<T = unknown>(req: ApiRequest, counter?: RequestCounter): Promise<ApiResponse<T>> {
    const got = await loadGot();
    const url = this.urlFor(req);
    const path = this.relativePath(url);
    const idempotent = req.idempotent ?? req.method !== 'POST';

    let failures = 0;
    let waitedMs = 0;
    let tokensRejected = 0;
    let renewed: string | undefined; // requested after this request's 401: its own 401 is final
    for (;;) {
      // The token first, then a place in the window, the cooldown last: a refresh or the pacing can take a while,
      // and a 429 another request met meanwhile must hold this one back too. Only got's own set-up lies between
      // the end of the wait and the send.
      const token = await this.tokens.getAccessToken();
      // After the token: the granted scopes are known only once the store was read (the first request after a
      // deploy too), and nothing has been sent yet.
      this.checkScopes(req, path);
      const ticket = await this.pacer.take(req.signal);
      try {
        await this.cooldown.wait(this.policy.maxRetryAfterMs, req.signal);
      } catch (err) {
        this.pacer.release(ticket);
        if (err instanceof RateLimitedError) throw rateLimitError(req.method, path, err, false);
        throw err;
      }
      let res: Response<Buffer>;
      let text: string;
      this.pacer.started(ticket);
      try {
        if (counter) counter.requests++;
        const now = Date.now();
        this.prune(now);
        this.sent.push(now);
        const sending = got(url, {
          method: req.method,
          headers: { ...headersFor(token, req), 'accept-encoding': ACCEPTED_ENCODINGS },
          body: req.rawBody ? req.rawBody.data : req.body !== undefined ? JSON.stringify(req.body) : undefined,
          throwHttpErrors: false,
          // A redirect would carry the request (a track list, the user's data) to whatever host it names.
          followRedirect: false,
          retry: { limit: 0 },
          timeout: { request: this.policy.timeoutMs },
          signal: req.signal,
          agent: this.agent,
          // Decompressed in answerText, under the size bound.
          decompress: false,
          responseType: 'buffer',
        });
        // The announced length, then every chunk: an answer past the bound is cut off before it is all read.
        let refused = false;
        void sending.on('downloadProgress', (p: Progress) => {
          if (refused || (p.transferred <= MAX_ANSWER_BYTES && (p.total ?? 0) <= MAX_ANSWER_BYTES)) return;
          refused = true;
          sending.cancel();
        });
        res = await sending.catch((err: unknown) => {
          throw refused ? tooLarge() : err;
        });
        text = await answerText(res.body, res.headers['content-encoding']);
      } catch (err) {
        this.pacer.answered(ticket); // it may have reached Spotify and been counted
        if (req.signal?.aborted) throw err;
        if (err instanceof AnswerRefused) throw refusedAnswerError(req.method, path, err, idempotent);
        if (idempotent && failures < this.policy.maxRetries) {
          await sleep(this.backoff(failures++), req.signal);
          continue;
        }
        throw networkError(req.method, path, err, idempotent, this.via);
      }

      const status = res.statusCode;
      if (status !== 429) this.pacer.answered(ticket);
      if (status === 401 && token !== renewed && ++tokensRejected < MAX_TOKENS_TRIED) {
        const next = await this.tokens.refreshAfterRejected(token);
        if (next.requestedAfter) renewed = next.accessToken;
        continue;
      }
      if (status === 429) {
        const body = parseBody(text);
        const quota = spotifyErrorFields(body).reason === 'QUOTA_EXCEEDED';
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        this.cooldown.trip(retryAfter, quota);
        if (quota) this.pacer.release(ticket);
        else await this.pacer.limited(ticket, retryAfter);
        // A 429 was not applied, so even a POST may be sent again once the cooldown is over. No count of 429s
        // ends the attempts, only the time they ask for (as capped), added up.
        waitedMs += Math.min(retryAfter * 1000, this.cooldown.maxMs);
        if (quota || waitedMs > this.policy.maxRetryAfterMs) throw rateLimitError(req.method, path, this.cooldown.error(quota), true);
        continue;
      }
      if (status >= 500 && idempotent && failures < this.policy.maxRetries) {
        await sleep(this.backoff(failures++), req.signal);
        continue;
      }
      if (status >= 300 && status < 400) throw redirectError(req.method, path, status, locationHost(res.headers.location, url));
      if (status < 400 && nestsTooDeep(text)) throw refusedAnswerError(req.method, path, tooDeep(), idempotent);
      const body = parseBody(text) as T;
      if (status >= 400) {
        const error = explainError({
          method: req.method,
          path,
          status,
          body,
          forbiddenHint: req.forbiddenHint,
          scopes: req.scopes ? flattenScopes(req.scopes) : undefined,
        });
        if (status >= 500 && !idempotent) {
          throw new SpotifyApiError({
            message: `${error.message}${say('http.notRepeated')}`,
            method: req.method,
            path,
            status,
            spotifyMessage: error.spotifyMessage,
            maybeApplied: true,
          });
        }
        throw error;
      }
      return { status, body, headers: res.headers };
    }
  }

  private checkScopes(req: ApiRequest, path: string): void {
    const granted = this.tokens.grantedScopes();
    if (!req.scopes || !granted) return;
    const unmet = unmetRequirements(granted, req.scopes);
    if (unmet.length > 0) {
      throw new AuthorizationError(
        'missing_scope',
        say('http.needsScope', { method: req.method, path, scopes: flattenScopes(unmet) }),
        unmet,
      );
    }
  }

  /** Every request's address passes the one rule of api-links.ts: under the configured API base. */
  private urlFor(req: ApiRequest): string {
    const url = new URL(`${this.apiUrl.replace(/\/+$/, '')}${pathUnderApi(req.path, this.apiUrl)}`);
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    return url.toString();
  }

  private relativePath(url: string): string {
    const { pathname } = new URL(url);
    const basePath = new URL(this.apiUrl).pathname.replace(/\/$/, '');
    return basePath && pathname.startsWith(basePath) ? pathname.slice(basePath.length) || '/' : pathname;
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.policy.maxBackoffMs, this.policy.backoffMs * 2 ** attempt);
    return exp / 2 + Math.random() * (exp / 2);
  }
}

function headersFor(token: string, req: ApiRequest): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (req.rawBody) headers['content-type'] = req.rawBody.contentType;
  else if (req.body !== undefined) headers['content-type'] = 'application/json';
  return headers;
}

/** "a, b or c": each entry's alternatives joined by the word "or" of the host's language. */
function flattenScopes(req: ScopeRequirement): string {
  return req.map((s) => (typeof s === 'string' ? s : s.join(say('http.or')))).join(', ');
}

/** JSON when it is JSON (and not nested past the bound: an error's body is then kept as text), else the text. */
function parseBody(text: string): unknown {
  if (!text || nestsTooDeep(text)) return text || undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Seconds; an HTTP date is accepted too. A missing or unreadable value counts as 1 s. */
export function parseRetryAfter(value: string | string[] | undefined): number {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return 1;
  const n = Number(v);
  if (Number.isFinite(n) && n >= 0) return n;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : 1;
}

/** `sent`: this request met the 429; else the cooldown kept it back, and it names no request (none went out). */
function rateLimitError(method: string, path: string, inner: RateLimitedError, sent: boolean): SpotifyApiError {
  const { retryAt, quotaExceeded: quota } = inner;
  return new SpotifyApiError({
    message: sent ? `${inner.message}${answeredTo(method, path, 429)}` : say('http.notSent', { message: inner.message }),
    method,
    path,
    status: 429,
    reason: quota ? 'QUOTA_EXCEEDED' : undefined,
    retryAt,
  });
}

/** An answer past a bound: not read, not retried (it would be the same); a write may have been applied. */
function refusedAnswerError(method: string, path: string, err: AnswerRefused, idempotent: boolean): SpotifyApiError {
  return new SpotifyApiError({
    message: `${say('http.notRead', { method, path, why: err.message })}${idempotent ? '' : say('http.notRepeated')}`,
    method,
    path,
    maybeApplied: !idempotent,
  });
}

/** Not followed: the answer is reported, and a write counts as not applied (the API did not take it). */
function redirectError(method: string, path: string, status: number, host: string): SpotifyApiError {
  return new SpotifyApiError({
    message: say('http.redirect', { method, path, status: statusInWords(status), host }),
    method,
    path,
    status,
  });
}

function networkError(method: string, path: string, err: unknown, idempotent: boolean, via?: string): SpotifyApiError {
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  const cause = (e.cause as { message?: string } | undefined)?.message ?? '';
  // hpagent's refusal of a tunnel: "Bad response: 407" (the proxy wants other credentials), 403, 502 …
  const refused = /Bad response: (\d{3})/.exec(`${e.message ?? ''} ${cause}`)?.[1];
  // The code (ECONNRESET) or the library's message is quoted as it came.
  const code = e.code ?? e.message ?? say('http.network.unknown');
  const what =
    via !== undefined && refused !== undefined
      ? refused === '407'
        ? say('http.network.proxyCredentials', { method, path, proxy: via })
        : say('http.network.proxyRefused', { method, path, proxy: via, status: refused })
      : e.name === 'TimeoutError' || e.code === 'ETIMEDOUT'
        ? say('http.network.timedOut', { method, path })
        : via === undefined
          ? say('http.network.failed', { method, path, code })
          : say('http.network.failedVia', { method, path, code, proxy: via });
  return new SpotifyApiError({
    message: `${what}${idempotent ? '' : say('http.notRepeated')}`,
    method,
    path,
    reason: e.code,
    maybeApplied: !idempotent,
  });
}
