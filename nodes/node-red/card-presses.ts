// What a dashboard viewer may ask of a now-playing card: exactly the presses the card's own client code sends
// (resources/spotify-ui-player.umd.js: `{spotifyCard: {command, value}}` through Dashboard 2's widget-action),
// read from an untrusted socket message, and the throttle they share per account. Anything else is refused
// with a short reason; nothing else of the message is kept.
import { InputError, reason } from '../spotify/errors';
import { expectText } from '../spotify/words';
import { cardRequest, planCommand, type CardRequest } from '../spotify/player-remote';
import { runtimeText } from './messages';
import { PressThrottle, type Press, type ThrottleLimits } from './press-throttle';
import { ThrottledLog } from './throttled-log';

/**
 * Per screen, and per account for all its cards and screens together; presses that collapse are free. A
 * screen's budget covers what a person does in a hurry (open the page, shuffle, repeat, volume, pick a device
 * …); the account's is about one command a second.
 */
export const CARD_PRESS_LIMITS: ThrottleLimits = { perViewer: 8, perOwner: 10, windowMs: 10_000, maxViewers: 1_000 };
/** A card logs refused, and dropped, presses at most once a minute each. */
const CARD_LOG_INTERVAL_MS = 60_000;

/** The card's buttons that send a value; the others send none. */
const WITH_VALUE: ReadonlySet<string> = new Set(['volume', 'seek', 'transfer']);
/** Play, pause and toggle share one slot: the latest of them is what the viewer wants. */
const PLAYBACK: ReadonlySet<string> = new Set(['play', 'pause', 'toggle']);
const MAX_VIEWER_ID = 64;

export type ViewerPress =
  /** A screen opened (or reconnected): it gets what the others show. */
  | { what: 'hello' }
  /** The device picker opened: the account's devices are read. */
  | { what: 'devices' }
  /** A player button; `value` as checked (a whole volume, a trimmed device id), null when it takes none. */
  | { what: 'command'; req: CardRequest; value: unknown };

/** A press from a widget-action message, or why it is refused (no more of the viewer's text than InputError quotes). */
export function readPress(msg: unknown): ViewerPress | { refused: string } {
  const card = field(msg, 'spotifyCard');
  const command = field(card, 'command');
  if (typeof command !== 'string') return { refused: new InputError('spotifyCard', expectText('cardPress')).message };
  const value = field(card, 'value');
  try {
    if (command === 'hello' || command === 'devices') return noValue(command, value) ?? { what: command };
    const req = cardRequest(command, value);
    if (!WITH_VALUE.has(req.command)) return noValue(req.command, value) ?? { what: 'command', req: { command: req.command }, value: null };
    // Checked as the command would be, without a view (these values do not depend on one).
    return { what: 'command', req, value: planCommand(req, undefined).value ?? null };
  } catch (err) {
    // Refused, never thrown: Dashboard 2 would log a thrown error at length for every such press.
    return { refused: reason(err) };
  }
}

/** How the throttle sees a press of `viewer` (Dashboard 2's socket id for the screen, or '' when it sends none). */
export function throttled(press: ViewerPress, viewer: string): Press {
  if (press.what !== 'command') return { viewer, kind: press.what, identity: press.what, costly: press.what === 'devices' };
  const { command } = press.req;
  return {
    viewer,
    kind: PLAYBACK.has(command) ? 'playback' : command,
    identity: `${command} ${JSON.stringify(press.value)}`,
    costly: true,
  };
}

/** A player command waits for its turn (it polls after itself, so the one before need not). */
export function commandWaits(throttle: PressThrottle): boolean {
  return throttle.isWaiting((p) => p.kind !== 'hello' && p.kind !== 'devices');
}

/**
 * The screen a message came from: Dashboard 2 writes the socket's id into `msg._client.socketId` (over whatever
 * the viewer sent) when its ui-base includes client data, as it does by default; otherwise every screen is ''.
 */
export function viewerOf(msg: unknown): string {
  const id = field(field(msg, '_client'), 'socketId');
  return typeof id === 'string' ? id.slice(0, MAX_VIEWER_ID) : '';
}

/** The log line for presses dropped by a limit. */
export function droppedText(limit: 'viewer' | 'owner'): string {
  const { perViewer, perOwner, windowMs } = CARD_PRESS_LIMITS;
  const seconds = windowMs / 1000;
  const which =
    limit === 'viewer'
      ? runtimeText('warnings.cardViewerLimit', { count: perViewer, seconds })
      : runtimeText('warnings.cardAccountLimit', { count: perOwner, seconds });
  return runtimeText('warnings.cardPressesDropped', { limit: which });
}

/** A warning a stranger can cause: written once a minute at most, the next one with how many were left out. */
export function strangerWarnings(warn: (text: string) => void): ThrottledLog {
  return new ThrottledLog(
    (line, skipped) => warn(skipped > 0 ? runtimeText('warnings.notLogged', { line, count: skipped }) : line),
    CARD_LOG_INTERVAL_MS,
  );
}

const throttles = new WeakMap<object, PressThrottle>();

/** The one throttle of an account (or of a card without one), shared by all its cards. */
export function throttleFor(owner: object): PressThrottle {
  let throttle = throttles.get(owner);
  if (!throttle) {
    throttle = new PressThrottle(CARD_PRESS_LIMITS);
    throttles.set(owner, throttle);
  }
  return throttle;
}

function field(v: unknown, name: string): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, name)
    ? (v as Record<string, unknown>)[name]
    : undefined;
}

/** Refused: a value on a button that sends none. */
function noValue(command: string, value: unknown): { refused: string } | undefined {
  return value === undefined || value === null ? undefined : { refused: new InputError(command, expectText('noValue'), value).message };
}
