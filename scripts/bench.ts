// The benchmark: `npm run bench`. Measures the pack against the simulator (in its own process, 50 ms latency
// unless a row says otherwise) and prints one row per figure with its bar, PASS or FAIL, then writes the same
// table to BENCHMARKS.md. Figures are counts and ratios measured side by side in one run, so they hold on a
// busy machine. Exits 0 either way; the last lines say which rows failed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpotifyAccount } from '../nodes/spotify/account';
import { PACKAGE_ROOT, resolveNodeRed } from '../test/support/node-red-process';
import { badMessageFlow, measureBadMessages } from './bench/bad-messages';
import { BIG_PLAYLIST, floorFlow, LATENCY_MS, measureFloor, measurePaging, SAVED_TRACKS } from './bench/floor';
import { measureMemory, STREAM_ITEMS } from './bench/memory';
import { chooseLookup, lookupFlow, measureOverhead, measureRefresh } from './bench/overhead';
import { ACCOUNT_ID, BENCH_APPS, CLIENT_ID, CLIENT_SECRET, declaredNodeTypes, startRed } from './bench/red-env';
import { startRemoteSim } from './bench/remote-sim';
import { markdownTable, textReport, type Row } from './bench/report';
import { measurePeers } from './bench/peers';
import { measureStartup } from './bench/startup';
import { measureTriggers } from './bench/triggers';
import { measureFleet, measureFleetWindow } from './bench/fleet';

const COMMAND = 'npm run bench';

