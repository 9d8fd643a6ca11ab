// spotify player: a now-playing card for Node-RED Dashboard 2. It shows what an account plays (cover, title,
// artists, album, progress, device) on every screen that opens its dashboard page, and its buttons play, pause,
// skip, shuffle, repeat, set the volume and move playback to another device. All Spotify requests stay here in
// the runtime (one shared poll per account); the browser only ever gets the view's plain facts.
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { nodeTexts, runtimeText } from './node-red/messages';
import { cardWords } from './node-red/card-words';
import { dashboardGroup, DASHBOARD_PACKAGE, ensureWidgetSource, requiredDashboardVersion } from './node-red/dashboard';
import { statusFor, statusTextFor, type AccountConfigNode } from './node-red/action-node';
import { defaultIntervalSeconds, registerWithFields } from './node-red/fields';
import { DEFAULT_MIN_POLL_SECONDS, packSettings } from './node-red/pack-settings';
import { feedFor, type PlayerFeed } from './node-red/player-feed';
import { short } from './node-red/status-text';
import { failMessage } from './node-red/message-guard';
import { fieldLabelText } from './node-red/field-labels';
import { InputError } from './spotify/errors';
import { expectText } from './spotify/words';
import { cardRequest, playerView, type PlayerView } from './spotify/player-remote';
import {
  commandWaits,
  droppedText,
  readPress,
  strangerWarnings,
  throttled,
  throttleFor,
  viewerOf,
  type ViewerPress,
} from './node-red/card-presses';
import type { PlaybackState } from './spotify/player-watch';
import type { AuthorizationStatus } from './spotify/token-manager';

/** This node's own texts, in its catalog (ui-player.json). */
const ownText = nodeTexts('spotify-ui-player');

const WIDGET_TYPE = 'spotify-ui-player';

interface UiPlayerDef extends NodeDef {
  account?: string;
  group?: string;
  width?: string | number;
  height?: string | number;
  order?: number;
  /** Poll every (seconds while playing); not named `interval`: the card is no trigger, it starts no flow on a poll. */
  pollEvery?: string | number;
  idleFactor?: string | number;
}

const IDLE_FACTORS = [1, 2, 4, 8];

