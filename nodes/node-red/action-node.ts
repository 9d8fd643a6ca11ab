// What every action node does the same way: find its account, show the account's state and its own
// progress as status, run one task per message, and hand results to send() and failures to done(err).
import type { Node, NodeAPI, NodeMessage, NodeMessageInFlow, NodeStatus } from 'node-red';
import type { SpotifyAccount } from '../spotify/account';
import { AuthorizationError, InputError, SpotifyApiError } from '../spotify/errors';
import { BatchError } from '../spotify/batching';
import { StoreFileError } from '../spotify/file-store';
import { StoreUnavailableError } from '../spotify/state-store';
import type { RequestCounter } from '../spotify/http-client';
import { KeyedQueue } from '../spotify/keyed-queue';
import type { AuthorizationStatus } from '../spotify/token-manager';
import { refreshTokenExpiry, reauthorizeSoon } from '../spotify/consent';
import { requirementWords } from '../spotify/scopes';
import { clock, day } from '../spotify/local-time';
import { addFailureFacts } from './failure-facts';
import { copyingSend, failMessage } from './message-guard';
import { runtimeLocale, runtimeText } from './messages';
import { hasStatusWords, short } from './status-text';
import type { ResolvedPackSettings } from './pack-settings';

/** The runtime side of the `spotify-account` config node, as action nodes see it. */
export interface AccountConfigNode extends Node {
  account?: SpotifyAccount;
  packSettings: ResolvedPackSettings;
}

export interface TaskContext {
  account: SpotifyAccount;
  settings: ResolvedPackSettings;
  /** Counts the HTTP requests this message caused. */
  counter: RequestCounter;
  /** Sets the node's status while the task runs (e.g. progress of a long listing). */
  progress(text: string): void;
}

export type SendFn = (msg: NodeMessage | NodeMessage[]) => void;

/** A task returns the status text to show when it succeeds ("12 playlists"). */
export type Task = (msg: NodeMessageInFlow, send: SendFn, ctx: TaskContext) => Promise<string>;

export function statusFor(s: AuthorizationStatus): NodeStatus {
  switch (s.state) {
    case 'not_authorized':
      return { fill: 'yellow', shape: 'ring', text: runtimeText('status.notAuthorized') };
    case 'authorize_again':
      return { fill: 'red', shape: 'ring', text: runtimeText('status.authorizeAgain') };
    case 'store_unreadable':
      return {
        fill: 'red',
        shape: 'ring',
        text: runtimeText(s.storeUnavailable ? 'status.storeUnavailable' : 'status.tokenFileUnreadable'),
      };
    case 'authorized':
      return expiryWarning(s) ?? {};
    default:
      return {};
  }
}

/** "authorize again by 3 May" from two weeks before Spotify stops accepting the refresh token. */
export function expiryWarning(s: AuthorizationStatus, now: number = Date.now()): NodeStatus | undefined {
  if (s.state !== 'authorized' || s.authorizedAt === undefined || !reauthorizeSoon(s.authorizedAt, now)) return undefined;
  return {
    fill: 'yellow',
    shape: 'ring',
    text: runtimeText('status.authorizeAgainBy', { date: day(refreshTokenExpiry(s.authorizedAt), now, runtimeLocale()) }),
  };
}

export interface ActionOptions {
  /** One message at a time, in arrival order: for tasks that read and move a cursor. */
  sequential?: boolean;
}

