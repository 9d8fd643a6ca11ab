// now playing: a trigger that emits when the track changes, playback starts, pauses, resumes or stops, or moves
// to another device. One GET /me/player per poll; the next poll comes right after the track should end, and
// less often while nothing plays.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { defaultIntervalSeconds, NodeFieldReader, registerTrigger } from './node-red/fields';
import { nodeTexts, runtimeText } from './node-red/messages';
import { runTriggerNode, type TriggerDef } from './node-red/trigger-node';
import { isLoaded, isTransient, nextPlayerPoll, playerChange, readPlayback, type PlaybackState } from './spotify/player-watch';

/** This node's own texts, in its catalog (now-playing.json). */
const ownText = nodeTexts('spotify-now-playing');

interface NowPlayingDef extends TriggerDef {
  /** Interval multiplier while nothing plays (1, 2, 4 or 8; default 4). */
  idleFactor?: string | number;
  /** The country items are relinked for (Spotify's market); empty: the user's own. */
  market?: string;
}

interface NowPlayingState {
  /** The answer of the poll that last saw a change (null: nothing active). */
  player: PlaybackState | null;
}

const IDLE_FACTORS = [1, 2, 4, 8];

export = function register(RED: NodeAPI): void {
  function NowPlayingNode(this: Node, def: NowPlayingDef): void {
    RED.nodes.createNode(this, def);
    const factor = Number(def.idleFactor ?? 4);
    const idleFactor = IDLE_FACTORS.includes(factor) ? factor : 4;
    const dialog = new NodeFieldReader('spotify-now-playing', def);
    // The last answer seen (progress included), so `previous` is the state right before the change.
    let last: PlaybackState | null | undefined;
    let lastWasEarly = false;

    runTriggerNode<NowPlayingState>(
      RED,
      this,
      def,
      async (ctx) => {
        const market = dialog.market('market', def.market);
        const current = await readPlayback(ctx.account.client, ctx.counter, ctx.signal, market);
        if (isTransient(current)) return { text: ownText('status.ad'), nextInMs: ctx.intervalMs };
        const firstEver = ctx.state === undefined && last === undefined;
        const previous = last !== undefined ? last : (ctx.state?.player ?? null);
        const change = firstEver ? undefined : playerChange(previous, current);
        const out: NodeMessage[] = [];
        const facts = { requests: ctx.counter.requests };
        if (change) {
          out.push({ topic: change.event, payload: { event: change.event, changes: change.changes, current, previous }, spotify: facts });
        } else if ((firstEver && ctx.firstRun === 'emit') || ctx.request) {
          // The state as it is: on the first run when asked to, and as the answer to an input message.
          const msg: NodeMessage = ctx.request ? RED.util.cloneMessage(ctx.request) : {};
          msg.topic = 'current';
          msg.payload = { event: 'current', changes: [], current, previous: firstEver ? null : previous };
          msg.spotify = facts;
          out.push(msg);
        }
        ctx.send(out);
        last = current;
        if (firstEver || change) await ctx.save({ player: current });
        const next = nextPlayerPoll(current, ctx.intervalMs, idleFactor, lastWasEarly);
        lastWasEarly = next.early;
        return { text: describePlayback(current), nextInMs: next.delayMs };
      },
      { stateName: 'now-playing', defaultIntervalSeconds: defaultIntervalSeconds('spotify-now-playing') },
    );
  }
  registerTrigger(RED, 'spotify-now-playing', NowPlayingNode);
};

/** "▶ Song name", "⏸ Song name" or "nothing playing", from the runtime catalog. */
function describePlayback(s: PlaybackState | null): string {
  if (!isLoaded(s)) return runtimeText('summary.nothingPlaying');
  return runtimeText(s.is_playing ? 'summary.nowPlaying' : 'summary.nowPaused', { name: s.item.name ?? s.item.uri });
}