export = function register(RED: NodeAPI): void {
  const settings = packSettings(RED);

  function UiPlayerNode(this: Node, def: UiPlayerDef): void {
    RED.nodes.createNode(this, def);
    const group = dashboardGroup(RED, def.group);
    if (!group) {
      // Dashboard 2 is not installed (or no group is chosen): say what is needed, and do nothing else.
      const needs = ownText('status.needsDashboard', { package: DASHBOARD_PACKAGE, version: requiredDashboardVersion() });
      this.status({ fill: 'red', shape: 'ring', text: needs });
      this.warn(needs);
      this.on('input', (msg: NodeMessage, _send: unknown, done: (err?: Error) => void) =>
        failMessage(
          RED,
          this,
          msg,
          new InputError(fieldLabelText(WIDGET_TYPE, 'label.group'), expectText('dashboardGroup', { needs })),
          done,
        ),
      );
      return;
    }
    const configNode = def.account ? (RED.nodes.getNode(def.account) as AccountConfigNode | null) : null;
    const account = configNode?.account;
    const feed: PlayerFeed | undefined = account ? feedFor(account) : undefined;
    const base = group.getBase();
    const event = `spotify-player:${this.id}`;
    let shown: PlayerView | undefined;

    const show = (view: PlayerView): void => {
      shown = view;
      base.emit(event, view, this);
      if (view.problem) this.status({ fill: 'red', shape: 'ring', text: short(view.problem) });
      else this.status(statusOf(view));
    };

    // A viewer's press: checked, throttled with every card of the account, and sent out only once it ran.
    const throttle = throttleFor(account ?? this);
    const refusals = strangerWarnings((text) => this.warn(text));
    const drops = strangerWarnings((text) => this.warn(text));
    const refuse = (reason: string): null => {
      refusals.note(ownText('warnings.cardPressRefused', { reason }));
      return null;
    };

    const perform = async (press: ViewerPress): Promise<NodeMessage | null> => {
      if (press.what === 'hello') {
        // At no cost: what the other screens show.
        const now = shown ?? feed?.view;
        if (now) base.emit(event, now, this);
        return null;
      }
      if (press.what === 'devices') {
        if (feed) await feed.loadDevices().catch((err: Error) => show({ ...(feed.view ?? emptyView()), problem: statusTextFor(err) }));
        return null;
      }
      // Built afresh: nothing the viewer sent besides the checked press goes into the flow.
      const out = (value: unknown): NodeMessage => ({ topic: press.req.command, payload: { command: press.req.command, value } });
      if (!feed) return out(press.value);
      try {
        // The poll after it is left to the next command when one waits: every screen follows the last.
        const planned = await feed.command(press.req, () => !commandWaits(throttle));
        return out(planned.value ?? null);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        show({ ...(feed.view ?? emptyView()), problem: statusTextFor(error) });
        this.error(error, out(press.value));
        return null;
      }
    };

    const viewerAction = async (msg: Record<string, unknown>): Promise<NodeMessage | null> => {
      const press = readPress(msg);
      if ('refused' in press) return refuse(press.refused);
      const outcome = await throttle.submit(throttled(press, viewerOf(msg)), () => perform(press));
      if (outcome.kind === 'ran') return outcome.result;
      if (outcome.kind === 'dropped') drops.note(droppedText(outcome.limit));
      return null;
    };

    // The flow's messages, told apart from a viewer's in beforeSend (Dashboard 2 runs it for both): this listener
    // comes before the one group.register adds, and sees the same message object first.
    const fromFlow = new WeakSet<object>();
    this.on('input', (msg: NodeMessage) => fromFlow.add(msg));

    group.register(
      this,
      {
        id: def.id,
        type: def.type,
        z: def.z,
        name: def.name,
        group: def.group,
        width: def.width,
        height: def.height,
        order: def.order,
        words: cardWords(),
      },
      {
        onAction: true,
        beforeSend: async (msg) => (fromFlow.has(msg) ? msg : await viewerAction(msg)),
        // A viewer's widget-change and widget-send: the card sends neither, and Dashboard 2 would pass them on.
        onChange: () => void refuse('widget-change'),
        onSend: () => void refuse('widget-send'),
        onInput: async (msg) => {
          const command = msg.command;
          if (command !== undefined && command !== null && command !== '') {
            const req = cardRequest(command, msg.payload);
            if (!feed) throw new InputError('command', expectText('cardAccount'), command);
            await feed.command(req);
            return;
          }
          const view = viewFromMessage(msg.payload);
          if (!view) throw new InputError('payload', expectText('playerState'));
          // This card only, until the next poll of the account replaces it.
          show(view);
        },
      },
    );
    ensureWidgetSource(group, this, WIDGET_TYPE);

    if (!configNode || !account || !feed) {
      this.status(configNode ? { fill: 'red', shape: 'ring', text: runtimeText('status.accountIncomplete') } : {});
      return;
    }
    const onState = (s: AuthorizationStatus): void => {
      if (s.state !== 'authorized') this.status(statusFor(s));
    };
    account.tokens.on('state', onState);
    const unsubscribe = feed.subscribe(show, {
      intervalMs: pollSeconds(this, def.pollEvery) * 1000,
      idleFactor: IDLE_FACTORS.includes(Number(def.idleFactor)) ? Number(def.idleFactor) : 4,
    });
    this.on('close', (_removed: boolean, done: () => void) => {
      account.tokens.off('state', onState);
      void unsubscribe().finally(done);
    });
  }

  /** Poll every, at least the operator's minimum. */
  function pollSeconds(node: Node, value: unknown): number {
    const n = Number(value);
    const seconds = Number.isFinite(n) && n > 0 ? n : defaultIntervalSeconds(WIDGET_TYPE);
    const minimum = settings.minPollSeconds ?? DEFAULT_MIN_POLL_SECONDS;
    if (seconds >= minimum) return seconds;
    node.warn(runtimeText('warnings.intervalBelowMinimum', { seconds, minimum }));
    return minimum;
  }

  registerWithFields(RED, WIDGET_TYPE, UiPlayerNode, settings.minPollSeconds);
};

/** A player state from a flow: GET /me/player's shape, a now playing event ({current}), or null (nothing active). */
function viewFromMessage(payload: unknown): PlayerView | undefined {
  if (payload === null) return playerView(null, Date.now());
  if (typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  const state = 'current' in p && !('is_playing' in p) ? p.current : p;
  if (state === null) return playerView(null, Date.now());
  if (typeof state !== 'object' || Array.isArray(state) || !('is_playing' in state)) return undefined;
  return playerView(state as PlaybackState, Date.now());
}

function emptyView(): PlayerView {
  return playerView(null, Date.now());
}

function statusOf(view: PlayerView): { fill?: 'green' | 'grey'; shape?: 'dot' | 'ring'; text?: string } {
  if (view.mode === 'no-device') return { fill: 'grey', shape: 'ring', text: runtimeText('summary.noActiveDevice') };
  if (view.mode === 'idle' || !view.item) return { fill: 'grey', shape: 'ring', text: runtimeText('summary.nothingPlaying') };
  const name = short(view.item.name);
  return view.mode === 'playing'
    ? { fill: 'green', shape: 'dot', text: runtimeText('summary.nowPlaying', { name }) }
    : { fill: 'grey', shape: 'dot', text: runtimeText('summary.nowPaused', { name }) };
}
