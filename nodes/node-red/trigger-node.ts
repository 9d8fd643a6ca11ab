// What every trigger node does the same way (the sibling of action-node.ts for nodes that start flows): find
// the account, poll on a timer while it is authorized, keep the node's state on disk, show when it last
// checked and what it saw, and send failures to Catch nodes without stopping.
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import type { SpotifyAccount } from '../spotify/account';
import { AuthorizationError, SpotifyApiError } from '../spotify/errors';
import type { RequestCounter } from '../spotify/http-client';
import { oneOf } from '../spotify/inputs';
import { AUTHORIZE_AGAIN_MESSAGE, NOT_AUTHORIZED_MESSAGE, type AuthorizationStatus } from '../spotify/token-manager';
import { statusFor, statusTextFor, type AccountConfigNode } from './action-node';
import { copyable, failMessage, readable } from './message-guard';
import { clock } from '../spotify/local-time';
import { addFailureFacts } from './failure-facts';
import { runtimeText } from './messages';
import { short } from './status-text';
import { DEFAULT_MIN_POLL_SECONDS, type ResolvedPackSettings } from './pack-settings';
import { sendOnce } from './node-state';
import { stateBackend } from './state-backend';
import { Poller, type PollOutcome } from './poller';
import type { NodeFieldReader } from './fields';
import { shapeItem, withColumns, type OutputFormat, type TriggerEmit } from './list-output';

export type { PollOutcome } from './poller';

export interface TriggerDef extends NodeDef {
  account: string;
  /** Seconds between polls. */
  interval?: string | number;
  /** 'remember' (default): the first poll only records what is there; 'emit': it sends it too. */
  firstRun?: string;
}

export type FirstRun = 'remember' | 'emit';
export const FIRST_RUN_MODES: readonly FirstRun[] = ['remember', 'emit'];

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

export interface TriggerOptions {
  /** Names the state entry ("now-playing"); the node id is appended. */
  stateName: string;
  defaultIntervalSeconds: number;
}

