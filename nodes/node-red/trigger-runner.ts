// A running trigger node: polls while its account is authorized, keeps its state on disk (claimed in a shared
// store), shows when it last checked and what it saw, and sends failures to Catch nodes without stopping.
//
// Its life, driven by the account's authorization and Node-RED (the poller holds the phase):
//   idle   --authorized-->                active   (status "starting", first poll at once)
//   active --not authorized / again / store unreadable--> idle   (the status says why; a poll in flight ends)
//   any    --close-->                     closed   (timer stopped, poll in flight abandoned; nothing sent or saved)
// An input message asks for a poll in any phase but closed; the Poller runs one poll at a time and waits
// between polls (the interval, a backoff after failures, a 429's cooldown).
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow } from 'node-red';
import type { SpotifyAccount } from '../spotify/account';
import { AuthorizationError, SpotifyApiError } from '../spotify/errors';
import type { RequestCounter } from '../spotify/http-client';
import { clock } from '../spotify/local-time';
import { authorizeAgainMessage, notAuthorizedMessage, type AuthorizationStatus } from '../spotify/token-manager';
import { statusFor, statusTextFor } from './action-node';
import { addFailureFacts } from './failure-facts';
import { copyable, failMessage, readable } from './message-guard';
import { runtimeText } from './messages';
import { sendOnce, type NodeStateStore } from './node-state';
import type { ResolvedPackSettings } from './pack-settings';
import { Poller, type PollOutcome } from './poller';
import { short } from './status-text';

export type FirstRun = 'remember' | 'emit';

export interface PollContext<S> {
  account: SpotifyAccount;
  settings: ResolvedPackSettings;
  /** Counts this poll's requests (msg.spotify.requests). */
  counter: RequestCounter;
  /** Aborted when the node closes: pass it to every request. */
  signal: AbortSignal;
  firstRun: FirstRun;
  /** The regular interval (after the operator's minimum). */
  intervalMs: number;
  /** The input message that asked for this poll, if one did. */
  request: NodeMessageInFlow | undefined;
  /** The state the last poll saved (undefined before the first successful poll, ever). */
  state: S | undefined;
  /** Saves the state; call it only after the messages it accounts for went out. */
  save(state: S): Promise<void>;
  /** Sends messages in order, unless the node has been closed meanwhile: then they are dropped and save()
   *  does nothing for the rest of this poll, so they come again after a restart. */
  send(msgs: NodeMessage[]): void;
  /** Reports a failure of one part of the poll (one playlist of several) to Catch nodes; the poll goes on.
   *  `key` identifies the failure: the same key failing poll after poll is reported once. */
  report(err: Error, key: string): void;
}

export type TriggerPoll<S> = (ctx: PollContext<S>) => Promise<PollOutcome>;

/** What a running trigger is set up with, read from its dialog and its account. */
export interface TriggerSetup<S> {
  account: SpotifyAccount;
  settings: ResolvedPackSettings;
  nodeState: NodeStateStore;
  /** The node's entry in the state store. */
  stateKey: string;
  intervalMs: number;
  firstRun: FirstRun;
  poll: TriggerPoll<S>;
}

