// The state store on a Node-RED context store named in settings.js (contextStorage): the pack's state lives
// wherever the user's Node-RED keeps persistent context — its own localfilesystem store, a hosted platform's
// store, any context plugin. Global context, one key per value; tokens arrive here already encrypted.
import { LocalStateStore, StoreUnavailableError } from '../spotify/state-store';
import { runtimeText } from './messages';

/** The part of a node's global context this store uses (the callback forms: they name the store). */
export interface GlobalContext {
  get(key: string, store: string, callback: (err: Error | null | undefined, value?: unknown) => void): void;
  set(key: string, value: unknown, store: string, callback: (err?: Error | null) => void): void;
}

export class ContextStateStore extends LocalStateStore {
  readonly label: string;

  constructor(
    private readonly storeName: string,
    private readonly context: () => GlobalContext,
    /** false when settings.js has no context store of that name (Node-RED would silently use another). */
    private readonly configured: boolean,
  ) {
    super();
    this.label = runtimeText('store.context', { name: storeName });
  }

  protected read(key: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      this.global().get(contextKey(key), this.storeName, (err, value) => {
        if (err) reject(new StoreUnavailableError(this.label, err.message));
        else resolve(typeof value === 'string' ? value : undefined);
      });
    });
  }

  protected write(key: string, value: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.global().set(contextKey(key), value, this.storeName, (err) => {
        if (err) reject(new StoreUnavailableError(this.label, err.message));
        else resolve();
      });
    });
  }

  private global(): GlobalContext {
    if (!this.configured) throw new StoreUnavailableError(this.label, runtimeText('store.contextNotConfigured'));
    return this.context();
  }
}

/** Context keys read "." and "[" as property paths: everything but letters, digits, "-" and "_" is escaped. */
function contextKey(key: string): string {
  return `tunewire_${key.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}