export function runTriggerNode<S>(RED: NodeAPI, node: Node, def: TriggerDef, poll: TriggerPoll<S>, options: TriggerOptions): void {
  const configNode = typeof def.account === 'string' && def.account ? (RED.nodes.getNode(def.account) as AccountConfigNode | null) : null;
  const account = configNode?.account;
  const settings = configNode?.packSettings;
  const intervalMs = pollInterval(node, def.interval, options.defaultIntervalSeconds, settings?.minPollSeconds);
  let firstRun: FirstRun = 'remember';
  try {
    firstRun = oneOf(def.firstRun, 'firstRun', FIRST_RUN_MODES, 'remember');
  } catch (err) {
    node.warn((err as Error).message);
  }

  if (!configNode || !account || !settings) {
    node.status({ fill: 'red', shape: 'ring', text: runtimeText(configNode ? 'status.accountIncomplete' : 'status.noAccount') });
    node.on('input', (msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => {
      failMessage(RED, node, msg, new Error(runtimeText(configNode ? 'errors.accountIncomplete' : 'errors.noAccount')), done);
    });
    return;
  }

  const nodeState = stateBackend(RED, settings).nodeState;
  const stateKey = `${options.stateName}:${node._alias ?? node.id}`;
  let closed = false;
  let forcedMsg: NodeMessageInFlow | undefined;
  let counter: RequestCounter = { requests: 0 };
  // A failure that persists poll after poll is reported once (the status keeps showing it): part failures by
  // key across consecutive polls, whole-poll failures by kind until a poll succeeds. Asked-for polls always report.
  let partsBefore = new Set<string>();
  let partsNow = new Set<string>();
  let lastFailure: string | undefined;
  // Read from the store once; afterwards this copy is what was last saved. A store shared with other processes
  // is read before every poll: one of them may have moved the state on.
  let stateCache: { value: S | undefined } | undefined;
  const loadState = async (): Promise<S | undefined> => {
    if (!stateCache || nodeState.shared) stateCache = { value: await nodeState.read<S>(stateKey) };
    return stateCache.value;
  };

  const errorMsg = (err: Error, base: NodeMessageInFlow | undefined): NodeMessage => {
    let msg: NodeMessage = {};
    try {
      if (base) msg = RED.util.cloneMessage(base);
    } catch {
      msg = copyable(RED, base as NodeMessage).copy; // a message Node-RED cannot copy: its copyable parts
    }
    addFailureFacts(msg, err, counter);
    return msg;
  };

  const poller = new Poller({
    intervalMs,
    poll: async (signal, forced) => {
      const request = forced ? forcedMsg : undefined;
      counter = { requests: 0 };
      partsNow = new Set();
      // Messages dropped because the node closed mid-poll: then the state must not move past them.
      let dropped = false;
      const state = await loadState();
      // Shared with other processes: messages wait until this process has claimed the state they move it to, so
      // of several processes running the same trigger only the one that moves the state first sends them.
      let held: NodeMessage[][] = [];
      let lastSaved: S | undefined = state;
      const flush = (): void => {
        for (const msgs of held) node.send([msgs]);
        held = [];
      };
      const ctx: PollContext<S> = {
        account,
        settings,
        counter,
        signal,
        firstRun,
        intervalMs,
        request,
        state,
        save: async (next) => {
          if (dropped) return;
          if (nodeState.shared && (closed || signal.aborted)) {
            dropped = true; // held messages cannot go out any more: the state stays where they are counted from
            return;
          }
          // One process: the messages went out already (nothing is held) and the state follows them.
          if (await sendOnce(nodeState, stateKey, lastSaved, next, flush)) {
            lastSaved = next;
            stateCache = { value: next };
          } else {
            // Another process got there first and sent these: the next poll starts from its state.
            held = [];
            dropped = true;
            stateCache = undefined;
          }
        },
        send: (msgs) => {
          if (msgs.length === 0) return;
          if (closed || signal.aborted) dropped = true;
          else if (nodeState.shared) held.push(msgs);
          else node.send([msgs]);
        },
        report: (err, key) => {
          partsNow.add(key);
          if (forced || !partsBefore.has(key)) node.error(readable(err), errorMsg(err, request));
        },
      };
      let finished = false;
      try {
        const outcome = await poll(ctx);
        finished = true;
        // Messages no save accounted for (the state did not change): nothing to claim.
        if (!dropped && !closed && !signal.aborted) flush();
        return outcome;
      } finally {
        // A poll cut short did not look at every part again: keep what was reported before.
        partsBefore = finished ? partsNow : new Set([...partsBefore, ...partsNow]);
      }
    },
    onSuccess: (outcome) => {
      lastFailure = undefined;
      node.status({
        fill: outcome.problem ? 'yellow' : 'green',
        shape: outcome.problem ? 'ring' : 'dot',
        text: short(`${clock()} · ${outcome.text}`),
      });
    },
    onFailure: (err, _consecutive, nextAt, forced) => {
      const kind = failureKind(err);
      if (forced || kind !== lastFailure) node.error(readable(err), errorMsg(err, forced ? forcedMsg : undefined));
      lastFailure = kind;
      const auth = account.tokens.status();
      if (auth.state === 'authorize_again' || auth.state === 'not_authorized' || auth.state === 'store_unreadable')
        node.status(statusFor(auth));
      else if (err instanceof SpotifyApiError && err.status === 429) {
        node.status({
          fill: 'yellow',
          shape: 'ring',
          text: short(`${clock()} · ${runtimeText('status.rateLimitedUntil', { time: clock(nextAt) })}`),
        });
      } else node.status({ fill: 'red', shape: 'ring', text: short(`${clock()} · ${statusTextFor(err)}`) });
    },
    notBefore: (err) => (err instanceof SpotifyApiError ? err.retryAt : undefined),
  });

  const onState = (s: AuthorizationStatus): void => {
    if (closed) return;
    if (s.state === 'authorized') {
      if (!poller.isActive) node.status({ fill: 'blue', shape: 'ring', text: runtimeText('status.starting') });
      poller.start(0);
    } else if (s.state === 'not_authorized' || s.state === 'authorize_again' || s.state === 'store_unreadable') {
      poller.suspend();
      node.status(statusFor(s));
    }
  };
  account.tokens.on('state', onState);
  // A failed load arrives through the 'state' event as store_unreadable, with a short status.
  account.tokens.load().then(onState, () => undefined);

  node.on('input', (msg: NodeMessageInFlow, _send: unknown, done: (err?: Error) => void) => {
    // Right after a start the tokens may still be loading: wait for them before judging the authorization.
    account.tokens
      .load()
      .then(
        (auth) => {
          if (auth.state === 'not_authorized' || auth.state === 'authorize_again') {
            const err = new AuthorizationError(
              auth.state,
              auth.state === 'authorize_again' ? AUTHORIZE_AGAIN_MESSAGE : NOT_AUTHORIZED_MESSAGE,
            );
            failMessage(RED, node, msg, err, done);
            return;
          }
          forcedMsg = msg;
          // Failures of an asked-for poll are reported with this message (node.error), so done() carries none.
          return poller.pollNow().then(() => done());
        },
        (err: Error) => failMessage(RED, node, msg, err, done),
      )
      .catch((err: unknown) => {
        // done() itself threw (Node-RED could not clone the message for a Catch or Complete node): log it
        // without the message; left unhandled, the rejection would stop the whole runtime.
        node.error(err instanceof Error ? err.message : String(err));
      });
  });

  node.on('close', (removed: boolean, done: () => void) => {
    closed = true;
    account.tokens.off('state', onState);
    poller
      .close()
      .then(() => (removed ? nodeState.write(stateKey, undefined) : undefined))
      .catch(() => undefined)
      .finally(() => done());
  });
}

/** The interval in ms: the node's setting, at least the operator's minimum (default 10 s). */
function pollInterval(node: Node, value: unknown, fallbackSeconds: number, minSeconds = DEFAULT_MIN_POLL_SECONDS): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  let seconds = Number.isFinite(n) && n > 0 ? n : fallbackSeconds;
  if (seconds < minSeconds) {
    node.warn(runtimeText('warnings.intervalBelowMinimum', { seconds, minimum: minSeconds }));
    seconds = minSeconds;
  }
  return Math.round(seconds * 1000);
}

