// The pack's runtime settings: `spotifyAccount` in Node-RED's settings.js, then environment, then defaults.
import * as os from 'node:os';
import * as path from 'node:path';
import type { NodeAPI } from 'node-red';
import type { SpotifyEndpoints } from '../spotify/endpoints';
import type { RetryPolicy } from '../spotify/http-client';
import { DEFAULT_MAX_PAGES } from '../spotify/paging';

export interface PackSettings {
  /** Default https://accounts.spotify.com (env TUNEWIRE_ACCOUNTS_URL). */
  accountsUrl?: string;
  /** Default https://api.spotify.com/v1 (env TUNEWIRE_API_URL). */
  apiUrl?: string;
  /** Where the encrypted token store and trigger cursors live. Default: Node-RED's user directory. */
  storeDir?: string;
  /** Where tokens, cursors and the shared cooldown live: 'file' (default: files in storeDir), a Node-RED
   *  context store by name ({ context: 'persistent' }), or Redis ({ redis: 'redis://host:6379' }; `timeoutSeconds`:
   *  how long one Redis command may take, default 2). */
  store?: 'file' | { context: string } | { redis: string; prefix?: string; timeoutSeconds?: number };
  /** Longest Retry-After waited out before failing fast (seconds, default 60). */
  maxRetryAfterSeconds?: number;
  /** Longest one 429 stops the app's requests, whatever its Retry-After asks (seconds, default 3600). */
  maxCooldownSeconds?: number;
  /** Per-request timeout (seconds, default 15). */
  timeoutSeconds?: number;
  /** Retries of safe requests after 5xx or network errors (default 3). */
  maxRetries?: number;
  /** Pages read at once when a list is longer than one page (default 4). */
  pageConcurrency?: number;
  /** Most pages one listing may take before it fails with an error (default 1000, env TUNEWIRE_MAX_PAGES). */
  maxPages?: number;
  /** An outbound proxy for every Spotify request (http://[user:password@]host:port). Default: the environment's
   *  https_proxy / http_proxy, as Node-RED's http request node uses them. */
  proxy?: string;
  /** Hosts reached without the proxy (comma-separated; default: the environment's no_proxy). */
  noProxy?: string;
  /** Shortest poll interval a trigger node may use (seconds, default 10): keeps polling well inside Spotify's
   *  rolling 30-second rate window. An operator may lower it (a local simulator) or raise it (many triggers). */
  minPollSeconds?: number;
}

export const DEFAULT_MIN_POLL_SECONDS = 10;

/** The state store the settings chose; `problem` says what is wrong with a setting that cannot be used. */
export type StoreChoice =
  | { kind: 'file' }
  | { kind: 'context'; name: string }
  | { kind: 'redis'; url: string; prefix?: string; timeoutMs?: number }
  | { kind: 'invalid'; problem: string };

export interface ResolvedPackSettings {
  endpoints: Partial<SpotifyEndpoints>;
  storeDir: string;
  store: StoreChoice;
  retry: Partial<RetryPolicy>;
  pageConcurrency: number;
  maxPages: number;
  /** Shortest trigger poll interval, seconds (always set by packSettings). */
  minPollSeconds?: number;
}

export function packSettings(RED: NodeAPI): ResolvedPackSettings {
  const settings = RED.settings as unknown as { spotifyAccount?: PackSettings; userDir?: string };
  const s = settings.spotifyAccount ?? {};
  const env = process.env;
  const retry: Partial<RetryPolicy> = {};
  const cap = numberOr(s.maxRetryAfterSeconds, env.TUNEWIRE_MAX_RETRY_AFTER);
  if (cap !== undefined) retry.maxRetryAfterMs = cap * 1000;
  const cooldownCap = numberOr(s.maxCooldownSeconds, env.TUNEWIRE_MAX_COOLDOWN);
  // Above zero: a zero cap would make every 429 end at once.
  if (cooldownCap) retry.maxCooldownMs = cooldownCap * 1000;
  const timeout = numberOr(s.timeoutSeconds, env.TUNEWIRE_TIMEOUT);
  if (timeout !== undefined) retry.timeoutMs = timeout * 1000;
  const retries = numberOr(s.maxRetries, undefined);
  if (retries !== undefined) retry.maxRetries = retries;
  return {
    endpoints: { accountsUrl: s.accountsUrl, apiUrl: s.apiUrl, proxy: { url: s.proxy, noProxy: s.noProxy } },
    storeDir: s.storeDir ?? settings.userDir ?? path.join(os.homedir(), '.node-red'),
    store: storeChoice(s.store),
    retry,
    pageConcurrency: numberOr(s.pageConcurrency, undefined) ?? 4,
    // At least one page: 0 would make every listing fail.
    maxPages: Math.max(1, Math.floor(numberOr(s.maxPages, env.TUNEWIRE_MAX_PAGES) ?? DEFAULT_MAX_PAGES)),
    minPollSeconds: numberOr(s.minPollSeconds, env.TUNEWIRE_MIN_POLL_SECONDS) ?? DEFAULT_MIN_POLL_SECONDS,
  };
}

export function tokenStorePath(settings: ResolvedPackSettings): string {
  return path.join(settings.storeDir, 'tunewire-tokens.json');
}

export function stateStorePath(settings: ResolvedPackSettings): string {
  return path.join(settings.storeDir, 'tunewire-state.json');
}

function storeChoice(value: unknown): StoreChoice {
  if (value === undefined || value === null || value === 'file') return { kind: 'file' };
  if (typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.context === 'string' && v.context.trim() !== '') return { kind: 'context', name: v.context.trim() };
    if (typeof v.redis === 'string' && /^rediss?:\/\//.test(v.redis)) {
      const timeout = numberOr(v.timeoutSeconds, undefined);
      return {
        kind: 'redis',
        url: v.redis,
        prefix: typeof v.prefix === 'string' && v.prefix ? v.prefix : undefined,
        // Above zero: a zero timeout would fail every command.
        timeoutMs: timeout ? timeout * 1000 : undefined,
      };
    }
  }
  return {
    kind: 'invalid',
    problem: "spotifyAccount.store in settings.js must be 'file', { context: '<context store name>' } or { redis: 'redis://host:6379' }",
  };
}

function numberOr(value: unknown, fallback: string | undefined): number | undefined {
  const n = typeof value === 'number' ? value : fallback !== undefined && fallback !== '' ? Number(fallback) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
