// One adaptive poll of an account's player, shared by every now-playing card of that account however many
// screens show them: each GET /me/player answer goes to every subscriber, a command polls once right after so
// every screen follows at once, and the account's shared client keeps its rate-limit cooldown.
import type { SpotifyAccount } from '../spotify/account';
import { AuthorizationError, SpotifyApiError } from '../spotify/errors';
import type { AuthorizationStatus } from '../spotify/token-manager';
import { isTransient, nextPlayerPoll, readPlayback } from '../spotify/player-watch';
import { playerView, readDevices, runCommand, type CardRequest, type Planned, type PlayerView } from '../spotify/player-remote';
import { statusTextFor } from './action-node';
import { Poller } from './poller';

export type ViewListener = (view: PlayerView) => void;

export interface FeedOptions {
  intervalMs: number;
  /** Interval multiplier while nothing plays. */
  idleFactor: number;
}

interface Subscriber extends FeedOptions {
  listener: ViewListener;
}

export class PlayerFeed {
  private readonly subs = new Set<Subscriber>();
  private poller: Poller | undefined;
  private current: PlayerView | undefined;
  private lastWasEarly = false;
  /** A command succeeded whose poll was left to a later one. */
  private unpolled = false;
  /** The last poll failed for want of an authorization: poll again as soon as there is one. */
  private awaitingAuthorization = false;
  private readonly onAuthorization = (s: AuthorizationStatus): void => {
    if (s.state !== 'authorized' || !this.awaitingAuthorization) return;
    this.awaitingAuthorization = false;
    void this.poller?.pollNow();
  };

  constructor(
    private readonly account: SpotifyAccount,
    private readonly onEmpty: () => void,
  ) {}

  /** The latest view, if any poll has answered yet. */
  get view(): PlayerView | undefined {
    return this.current;
  }

  /** The shortest interval any subscriber asked for (they share one poll). */
  private get options(): FeedOptions {
    let intervalMs = Infinity;
    let idleFactor = Infinity;
    for (const s of this.subs) {
      intervalMs = Math.min(intervalMs, s.intervalMs);
      idleFactor = Math.min(idleFactor, s.idleFactor);
    }
    return { intervalMs: Number.isFinite(intervalMs) ? intervalMs : 15_000, idleFactor: Number.isFinite(idleFactor) ? idleFactor : 4 };
  }

  /** Starts the poll with the first subscriber and stops it with the last; returns the unsubscribe. */
  subscribe(listener: ViewListener, opts: FeedOptions): () => Promise<void> {
    const sub: Subscriber = { listener, ...opts };
    this.subs.add(sub);
    if (!this.poller) {
      const options = (): FeedOptions => this.options;
      this.poller = new Poller({
        // Read at every poll: a card that joins with a shorter interval speeds the shared poll up.
        get intervalMs() {
          return options().intervalMs;
        },
        poll: (signal) => this.poll(signal),
        onSuccess: () => undefined,
        onFailure: (err) => {
          if (err instanceof AuthorizationError) this.awaitingAuthorization = true;
          this.publish({ ...(this.current ?? playerView(null, Date.now())), problem: statusTextFor(err) });
        },
        notBefore: (err) => (err instanceof SpotifyApiError ? err.retryAt : undefined),
      });
      this.poller.start(0);
      this.account.tokens.on('state', this.onAuthorization);
    } else if (this.current) listener(this.current);
    return async () => {
      this.subs.delete(sub);
      if (this.subs.size > 0) return;
      const poller = this.poller;
      this.poller = undefined;
      this.account.tokens.off('state', this.onAuthorization);
      this.onEmpty();
      await poller?.close();
    };
  }

  /**
   * Sends a command, then polls once so that every screen shows its effect — unless `pollAfter` says no when
   * the command is done (another command follows at once, and its poll shows both).
   */
  async command(req: CardRequest, pollAfter: () => boolean = () => true): Promise<Planned> {
    try {
      const planned = await runCommand(this.account.client, req, this.current);
      this.unpolled = true;
      return planned;
    } finally {
      // Also after a failed command, when one before it left its poll to it.
      if (this.unpolled && pollAfter()) {
        this.unpolled = false;
        await this.poller?.pollNow();
      }
    }
  }

  /** Reads the account's devices (for the device picker) and shows them on every screen. */
  async loadDevices(): Promise<void> {
    const devices = await readDevices(this.account.client);
    this.publish({ ...(this.current ?? playerView(null, Date.now())), devices });
  }

  /** Shows a view on every screen (a flow's message, a failure). */
  publish(view: PlayerView): void {
    this.current = view;
    for (const s of [...this.subs]) s.listener(view);
  }

  private async poll(signal: AbortSignal): Promise<{ text: string; nextInMs: number }> {
    const { intervalMs, idleFactor } = this.options;
    const state = await readPlayback(this.account.client, { requests: 0 }, signal);
    if (isTransient(state)) return { text: '', nextInMs: intervalMs };
    this.publish(playerView(state, Date.now(), this.current?.devices));
    const next = nextPlayerPoll(state, intervalMs, idleFactor, this.lastWasEarly);
    this.lastWasEarly = next.early;
    return { text: '', nextInMs: next.delayMs };
  }
}

const feeds = new WeakMap<SpotifyAccount, PlayerFeed>();

/** The one feed of an account (a redeployed account is a new account object, with a new feed). */
export function feedFor(account: SpotifyAccount): PlayerFeed {
  let feed = feeds.get(account);
  if (!feed) {
    feed = new PlayerFeed(account, () => feeds.delete(account));
    feeds.set(account, feed);
  }
  return feed;
}
