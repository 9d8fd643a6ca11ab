// The event loop while bad messages arrive: an add tracks node inside Node-RED gets the worst messages of the
// issue (an empty array of length 10 million, 200,000 valid URIs, a 2 MB comma list, a payload 100,000 deep,
// a throwing getter) and, beside them, a normal one; the figure is the event loop's longest stall
// (perf_hooks.monitorEventLoopDelay) from the message going in to its answer or error coming out. A figure
// beside the normal message, without a verdict: a bar in milliseconds would be a constant, and a stall on a
// loaded machine is the machine's as much as the pack's. The tests check what each bad message gets (an error
// naming the field) by counts.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NodeMessage } from 'node-red';
import type { Row } from './report';
import { wired, type FlowNode, type RedEnv } from './red-env';

const NODE_ID = 'bad-add';
const AREA = 'Bad messages';

export function badMessageFlow(): FlowNode[] {
  return wired(NODE_ID, 'spotify-add-tracks', {});
}

/** Built before the measurement: V8 allocating a 10-million-slot array is the sender's stall, not the pack's. */
function badMessages(playlist: string, track: string): Record<string, () => NodeMessage> {
  return {
    'length 10,000,000 empty array': () => {
      const a: unknown[] = [];
      a.length = 1e7;
      return { playlist, payload: a };
    },
    '200,000 valid URIs': () => ({ playlist, payload: new Array<string>(200_000).fill(track) }),
    '2 MB comma list': () => ({ playlist, payload: `${track},`.repeat(Math.ceil(2e6 / (track.length + 1))).slice(0, 2e6) }),
    'payload 100,000 deep': () => {
      let p: unknown = { uri: track };
      for (let i = 0; i < 100_000; i++) p = { a: p };
      return { playlist, payload: p };
    },
    'throwing getter': () => {
      const msg = { playlist } as NodeMessage;
      Object.defineProperty(msg, 'payload', {
        enumerable: true,
        configurable: true,
        get() {
          throw new Error('boom');
        },
      });
      return msg;
    },
  };
}

export async function measureBadMessages(red: RedEnv, playlistId: string, track: string): Promise<Row[]> {
  const playlist = `spotify:playlist:${playlistId}`;
  const normal = await longestStall(red, { playlist, payload: new Array<string>(100).fill(track) }, 'out');
  let worst = { what: '', ms: 0 };
  const each: string[] = [];
  for (const [what, make] of Object.entries(badMessages(playlist, track))) {
    const ms = await longestStall(red, make(), 'error');
    each.push(`${what} ${ms.toFixed(0)}`);
    if (ms >= worst.ms) worst = { what, ms };
  }
  return [
    {
      area: AREA,
      what: 'event loop, longest stall per message (add tracks)',
      via: 'node in Node-RED, monitorEventLoopDelay',
      result: `normal (100 tracks): ${normal.toFixed(0)} ms; worst bad: ${worst.ms.toFixed(0)} ms (${worst.what}); each: ${each.join(', ')} ms`,
      bar: 'none: a figure beside the normal message',
      pass: undefined,
    },
  ];
}

/** The longest event-loop stall, in ms, from sending `msg` until it comes out where `expect` says. */
async function longestStall(red: RedEnv, msg: NodeMessage, expect: 'out' | 'error'): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  await tick(); // the first tick only sets the histogram's baseline
  try {
    await new Promise<void>((resolve, reject) => {
      const out = red.node(`${NODE_ID}-out`);
      const caught = red.node('caught');
      const timer = setTimeout(() => finish(new Error('no answer within 60 s')), 60_000);
      const onOut = (): void => finish(expect === 'out' ? undefined : new Error('a bad message was accepted'));
      const onError = (m: NodeMessage): void =>
        finish(expect === 'error' ? undefined : new Error(`failed: ${(m as { error?: { message?: string } }).error?.message}`));
      function finish(err?: Error): void {
        clearTimeout(timer);
        out.off('input', onOut);
        caught.off('input', onError);
        if (err) reject(err);
        else resolve();
      }
      out.on('input', onOut);
      caught.on('input', onError);
      red.node(NODE_ID).receive(msg);
    });
    await tick(); // a stall is recorded when the histogram's next tick fires
    return h.max / 1e6;
  } finally {
    h.disable();
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 25));
}