export function runActionNode(RED: NodeAPI, node: Node, accountNodeId: unknown, task: Task, options: ActionOptions = {}): void {
  const configNode =
    typeof accountNodeId === 'string' && accountNodeId ? (RED.nodes.getNode(accountNodeId) as AccountConfigNode | null) : null;
  const account = configNode?.account;
  if (!configNode) node.status({ fill: 'red', shape: 'ring', text: runtimeText('status.noAccount') });
  else if (!account) node.status({ fill: 'red', shape: 'ring', text: runtimeText('status.accountIncomplete') });

  const onState = (s: AuthorizationStatus): void => node.status(statusFor(s));
  if (account) {
    account.tokens.on('state', onState);
    // A failed load shows through the 'state' event (store_unreadable); the message itself reaches msg.error.
    account.tokens.load().then(onState, () => undefined);
  }

  let active = 0;
  // While a Retry-After is waited out, the status says when requests resume instead of "requesting…". One
  // watcher per node (not per message): a cooldown may start with a thousand messages in flight.
  const showWait = (until: number): void => {
    if (active > 0 && until > Date.now())
      node.status({ fill: 'yellow', shape: 'ring', text: runtimeText('status.waitingUntil', { time: clock(until) }) });
  };
  const unwatch = account?.client.http.cooldown.watch(showWait);
  // With a shared store that stopped answering, this process paces the app's requests on its own: the status says
  // so while requests run (other instances of the app may then overrun its window).
  const requesting = (): string => runtimeText(account?.client.http.pacer.alone() ? 'status.pacedAlone' : 'status.requesting');
  const unwatchAlone = account?.client.http.pacer.watchAlone(() => {
    if (active > 0) node.status({ fill: 'blue', shape: 'dot', text: requesting() });
  });
  // A sequential node runs its messages one after another, each after the previous one's end (failed or not).
  const sequence = new KeyedQueue();
  const schedule = (run: () => Promise<string>): Promise<string> => (options.sequential ? sequence.run(node.id, run) : run());
  node.on('input', (msg: NodeMessageInFlow, send: SendFn, done: (err?: Error) => void) => {
    if (!configNode || !account) {
      failMessage(RED, node, msg, new Error(runtimeText(configNode ? 'errors.accountIncomplete' : 'errors.noAccount')), done);
      return;
    }
    const counter: RequestCounter = { requests: 0 };
    const ctx: TaskContext = {
      account,
      settings: configNode.packSettings,
      counter,
      progress: (text) => node.status({ fill: 'blue', shape: 'dot', text: short(text) }),
    };
    active++;
    ctx.progress(requesting());
    const pending = account.client.http.cooldown.resumesAt();
    if (pending !== undefined) showWait(pending);
    schedule(() => task(msg, copyingSend(RED, node, send), ctx))
      .then(
        (text) => {
          active--;
          node.status(active > 0 ? { fill: 'blue', shape: 'dot', text: requesting() } : { fill: 'green', shape: 'dot', text: short(text) });
          done();
        },
        (err: unknown) => {
          active--;
          const error = err instanceof Error ? err : new Error(String(err));
          try {
            addFailureFacts(msg, error, counter);
          } catch {
            // msg.spotify cannot be read or set (a getter, a frozen message): the error still goes out.
          }
          const authState = account.tokens.status();
          node.status(
            authState.state === 'authorize_again' || authState.state === 'not_authorized' || authState.state === 'store_unreadable'
              ? statusFor(authState)
              : { fill: 'red', shape: 'ring', text: short(statusTextFor(error)) },
          );
          failMessage(RED, node, msg, error, done);
        },
      )
      .catch((err: unknown) => {
        // done() itself threw after an output went out: Node-RED could not copy the message for a Complete node.
        // Log it without the message; left unhandled, it would stop the whole runtime.
        node.error(err instanceof Error ? err.message : String(err));
      });
  });
  node.on('close', () => {
    unwatch?.();
    unwatchAlone?.();
    account?.tokens.off('state', onState);
  });
}

/** A node status's few words for a failure, from the catalog. */
export function statusTextFor(error: Error): string {
  if (hasStatusWords(error)) return error.statusText;
  const cause = error instanceof BatchError ? error.cause : error;
  if (cause instanceof InputError) {
    // "tracks[3]" → "bad tracks at 3": the field by its dialog label and the position in the list.
    const at = /^(.*)\[(\d+)\]$/.exec(cause.field);
    return at ? runtimeText('status.badInputAt', { field: at[1], index: at[2] }) : runtimeText('status.badInput', { field: cause.field });
  }
  if (cause instanceof SpotifyApiError) {
    if (cause.status === 429)
      return cause.retryAt ? runtimeText('status.rateLimitedUntil', { time: clock(cause.retryAt) }) : runtimeText('status.rateLimited');
    if (cause.reason === 'NO_ACTIVE_DEVICE') return runtimeText('status.noActiveDevice');
    if (cause.status) return httpStatusText(cause.status);
    return runtimeText('status.networkError');
  }
  if (cause instanceof StoreFileError) return runtimeText('status.tokenFileUnreadable');
  if (cause instanceof StoreUnavailableError) return runtimeText('status.storeUnavailable');
  if (cause instanceof AuthorizationError) {
    // "needs: upload images": the scope to tick, in the words the account dialog uses for it.
    if (cause.code === 'missing_scope' && cause.missing.length > 0)
      return runtimeText('status.needsScope', { scopes: cause.missing.map((alt) => requirementWords(alt)).join(', ') });
    return runtimeText(
      cause.code === 'missing_scope'
        ? 'status.missingScope'
        : cause.code === 'not_authorized'
          ? 'status.notAuthorized'
          : 'status.tokenError',
    );
  }
  return runtimeText('status.error');
}

/** What an HTTP status means for the user, in words ("not found"), not as a number. */
function httpStatusText(status: number): string {
  if (status === 401) return runtimeText('status.authorizeAgain');
  if (status === 400) return runtimeText('status.badRequest');
  if (status === 403) return runtimeText('status.forbidden');
  if (status === 404) return runtimeText('status.notFound');
  if (status === 413) return runtimeText('status.tooLarge');
  if (status >= 500) return runtimeText('status.spotifyUnavailable');
  return runtimeText('status.refused');
}