export class TriggerRunner<S> {
  private readonly poller: Poller;
  private readonly saved: SavedState<S>;
  private readonly reports = new FailureReports();
  /** The input message behind the latest asked-for poll. */
  private askedBy: NodeMessageInFlow | undefined;
  /** The requests of the latest poll, for the facts of its failure. */
  private counter: RequestCounter = { requests: 0 };

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly setup: TriggerSetup<S>,
  ) {
    this.saved = new SavedState(setup.nodeState, setup.stateKey);
    this.poller = new Poller({
      intervalMs: setup.intervalMs,
      poll: (signal, forced) => this.pollOnce(signal, forced),
      onSuccess: (outcome) => this.handleAnswer(outcome),
      onFailure: (err, _consecutive, nextAt, forced) => this.handleError(err, nextAt, forced),
      notBefore: (err) => (err instanceof SpotifyApiError ? err.retryAt : undefined),
    });
  }

  /** Follows the account's authorization and answers input messages and close. */
  start(): void {
    const tokens = this.setup.account.tokens;
    tokens.on('state', this.onAuthorization);
    // A failed load arrives through the 'state' event as store_unreadable, with a short status.
    tokens.load().then(this.onAuthorization, () => undefined);
    this.node.on('input', (msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => this.onInput(msg, done));
    this.node.on('close', (removed: boolean, done: () => void) => this.close(removed, done));
  }

  /** The transitions between idle and active; a closed runner ignores them. */
  private readonly onAuthorization = (s: AuthorizationStatus): void => {
    if (this.poller.phase === 'closed') return;
    if (s.state === 'authorized') {
      if (this.poller.phase === 'idle') this.node.status({ fill: 'blue', shape: 'ring', text: runtimeText('status.starting') });
      this.poller.start(0);
    } else if (holdsPollsBack(s)) {
      this.poller.suspend();
      this.node.status(statusFor(s));
    }
  };

  /** An input message asks for a poll now; its failures are reported with that message. */
  private onInput(msg: NodeMessageInFlow, done: (err?: Error) => void): void {
    // Right after a start the tokens may still be loading: wait for them before judging the authorization.
    this.setup.account.tokens
      .load()
      .then(
        (auth) => {
          if (auth.state === 'not_authorized' || auth.state === 'authorize_again') {
            const message = auth.state === 'authorize_again' ? authorizeAgainMessage() : notAuthorizedMessage();
            failMessage(this.RED, this.node, msg, new AuthorizationError(auth.state, message), done);
            return;
          }
          this.askedBy = msg;
          // Failures of an asked-for poll are reported with this message (node.error), so done() carries none.
          return this.poller.pollNow().then(() => done());
        },
        (err: Error) => failMessage(this.RED, this.node, msg, err, done),
      )
      .catch((err: unknown) => {
        // done() itself threw (Node-RED could not clone the message for a Catch or Complete node): log it
        // without the message; left unhandled, the rejection would stop the whole runtime.
        this.node.error(err instanceof Error ? err.message : String(err));
      });
  }

  /** One poll: the node's own work, with its messages sent (or held for the claim) and its state saved. */
  private async pollOnce(signal: AbortSignal, forced: boolean): Promise<PollOutcome> {
    const request = forced ? this.askedBy : undefined;
    this.counter = { requests: 0 };
    this.reports.beginPoll();
    const state = await this.saved.read();
    const delivery = new Delivery<S>(this.node, this.setup.nodeState, this.setup.stateKey, this.saved, state, () => this.stopped(signal));
    const { account, settings, firstRun, intervalMs } = this.setup;
    const ctx: PollContext<S> = {
      account,
      settings,
      counter: this.counter,
      signal,
      firstRun,
      intervalMs,
      request,
      state,
      save: (next) => delivery.save(next),
      send: (msgs) => delivery.send(msgs),
      report: (err, key) => {
        if (this.reports.part(key, forced)) this.node.error(readable(err), this.failureMessage(err, request));
      },
    };
    let finished = false;
    try {
      const outcome = await this.setup.poll(ctx);
      finished = true;
      delivery.finish();
      return outcome;
    } finally {
      this.reports.endPoll(finished);
    }
  }

  /** A poll that went through: the status shows the time and what it saw. */
  private handleAnswer(outcome: PollOutcome): void {
    this.reports.succeeded();
    this.node.status({
      fill: outcome.problem ? 'yellow' : 'green',
      shape: outcome.problem ? 'ring' : 'dot',
      text: short(`${clock()} · ${outcome.text}`),
    });
  }

  /** A poll that failed (the Poller backs off): Catch nodes hear of it once, the status says what and until when. */
  private handleError(err: Error, nextAt: number, forced: boolean): void {
    if (this.reports.whole(err, forced)) this.node.error(readable(err), this.failureMessage(err, forced ? this.askedBy : undefined));
    const auth = this.setup.account.tokens.status();
    if (holdsPollsBack(auth)) this.node.status(statusFor(auth));
    else if (err instanceof SpotifyApiError && err.status === 429) {
      this.node.status({
        fill: 'yellow',
        shape: 'ring',
        text: short(`${clock()} · ${runtimeText('status.rateLimitedUntil', { time: clock(nextAt) })}`),
      });
    } else this.node.status({ fill: 'red', shape: 'ring', text: short(`${clock()} · ${statusTextFor(err)}`) });
  }

  /** Stops for good; a node removed from the flows takes its state with it. */
  private close(removed: boolean, done: () => void): void {
    this.setup.account.tokens.off('state', this.onAuthorization);
    this.poller
      .close()
      .then(() => (removed ? this.setup.nodeState.write(this.setup.stateKey, undefined) : undefined))
      .catch(() => undefined)
      .finally(() => done());
  }

  private stopped(signal: AbortSignal): boolean {
    return this.poller.phase === 'closed' || signal.aborted;
  }

  /** The message for Catch nodes: a copy of the one that asked for the poll (if one did) with the failure's facts. */
  private failureMessage(err: Error, base: NodeMessageInFlow | undefined): NodeMessage {
    let msg: NodeMessage = {};
    try {
      if (base) msg = this.RED.util.cloneMessage(base);
    } catch {
      msg = copyable(this.RED, base as NodeMessage).copy; // a message Node-RED cannot copy: its copyable parts
    }
    addFailureFacts(msg, err, this.counter);
    return msg;
  }
}