function progress(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

/** For work on the bench itself: TUNEWIRE_BENCH_ONLY=memory,paging runs only areas whose name contains one of
 *  the words, and leaves BENCHMARKS.md alone. */
const ONLY = (process.env.TUNEWIRE_BENCH_ONLY ?? '')
  .split(',')
  .map((w) => w.trim().toLowerCase())
  .filter(Boolean);

/** A measurement that throws becomes a FAIL row saying why, and the others still run. */
async function attempt(area: string, what: string, run: () => Promise<Row[]>): Promise<Row[]> {
  if (ONLY.length > 0 && !ONLY.some((w) => area.toLowerCase().includes(w))) return [];
  progress(`${area}: ${what}`);
  try {
    return await run();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    progress(`${area}: failed: ${err instanceof Error ? err.stack : message}`);
    return [{ area, what, via: '—', result: `error: ${message.slice(0, 300)}`, bar: '—', pass: false }];
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const types = declaredNodeTypes();
  const rows: Row[] = [];

  // The user's playlists, in /me/playlists order: 0 empty (writes go here), 4 small, 5 the 5,000, 6 the 50,000.
  const sim = await startRemoteSim({
    apps: BENCH_APPS,
    latencyMs: LATENCY_MS,
    data: { playlistSizes: [0, 3, 12, 51, 120, BIG_PLAYLIST, STREAM_ITEMS], savedTracks: SAVED_TRACKS },
  });
  try {
    const state = await sim.state(false);
    const ids = state.library.playlists;
    const [emptyPlaylistId, , , , smallPlaylistId, bigPlaylistId, hugePlaylistId] = ids as string[];
    const trackId = state.library.tracks[0].uri.split(':')[2];
    const lookup = chooseLookup(types, trackId);

    progress('starting Node-RED with the pack and authorizing');
    const red = await startRed(sim, [...floorFlow(types), ...lookupFlow(lookup), ...badMessageFlow()]);
    const account = new SpotifyAccount({
      id: ACCOUNT_ID,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      storeKey: red.storeKey,
      tokenStorePath: red.tokenStorePath,
      endpoints: { accountsUrl: sim.url, apiUrl: sim.apiUrl },
    });
    const ctx = { sim, red, account, types, bigPlaylistId, emptyPlaylistId };
    try {
      rows.push(...(await attempt('Requests against the floor', 'reads and writes', () => measureFloor(ctx))));
      rows.push(...(await attempt('Paging speed', '5,000-item playlist', () => measurePaging(ctx))));
      rows.push(...(await attempt('Per-message overhead', lookup.type, () => measureOverhead(sim, red, lookup))));
      rows.push(...(await attempt('Refresh under load', lookup.type, async () => [await measureRefresh(sim, red, lookup)])));
      rows.push(
        ...(await attempt('Bad messages', 'event loop stall', () => measureBadMessages(red, emptyPlaylistId, `spotify:track:${trackId}`))),
      );
    } finally {
      await red.close();
    }

    rows.push(
      ...(await attempt('Memory', `${STREAM_ITEMS} items, one message each`, async () => {
        const latencies = [LATENCY_MS, 0];
        if (types.has('spotify-playlist-tracks')) {
          const plan = {
            nodeType: 'spotify-playlist-tracks',
            playlistId: hugePlaylistId,
            warmUpPlaylistId: smallPlaylistId,
            expected: STREAM_ITEMS,
          } as const;
          return measureMemory({ simUrl: sim.url, ...plan }, latencies);
        }
        // A library of playlists instead: besides the 49,998 generated ones, /me/playlists lists a shared and a
        // followed playlist (and one null entry, which is skipped): 50,000 messages.
        const big = await startRemoteSim({ apps: BENCH_APPS, data: { playlistSizes: new Array<number>(STREAM_ITEMS - 2).fill(0) } });
        try {
          return await measureMemory({ simUrl: big.url, nodeType: 'spotify-get-playlists', expected: STREAM_ITEMS }, latencies);
        } finally {
          await big.stop();
        }
      })),
    );
  } finally {
    await sim.stop();
  }

  rows.push(...(await attempt('Side by side', 'the pack beside the clients users pick instead', () => measurePeers(progress))));
  rows.push(...(await attempt('Start-up', 'Node-RED with and without the pack', async () => [await measureStartup()])));
  rows.push(...(await attempt('Triggers', 'polling vs rescanning', () => measureTriggers(progress))));
  rows.push(...(await attempt('Several instances', 'one refresh for a pair on Redis', () => measureFleet())));
  rows.push(...(await attempt('Several instances', 'one rate budget for a pair on Redis', () => measureFleetWindow(progress))));

  const minutes = (Date.now() - started) / 60_000;
  const failed = rows.filter((r) => r.pass === false);
  const env = environment();
  process.stdout.write(`\n${env.lines.join('\n')}\n\n${textReport(rows)}\n\n`);
  if (ONLY.length === 0) {
    fs.writeFileSync(path.join(PACKAGE_ROOT, 'BENCHMARKS.md'), markdown(rows, env.lines, minutes));
    process.stdout.write(`Written to BENCHMARKS.md (${minutes.toFixed(1)} min).\n`);
  }
  process.stdout.write(
    failed.length === 0
      ? `All ${rows.filter((r) => r.pass).length} measured rows passed.\n`
      : `${failed.length} row(s) FAILED:\n${failed.map((r) => `  - ${r.area}: ${r.what}`).join('\n')}\n`,
  );
}

function environment(): { lines: string[] } {
  const nodeRed = (JSON.parse(fs.readFileSync(resolveNodeRed('node-red/package.json'), 'utf8')) as { version: string }).version;
  const cpus = os.cpus();
  return {
    lines: [
      `- Command: \`${COMMAND}\``,
      `- Date: ${new Date().toISOString()}`,
      `- Node.js ${process.version}, Node-RED ${nodeRed}, ${os.platform()} ${os.arch()}`,
      `- Machine: ${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), load average at the end ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')}`,
    ],
  };
}

function markdown(rows: readonly Row[], envLines: string[], minutes: number): string {
  const failed = rows.filter((r) => r.pass === false);
  return [
    '# Benchmarks',
    '',
    `Reproduce with \`${COMMAND}\` (installs if needed, builds, runs \`node dist/scripts/bench.js\`; this run took ${minutes.toFixed(1)} minutes).`,
    'It rewrites this file with the table below.',
    '',
    ...envLines,
    '',
    `The Spotify simulator runs in a process of its own (the real Spotify's work happens elsewhere too), answering after ${LATENCY_MS} ms unless a row says otherwise.`,
    'Every figure is a count or a ratio of two things measured side by side in the same run, so it holds on a busy machine; no time is asserted in the test suite.',
    '',
    markdownTable(rows),
    '',
    failed.length === 0 ? `All measured rows pass their bars.` : `Failed: ${failed.map((r) => `${r.area} — ${r.what}`).join('; ')}.`,
    '',
    '## What the rows mean',
    '',
    '- **Requests against the floor**: Spotify pages lists (50 per page, 10 for search) and takes writes in batches (100 tracks per playlist write, 40 URIs per library write). The fewest possible requests is ceil(N / limit); token requests are counted separately (0: the access token was still valid).',
    "- **Paging speed**: the pack reads the first page to learn the total, then the other pages 4 at a time, in order. The usual way (what other integrations do) follows each page's `next` link, one request after another; it is run here through the very same HTTP client, keep-alive agent and token handling. The floor is the time of ceil((pages − 1) / 4) + 1 round trips, a round trip being what one sequential page took in this run.",
    "- **Side by side**: the same workloads through the pack (its nodes in Node-RED, default settings) and through what users pick instead, on a simulator of their own: `spotify-web-api-node` 5.0.2 and `@spotify/web-api-ts-sdk` 1.2.0 (devDependencies of the benchmark only) written as a competent function-node user would (one page after another following `next`, the largest limit Spotify allows, a Retry-After loop, a refresh when a request answers 401, only the 2026 path renames applied: playlist `/tracks` → `/items`, library saves through `PUT /me/library`), and the requests a flow of core http request nodes sends (emulated with fetch). \"As shipped\" runs the libraries' own paths and documented limits. Reads and writes run 5 rounds, contestants in rotating order (the CPU this process spent is shown: every contestant runs in it, the simulator in its own); the floor is built from the round trip of a page measured at the start of the section. The rolling window is scaled down from Spotify's 30 s to 10 s (150 requests per window), so Retry-After's whole seconds weigh more than on Spotify; four flows of one app read at once, each one request after another at a latency where together they ask for twice the window's rate. Node-RED runs for days, so each contestant first reads more than one window allows (the first time the app meets the window: the pack's pacer learns from that 429, the others have nothing to learn; those 429s are shown), and the measured read follows in a fresh window. The token row counts token requests inside the app's rolling window. The reset row drops the connection after a batch was applied; every contestant's flow then sends the message again once (the pack's add tracks with \"Only tracks not already in the playlist\").",
    "- **Per-message overhead**: messages through a lookup node inside Node-RED (the whole path: message routing, input evaluation, request counting, token check, status) beside `got` called directly with a bearer token for the same URL, at the same concurrency, in paired rounds that alternate which side goes first; the figure is the median of the pairs' ratios. The CPU time this process spends per call is shown too (it is the steadiest sign of overhead on a shared machine). At 0 ms latency both sides only wait for the CPU, which a shared machine hands out unevenly (the pairs range about 0.5×–1.5×): that row is a figure, and the verdict is at 5 ms. The test helper's call-recording spies are removed first, as a real Node-RED has none.",
    '- **Refresh under load**: Spotify rejects the access token of every request in flight; all of them wait for one token request and are repeated.',
    '- **Memory**: resident memory of a Node-RED process streaming a long list one message per item, sampled every 5 ms, as growth over the baseline taken after a warm-up (a small list both ways, then the measured list once in full: V8 sizes its heap spaces on the first big run and keeps them, as in a Node-RED that has been running a while) and a garbage collection; then what is still held after the run and another collection. The control is an identical process that reads the same pages with bare `got`, at the same concurrency, and drops them: the least any Node.js program reading those pages allocates, so the difference between the two is what the pack and Node-RED add; the bar: peak growth through the node at most 1.5× that of the control (Node-RED makes a message of every item, where the control drops each page). Each side runs three times and the median counts: peak RSS depends on when V8 happens to collect. At 0 ms latency the list arrives as fast as possible: the worst case for buffering, shown beside its control without a verdict (the bar is for a realistic latency).',
    '- **Start-up**: wall time from spawning Node-RED to its "Started flows" log line, with the pack installed in the user directory and without it, alternating; the verdict is the ratio of the two medians.',
    "- **Bad messages**: the event loop's longest stall (perf_hooks.monitorEventLoopDelay, 10 ms resolution) from a message going into an add tracks node to its answer or error coming out: the worst messages a flow could send (an empty array of length 10 million, 200,000 valid URIs, a 2 MB comma list, a payload 100,000 deep, a property whose getter throws) beside a normal one. Each is refused before any per-item work; a figure without a verdict (a bar in milliseconds would be a constant; test/process/hostile-messages.test.ts checks what each message gets).",
    "- **Several instances**: two Node-RED processes with the same flow and account on one Redis (`spotifyAccount.store`), authorized once; Spotify rejects the access token and 100 messages arrive at each at once. The refresh takes a lock in Redis: the instance that waited for it uses the new token. Beside it, the same pair on file stores (each authorized on its own), which refreshes once per instance. The rate-budget rows run the pair under the side-by-side rolling window (150 requests per 10 s), four playlist-tracks flows in each instance, each instance alone asking for about twice the window's rate: after 30 s without requests (the pacer learns the window's length from a run that began idle), each instance first meets the window on its own (a window of its own: instances do not start together), then all eight flows read at once without a pause (the steady state: the window is full when they start), then once more while one instance is killed after a third of the requests and started again (its four flows sent again once it is up). On Redis the pacer admits the pair's requests against one window kept there; on file stores (beside it, in the same run) each instance paces alone, as every instance did before the window was shared. The steady rate is the window's budget in items (50 per page) per minute; the learned rate is below it by how much Retry-After's whole seconds lengthen the window the pacer learns.",
    "- **Triggers**: first, requests per poll while nothing changes, of the trigger nodes, of a poller written by hand as a function-node user would (one page per watched list per poll: recently played after its last play, the newest 50 saved tracks, the first 50 items of each watched playlist, the player) and of a full rescan of the same data, all counted at the simulator, as figures without a verdict. Then what the triggers add, on changes made in the simulator while they run (new saved tracks, tracks added to two watched playlists, new plays; now playing is timed on the plays, as each play starts a track): the pack's new saved, playlist changed, new recently played and now playing nodes run in a real Node-RED process (with a user directory; the operator's minimum poll interval lowered to 1 s for the local simulator) and post their messages to the bench. *Detection*: each change is made right after a poll of its trigger was answered, and the polls of that trigger the simulator received between the change and its message are counted; the bar is the first poll after the change. *Restart*: one change per list just before a SIGTERM, more than a page of saves and plays (and some playlist additions) while Node-RED is stopped; after the restart, and three polls of each trigger, every change must have come out exactly once and nothing from before again. *429 storm*: half of the reads answered 429 (the simulator's random fault rule, Retry-After 1 s) while changes are made, one of them more than a page at once; after three good polls of each trigger, every change once. The hand-written poller (what it last saw kept in memory, a Retry-After wait after a 429) meets the same script on a simulator of its own with the same seed, and a restart starts it with empty memory, as Node-RED's default context store does: its rows are figures beside the pack's.",
    '',
  ].join('\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
