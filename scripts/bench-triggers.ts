// What the trigger nodes cost while nothing changes, beside a poller written by hand (scripts/bench/hand-poller.ts:
// one page per watched list) and a full rescan of the same lists: requests per poll, each counted at the
// simulator over a fixed number of polls.
//
//   TUNEWIRE_BUILD_DIR=dist-x node scripts/build.js && node dist-x/scripts/bench-triggers.js [polls]
import type { NodeMessage } from 'node-red';
import type { AccountConfigNode } from '../nodes/node-red/action-node';
import { OPERATIONS } from '../nodes/spotify/operations';
import { collect } from '../nodes/spotify/paging';
import { DEFAULT_SCOPES } from '../nodes/spotify/scopes';
import { createEnv, ACCOUNT_ID, type FlowNode, type TestEnv } from '../test/support/env';
import { HandPoller, handPollerToken, type HandPolled } from './bench/hand-poller';

export interface TriggerBenchRow {
  trigger: string;
  watching: string;
  /** Requests one idle poll of the trigger makes (measured). */
  perPoll: number;
  /** Requests one idle poll of the poller written by hand makes (measured). */
  handPerPoll: number;
  /** Requests one full rescan of the same data makes (measured). */
  rescanPerPoll: number;
}

export interface TriggerBenchOptions {
  /** Polls measured per trigger (default 20). */
  polls?: number;
  playlists?: number;
  playlistSize?: number;
  savedTracks?: number;
}

export async function benchTriggers(opts: TriggerBenchOptions = {}): Promise<TriggerBenchRow[]> {
  const polls = opts.polls ?? 20;
  const playlistCount = opts.playlists ?? 5;
  const playlistSize = opts.playlistSize ?? 200;
  const savedTracks = opts.savedTracks ?? 500;
  const env = await createEnv({ data: { playlistSizes: Array(playlistCount).fill(playlistSize), savedTracks } });
  try {
    const playlists = env.sim.state.playlists.filter((p) => p.owner.id === env.sim.state.me.id).map((p) => p.uri);
    const triggers: { id: string; type: string; hand: HandPolled; props?: Record<string, unknown>; name: string; watching: string }[] = [
      { id: 'np', type: 'spotify-now-playing', hand: 'player', name: 'now playing', watching: 'the player, nothing playing' },
      {
        id: 'plays',
        hand: 'plays',
        type: 'spotify-new-plays',
        name: 'new recently played',
        watching: `recently played (${env.sim.state.plays.length} plays)`,
      },
      {
        id: 'pl',
        hand: 'playlist',
        type: 'spotify-playlist-changed',
        props: { playlists: playlists.join(',') },
        name: 'playlist changed',
        watching: `${playlistCount} playlists × ${playlistSize} items`,
      },
      {
        id: 'saved',
        hand: 'saved',
        type: 'spotify-new-saved',
        props: { savedType: 'tracks' },
        name: 'new saved',
        watching: `${savedTracks} saved tracks`,
      },
    ];
    // Long timer intervals: only the polls the bench asks for run while it counts.
    const flow: FlowNode[] = [env.accountNode({ scopes: DEFAULT_SCOPES.join(' ') })];
    for (const t of triggers) {
      flow.push({ id: t.id, type: t.type, account: ACCOUNT_ID, interval: '86400', firstRun: 'remember', ...t.props, wires: [[]] });
    }
    // One complete node for all (the test helper loads a core node module once per node of that type).
    flow.push({ id: 'done', type: 'complete', scope: triggers.map((t) => t.id), uncaught: false, wires: [['finished']] });
    flow.push({ id: 'finished', type: 'helper' });
    await env.load(flow);
    await env.authorize({ scopes: [...DEFAULT_SCOPES] });

    /** Asks a trigger to poll and waits until that poll is over (the complete node passes the message on). */
    const pollOnce = (id: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const finished = env.node('finished');
        const timer = setTimeout(() => reject(new Error(`${id}: the poll did not finish`)), 30_000);
        const on = (msg: NodeMessage): void => {
          if (msg.topic !== id) return;
          clearTimeout(timer);
          finished.off('input', on);
          resolve();
        };
        finished.on('input', on);
        env.node(id).receive({ topic: id });
      });
    const client = env.node<AccountConfigNode>(ACCOUNT_ID).account?.client;
    if (!client) throw new Error('the account is not running');
    const rescans: Record<string, () => Promise<unknown>> = {
      np: () => client.call(OPERATIONS.playbackState),
      plays: () => client.call(OPERATIONS.recentlyPlayed, { query: { limit: 50 } }),
      pl: () =>
        Promise.all(playlists.map((uri) => collect(client.list(OPERATIONS.playlistItems, { params: { playlist_id: uri.split(':')[2] } })))),
      saved: () => collect(client.list(OPERATIONS.savedItems, { params: { type: 'tracks' } })),
    };

    const hand = new HandPoller({
      apiUrl: env.sim.apiUrl,
      accessToken: await handPollerToken(env.sim),
      intervalMs: 0, // polled here one at a time, never started
      playlistIds: playlists.map((uri) => uri.split(':')[2]),
      emit: () => undefined,
    });

    // A poll asked for now starts after each trigger's first poll (which only remembers) has finished, so
    // nothing else is in flight while the bench counts. The hand-written poller's first polls remember too.
    for (const t of triggers) {
      await pollOnce(t.id);
      await hand.pollOnce(t.hand);
    }
    const rows: TriggerBenchRow[] = [];
    for (const t of triggers) {
      rows.push({
        trigger: t.name,
        watching: t.watching,
        perPoll: await measure(env, polls, () => pollOnce(t.id)),
        handPerPoll: await measure(env, polls, () => hand.pollOnce(t.hand)),
        rescanPerPoll: await measure(env, polls, rescans[t.id]),
      });
    }
    return rows;
  } finally {
    await env.close();
  }
}

/** Requests per run of `fn`, averaged over `runs` runs, as the simulator counted them. */
async function measure(env: TestEnv, runs: number, fn: () => Promise<unknown>): Promise<number> {
  env.sim.clearRequests();
  for (let i = 0; i < runs; i++) await fn();
  return env.sim.count({ kind: 'api' }) / runs;
}

export function formatTable(rows: TriggerBenchRow[]): string {
  const head = ['trigger', 'watching', 'req/poll', 'by hand req/poll', 'rescan req/poll'];
  const body = rows.map((r) => [r.trigger, r.watching, fmt(r.perPoll), fmt(r.handPerPoll), fmt(r.rescanPerPoll)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    'Requests per poll while nothing changes: trigger, a poller written by hand (one page per watched list), a full rescan:',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

if (require.main === module) {
  const polls = Number(process.argv[2] ?? 20);
  benchTriggers({ polls }).then(
    (rows) => {
      console.log(formatTable(rows));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