/**
 * The node's state as last saved. Read from the store once; afterwards this copy is what was last saved. A
 * store shared with other processes is read before every poll: one of them may have moved the state on.
 */
class SavedState<S> {
  private cache: { value: S | undefined } | undefined;

  constructor(
    private readonly store: NodeStateStore,
    private readonly key: string,
  ) {}

  async read(): Promise<S | undefined> {
    if (!this.cache || this.store.shared) this.cache = { value: await this.store.read<S>(this.key) };
    return this.cache.value;
  }

  remember(value: S): void {
    this.cache = { value };
  }

  /** Another process moved the state: read it again before the next poll. */
  forget(): void {
    this.cache = undefined;
  }
}

/**
 * One poll's messages and saves. With one process, messages go out at once and a save follows them. With a
 * shared store they are held until this process has claimed the state they move it to, so of several processes
 * running the same trigger only the one that moves the state first sends them. Messages dropped because the
 * node closed mid-poll keep the state from moving past them.
 */
class Delivery<S> {
  private held: NodeMessage[][] = [];
  private dropped = false;

  constructor(
    private readonly node: Node,
    private readonly store: NodeStateStore,
    private readonly key: string,
    private readonly saved: SavedState<S>,
    /** What the store holds now, as far as this poll knows. */
    private lastSaved: S | undefined,
    private readonly stopped: () => boolean,
  ) {}

  send(msgs: NodeMessage[]): void {
    if (msgs.length === 0) return;
    if (this.stopped()) this.dropped = true;
    else if (this.store.shared) this.held.push(msgs);
    else this.node.send([msgs]);
  }

  async save(next: S): Promise<void> {
    if (this.dropped) return;
    if (this.store.shared && this.stopped()) {
      this.dropped = true; // held messages cannot go out any more: the state stays where they are counted from
      return;
    }
    // One process: the messages went out already (nothing is held) and the state follows them.
    if (await sendOnce(this.store, this.key, this.lastSaved, next, () => this.flush())) {
      this.lastSaved = next;
      this.saved.remember(next);
    } else {
      // Another process got there first and sent these: the next poll starts from its state.
      this.held = [];
      this.dropped = true;
      this.saved.forget();
    }
  }

  /** The poll is over: messages no save accounted for (the state did not change) need no claim. */
  finish(): void {
    if (!this.dropped && !this.stopped()) this.flush();
  }

  private flush(): void {
    for (const msgs of this.held) this.node.send([msgs]);
    this.held = [];
  }
}

/**
 * A failure that persists poll after poll is reported once (the status keeps showing it): part failures by key
 * across consecutive polls, whole-poll failures by kind until a poll succeeds. Asked-for polls always report.
 */
class FailureReports {
  private partsBefore = new Set<string>();
  private partsNow = new Set<string>();
  private lastKind: string | undefined;

  beginPoll(): void {
    this.partsNow = new Set();
  }

  /** Whether this part failure is to be reported. */
  part(key: string, forced: boolean): boolean {
    this.partsNow.add(key);
    return forced || !this.partsBefore.has(key);
  }

  /** A poll cut short did not look at every part again: keep what was reported before. */
  endPoll(finished: boolean): void {
    this.partsBefore = finished ? this.partsNow : new Set([...this.partsBefore, ...this.partsNow]);
  }

  /** Whether this whole-poll failure is to be reported. */
  whole(err: Error, forced: boolean): boolean {
    const kind = failureKind(err);
    const report = forced || kind !== this.lastKind;
    this.lastKind = kind;
    return report;
  }

  succeeded(): void {
    this.lastKind = undefined;
  }
}

/** The account states in which a trigger does not poll (its status says why). */
function holdsPollsBack(s: AuthorizationStatus): boolean {
  return s.state === 'not_authorized' || s.state === 'authorize_again' || s.state === 'store_unreadable';
}

/** Failures of the same kind in a row are reported once. */
function failureKind(err: Error): string {
  if (err instanceof SpotifyApiError) return `${err.status ?? 'network'}:${err.reason ?? ''}`;
  if (err instanceof AuthorizationError) return `auth:${err.code}`;
  return `${err.name}:${err.message}`;
}
