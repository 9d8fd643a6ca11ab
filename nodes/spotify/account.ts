// A Spotify account as the runtime holds it: its tokens and the client every node of that account shares.
// Registered by account id so that an authorization finished in the editor reaches the running nodes.
import { resolveEndpoints, type SpotifyEndpoints } from './endpoints';
import { DEFAULT_RETRY_POLICY, SpotifyHttpClient, type RetryPolicy } from './http-client';
import { OAuthClient } from './oauth-client';
import { PlaylistDirectory } from './playlist-names';
import { cooldownFor, pacerFor, type Cooldown, type Pacer, type RequestPacer } from './rate-limit';
import { SpotifyClient } from './spotify-client';
import { TokenManager } from './token-manager';
import { TokenStore, type TokenStorage } from './token-store';

export interface AccountConfig {
  /** The config node's id as the editor knows it (stable across deploys and subflow instances). */
  id: string;
  clientId: string;
  clientSecret?: string;
  /** Key of this account's entry in the encrypted token store. */
  storeKey: string;
  tokenStorePath: string;
  /** Where the tokens live when not in the file at tokenStorePath (a context store, Redis). */
  tokenStore?: TokenStorage;
  /** Called with the app's cooldown, to share it with other processes of the same app. */
  shareCooldown?: (appKey: string, cooldown: Cooldown) => void;
  /** Called with the app's pacer: keeps what it learns, and gives the pacer that paces with the app's other
   *  processes when they share a store (else the same one). */
  sharePacing?: (appKey: string, pacer: Pacer, cooldown: Cooldown) => RequestPacer;
  endpoints?: Partial<SpotifyEndpoints>;
  retry?: Partial<RetryPolicy>;
  /** Most pages one listing may take (default DEFAULT_MAX_PAGES). */
  maxPages?: number;
}

export class SpotifyAccount {
  readonly tokens: TokenManager;
  readonly client: SpotifyClient;
  readonly endpoints: SpotifyEndpoints;
  /** The user's playlists by name, read once and shared by every node of the account. */
  readonly playlists: PlaylistDirectory;

  constructor(readonly config: AccountConfig) {
    this.endpoints = resolveEndpoints(config.endpoints);
    const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    const oauth = new OAuthClient({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      accountsUrl: this.endpoints.accountsUrl,
      timeoutMs: policy.timeoutMs,
      proxy: this.endpoints.proxy,
    });
    this.tokens = new TokenManager({
      accountId: config.id,
      storeKey: config.storeKey,
      store: config.tokenStore ?? tokenStoreAt(config.tokenStorePath),
      oauth: () => oauth,
    });
    const appKey = `${this.endpoints.apiUrl} ${config.clientId}`;
    const cooldown = cooldownFor(appKey, policy.maxCooldownMs);
    config.shareCooldown?.(appKey, cooldown);
    const pacer = pacerFor(appKey);
    this.client = new SpotifyClient(
      new SpotifyHttpClient(
        this.endpoints.apiUrl,
        this.tokens,
        cooldown,
        policy,
        config.sharePacing?.(appKey, pacer, cooldown) ?? pacer,
        this.endpoints.proxy,
      ),
      config.maxPages,
    );
    this.playlists = new PlaylistDirectory(this.client, () => this.tokens.status().userId);
  }
}

const stores = new Map<string, TokenStore>();

/** One TokenStore per file, so every writer of that file goes through the same serialised queue. */
export function tokenStoreAt(path: string): TokenStore {
  let store = stores.get(path);
  if (!store) {
    store = new TokenStore(path);
    stores.set(path, store);
  }
  return store;
}

const live = new Map<string, SpotifyAccount>();

export function openAccount(config: AccountConfig): SpotifyAccount {
  const account = new SpotifyAccount(config);
  live.set(config.id, account);
  return account;
}

export function closeAccount(account: SpotifyAccount): void {
  if (live.get(account.config.id) === account) live.delete(account.config.id);
  account.tokens.removeAllListeners();
}

/** Every account running in this process. */
export function liveAccounts(): SpotifyAccount[] {
  return [...live.values()];
}

export function liveAccount(id: string): SpotifyAccount | undefined {
  return live.get(id);
}