/** Failures of the same kind in a row are reported once. */
function failureKind(err: Error): string {
  if (err instanceof SpotifyApiError) return `${err.status ?? 'network'}:${err.reason ?? ''}`;
  if (err instanceof AuthorizationError) return `auth:${err.code}`;
  return `${err.name}:${err.message}`;
}

/** How a trigger that finds new items sends them (its dialog's Send, Latest and Items as fields). */
export interface NewItemsOutput {
  format: OutputFormat;
  emit: TriggerEmit;
  /** How many the list holds with emit 'latest'. */
  latest: number;
}

/** Reads the output fields; a wrong value fails the poll with the field's dialog label. */
export function readNewItemsOutput(dialog: NodeFieldReader, def: { format?: unknown; emit?: unknown; latest?: unknown }): NewItemsOutput {
  const emit = dialog.choice<TriggerEmit>('emit', def.emit);
  return {
    format: dialog.choice<OutputFormat>('format', def.format),
    emit,
    latest: emit === 'latest' ? dialog.requiredInt('latest', def.latest) : 0,
  };
}

/**
 * The messages for the new items (oldest first): one per item, or one whose payload is the latest N items,
 * newest first (a table of the last plays refreshed on every new one). The new items make the list when there
 * are enough of them; else `readLatest` reads it (one request, only when something is new).
 */
export async function newItemsMessages<T>(
  items: readonly T[],
  output: NewItemsOutput,
  readLatest: (limit: number) => Promise<T[]>,
  facts: () => Record<string, unknown>,
): Promise<NodeMessage[]> {
  if (items.length === 0) return [];
  if (output.emit === 'each') return items.map((item) => withColumns({ payload: shapeItem(item, output.format), spotify: facts() }));
  const latest = items.length >= output.latest ? [...items].reverse() : await readLatest(output.latest);
  const list = latest.slice(0, output.latest).map((item) => shapeItem(item, output.format));
  return [withColumns({ payload: list, spotify: { ...facts(), count: list.length, new: items.length } })];
}
