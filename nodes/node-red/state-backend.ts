// The state store the settings chose (spotifyAccount.store), opened once per process: the token store, the
// node-state store and the shared cooldown on top of it, the move of the token file's and the state file's
// entries into a new store, and what other processes announce (a new authorization, a cooldown) reaching this
// one's running nodes.
import type { NodeAPI } from 'node-red';
import { liveAccounts, liveAccount, tokenStoreAt, type AccountConfig } from '../spotify/account';
import { KeyValueTokenStore } from '../spotify/kv-token-store';
import { RedisStateStore } from '../spotify/redis-store';
import type { Cooldown, Pacer, RequestPacer } from '../spotify/rate-limit';
import { shareCooldown } from '../spotify/shared-cooldown';
import { lessonKey, rememberOnce, sharePacing } from '../spotify/shared-pacer';
import { LocalStateStore, StoreUnavailableError, type StateStore } from '../spotify/state-store';
import type { TokenStorage } from '../spotify/token-store';
import { ContextStateStore, type GlobalContext } from './context-store';
import { fileNodeState, storeNodeState, type NodeStateStore } from './node-state';
import { carryOverStateFile, type CarriedOver } from './state-carry-over';
import { stateStorePath, tokenStorePath, type ResolvedPackSettings } from './pack-settings';
import { runtimeText } from './messages';

export interface StateBackend {
  /** undefined: the files in the store directory (the default). */
  store: StateStore | undefined;
  tokens: TokenStorage;
  nodeState: NodeStateStore;
  /** For SpotifyAccount: shares the app's cooldown through the store (when several processes use it). */
  shareCooldown?: (appKey: string, cooldown: Cooldown) => void;
  /** For SpotifyAccount: keeps what the app's pacer learned, and paces with the app's other processes. */
  sharePacing: (appKey: string, pacer: Pacer, cooldown: Cooldown) => RequestPacer;
}

let contextSource: (() => GlobalContext) | undefined;

/** How the context store adapter reaches Node-RED's global context (set by the account node's module). */
export function useGlobalContext(source: () => GlobalContext): void {
  contextSource = source;
}

const backends = new Map<string, StateBackend>();

export function stateBackend(RED: NodeAPI, settings: ResolvedPackSettings): StateBackend {
  const choice = settings.store;
  if (choice.kind === 'file') {
    const nodeState = fileNodeState(stateStorePath(settings));
    return {
      store: undefined,
      tokens: tokenStoreAt(tokenStorePath(settings)),
      nodeState,
      // The lesson goes into the state file, beside the trigger cursors.
      sharePacing: (appKey, pacer, cooldown) => {
        const key = lessonKey(appKey);
        void rememberOnce(
          () => ({ read: () => nodeState.read<string>(key), write: (text) => nodeState.write(key, text) }),
          pacer,
          cooldown,
        );
        return pacer;
      },
    };
  }
  const id = JSON.stringify([choice, settings.storeDir]);
  let backend = backends.get(id);
  if (!backend) {
    backend = openBackend(RED, settings, openStore(RED, settings));
    backends.set(id, backend);
  }
  return backend;
}

function openStore(RED: NodeAPI, settings: ResolvedPackSettings): StateStore {
  const choice = settings.store;
  if (choice.kind === 'redis') {
    return new RedisStateStore(choice.url, {
      prefix: choice.prefix,
      timeoutMs: choice.timeoutMs,
      onOutage: (err) => RED.log.warn(`[spotify-account] ${err.message}`),
    });
  }
  if (choice.kind === 'context') {
    const stores = (RED.settings as unknown as { contextStorage?: Record<string, unknown> }).contextStorage;
    const configured = !!stores && Object.prototype.hasOwnProperty.call(stores, choice.name);
    return new ContextStateStore(
      choice.name,
      () => {
        if (!contextSource)
          throw new StoreUnavailableError(runtimeText('store.context', { name: choice.name }), runtimeText('store.notReady'));
        return contextSource();
      },
      configured,
    );
  }
  return new UnusableStore(choice.kind === 'invalid' ? choice.problem : 'unknown store');
}

function openBackend(RED: NodeAPI, settings: ResolvedPackSettings, store: StateStore): StateBackend {
  // Entries of the token file that the new store does not have yet move over once, before the first read.
  RED.log.info(`[spotify-account] Tokens and trigger state are kept in the ${store.label} (spotifyAccount.store)`);
  let moving: Promise<void> | undefined;
  const tokens = new KeyValueTokenStore(store, () => (moving ??= moveTokenFile(RED, settings, store)));
  store.subscribe((event) => {
    if (event.type !== 'tokens') return;
    const account = liveAccount(event.accountId);
    if (!account) return;
    // Another process authorized, cleared or refreshed: the running nodes and an open dialog follow.
    void account.tokens.follow().then(
      (s) =>
        RED.comms.publish(
          `tunewire/auth/${event.accountId}`,
          { ok: true, state: s.state, displayName: s.displayName, scopes: s.scopes },
          false,
        ),
      () => undefined,
    );
  });
  store.onRecovered(() => {
    RED.log.info(`[spotify-account] The ${store.label} answers again`);
    for (const account of liveAccounts()) {
      if (account.tokens.status().state === 'store_unreadable') void account.tokens.reload().catch(() => undefined);
    }
  });
  // The state file's cursors are carried over once, before the first read; a store that failed meanwhile is
  // tried again at the next read (the read fails with the store's error until then).
  let carrying: Promise<void> | undefined;
  const carried = (): Promise<void> =>
    (carrying ??= carryOver(RED, settings, store).catch((err: unknown) => {
      carrying = undefined;
      throw err;
    }));
  return {
    store,
    tokens,
    nodeState: storeNodeState(store, carried),
    shareCooldown: (appKey, cooldown) => shareCooldown(store, appKey, cooldown),
    sharePacing: (appKey, pacer, cooldown) => sharePacing(store, appKey, pacer, cooldown),
  };
}

async function moveTokenFile(RED: NodeAPI, settings: ResolvedPackSettings, store: StateStore): Promise<void> {
  const file = tokenStoreAt(tokenStorePath(settings));
  try {
    const entries = await file.entries();
    const count = Object.keys(entries).length;
    if (count === 0) return;
    const copied = await new KeyValueTokenStore(store).adopt(entries);
    if (copied > 0) {
      RED.log.info(
        `[spotify-account] Moved ${copied} authorization(s) from ${file.fileName} to the ${store.label} (the file is left as it was)`,
      );
    }
  } catch (err) {
    RED.log.warn(
      `[spotify-account] Could not move the authorizations of ${file.fileName} to the ${store.label}: ${(err as Error).message}`,
    );
  }
}

async function carryOver(RED: NodeAPI, settings: ResolvedPackSettings, store: StateStore): Promise<void> {
  const file = stateStorePath(settings);
  let done: CarriedOver | undefined;
  try {
    done = await carryOverStateFile(file, store, storeNodeState(store));
  } catch (err) {
    if (err instanceof StoreUnavailableError) throw err;
    // A file that cannot be read stays out of it: the nodes start afresh in the new store, as without the file.
    RED.log.warn(`[spotify-account] Could not carry the trigger cursors over to the ${store.label}: ${(err as Error).message}`);
    return;
  }
  if (!done) return;
  if (done.count > 0) {
    const kinds = Object.entries(done.kinds)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    RED.log.info(
      `[spotify-account] Carried over the cursors of ${done.count} node(s) (${kinds}) from ${done.fileName} to the ${store.label}: ` +
        'they go on from where they were (the file is left as it was, marked as carried over)',
    );
  }
  if (done.unmarked) {
    RED.log.warn(`[spotify-account] Could not mark ${done.fileName} as carried over (${done.unmarked}): the next start compares again`);
  }
}

/** A store setting that cannot be used: every operation fails with the setting's problem. */
class UnusableStore extends LocalStateStore {
  readonly label = runtimeText('store.state');
  constructor(private readonly problem: string) {
    super();
  }
  protected read(): Promise<string | undefined> {
    return Promise.reject(new Error(this.problem));
  }
  protected write(): Promise<void> {
    return Promise.reject(new Error(this.problem));
  }
}

/** An account node's credentials, as Node-RED keeps them (encrypted in the flows' credentials file). */
export interface AccountCredentials {
  clientSecret?: string;
  storeKey?: string;
}

/** What every account of this Node-RED shares, from its settings and state store (the node's and the pickers'). */
export function sharedAccountConfig(
  settings: ResolvedPackSettings,
  backend: StateBackend,
): Pick<AccountConfig, 'tokenStorePath' | 'tokenStore' | 'shareCooldown' | 'sharePacing' | 'endpoints' | 'retry' | 'maxPages'> {
  return {
    tokenStorePath: tokenStorePath(settings),
    tokenStore: backend.tokens,
    shareCooldown: backend.shareCooldown,
    sharePacing: backend.sharePacing,
    endpoints: settings.endpoints,
    retry: settings.retry,
    maxPages: settings.maxPages,
  };
}
