// Side by side: the pack (as nodes in Node-RED) beside what users pick instead (peer-clients.ts), on the same
// simulator in the same run, one workload at a time, contestants interleaved round by round. Every verdict is a
// ratio or a count measured here: the floor of a read comes from the round trip measured in this run.
import type { NodeMessage } from 'node-red';
import { httpRequestPeer, tsSdkPeer, webApiNodePeer, type Peer, type PeerSetup } from './peer-clients';
import { BENCH_APPS, BENCH_SCOPES, CLIENT_ID, CLIENT_SECRET, drive, startRed, wired, type FlowNode, type RedEnv } from './red-env';
import { startRemoteSim, type RemoteSim } from './remote-sim';
import { int, median, ms, ratio, type Row } from './report';
import { userTokens } from './user-tokens';

const AREA = 'Side by side';
const LATENCY_MS = 50;
const READ_ITEMS = 5000;
const SAVED = 2000;
const ADD = 1000;
const SAVE = 400;
const LOOKUPS = 200;
const ROUNDS = 5;
/** The rolling window, scaled down from Spotify's 30 s so the row takes seconds: 150 requests per 10 s (15 a
 *  second). Several flows of one app read at once, at a latency where their requests one after another come to
 *  about twice that rate. */
const WINDOW = { budget: 150, windowMs: 10_000 };
const WINDOW_READERS = 4;
const WINDOW_LATENCY_MS = Math.round(WINDOW_READERS / ((2 * WINDOW.budget) / WINDOW.windowMs));
const WINDOW_ITEMS = 5_000;
/** The first read: more than one window allows. */
const WARM_ITEMS = 2_500;
/** The token workload's window: the pack's 401 requests fit it, one token request per message does not. */
const TOKEN_WINDOW = { budget: 450, windowMs: 5_000 };
const RESET_AFTER_BATCHES = 4;

interface Tally {
  ms: number;
  /** CPU time this process spent (every contestant runs in it; the simulator runs in its own). */
  cpuMs: number;
  api: number;
  limited: number;
  token: number;
  value: number;
  error?: string;
}

interface Contestant {
  name: string;
  via: string;
  pack: boolean;
  readPlaylist(id: string): Promise<number>;
  /** Several flows reading one playlist each, all at once. */
  readAtOnce(ids: string[]): Promise<number>;
  readSavedTracks(): Promise<number>;
  addTracks(id: string, uris: string[]): Promise<number>;
  saveToLibrary(uris: string[]): Promise<number>;
  lookups(trackId: string, n: number): Promise<number>;
}

const NODES = {
  pt: { type: 'spotify-playlist-tracks', props: { output: 'array' } },
  si: { type: 'spotify-saved-items', props: { itemType: 'tracks', output: 'array' } },
  at: { type: 'spotify-add-tracks', props: {} },
  atSafe: { type: 'spotify-add-tracks', props: { skipExisting: true } },
  sl: { type: 'spotify-save-to-library', props: {} },
  lk: { type: 'spotify-get-item', props: { itemType: 'track' } },
  ...Object.fromEntries(
    Array.from({ length: WINDOW_READERS }, (_, i) => [`w${i}`, { type: 'spotify-playlist-tracks', props: { output: 'array' } }]),
  ),
} as Record<string, { type: string; props: Record<string, unknown> }>;

function peersFlow(): FlowNode[] {
  return Object.entries(NODES).flatMap(([id, n]) => wired(`pe-${id}`, n.type, n.props));
}

/** One message through a node; its answer, or the error a catch node got. */
async function viaNode(red: RedEnv, id: string, msg: NodeMessage): Promise<NodeMessage> {
  const { messages } = await drive(red, `pe-${id}`, () => msg, { total: 1, inFlight: 1, timeoutMs: 120_000 });
  return messages[0];
}

function packContestant(red: RedEnv): Contestant {
  return {
    name: 'the pack',
    via: 'its nodes in Node-RED (default settings)',
    pack: true,
    readPlaylist: async (id) => ((await viaNode(red, 'pt', { playlist: id })).payload as unknown[]).length,
    readAtOnce: async (ids) =>
      sum(await Promise.all(ids.map(async (id, i) => ((await viaNode(red, `w${i}`, { playlist: id })).payload as unknown[]).length))),
    readSavedTracks: async () => ((await viaNode(red, 'si', { limit: SAVED })).payload as unknown[]).length,
    addTracks: async (id, uris) => (await viaNode(red, 'at', { playlist: id, payload: uris }), uris.length),
    saveToLibrary: async (uris) => (await viaNode(red, 'sl', { payload: uris }), uris.length),
    lookups: async (trackId, n) =>
      (
        await drive(red, 'pe-lk', () => ({ payload: `spotify:track:${trackId}` }), {
          total: n,
          inFlight: n,
          keep: false,
          timeoutMs: 120_000,
        })
      ).received,
  };
}

const sum = (ns: number[]): number => ns.reduce((a, b) => a + b, 0);

function asContestant(p: Peer): Contestant {
  return {
    ...p,
    name: p.name,
    via: p.via,
    pack: false,
    readAtOnce: async (ids) => sum(await Promise.all(ids.map((id) => p.readPlaylist(id)))),
  };
}

async function tally(sim: RemoteSim, run: () => Promise<number>): Promise<Tally> {
  await sim.clearRequests();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let value = 0;
  let error: string | undefined;
  try {
    value = await run();
  } catch (err) {
    error = (err instanceof Error ? err.message : String(err)).slice(0, 160);
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const log = await sim.requests();
  return {
    ms: elapsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    api: log.filter((r) => r.kind === 'api').length,
    limited: log.filter((r) => r.status === 429).length,
    token: log.filter((r) => r.path === '/api/token').length,
    value,
    error,
  };
}

/** The median round trip of one small API request, measured now (the floors below are built from it). */
async function roundTrip(sim: RemoteSim, accessToken: string, playlistId: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const res = await fetch(`${sim.apiUrl}/playlists/${playlistId}/items?limit=50&offset=${i * 50}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return median(times.slice(3));
}

function cell(t: Tally, what: string): string {
  return t.error
    ? `FAILED: ${t.error} (after ${int(t.api)} request${t.api === 1 ? '' : 's'})`
    : `${int(t.value)} ${what}; ${int(t.api)} requests, ${int(t.limited)} answered 429, ${t.token} token request${t.token === 1 ? '' : 's'}`;
}

/** A simulator and a Node-RED of their own, the pack's settings at their defaults (the app's pacer starts
 *  knowing nothing), and the contestants authorized on it. */
async function arena<T>(
  data: { playlistSizes: number[]; savedTracks?: number },
  fn: (a: { sim: RemoteSim; red: RedEnv; contestants: Contestant[]; shipped: Contestant[]; accessToken: string }) => Promise<T>,
): Promise<T> {
  const sim = await startRemoteSim({ apps: BENCH_APPS, latencyMs: LATENCY_MS, data });
  let red: RedEnv | undefined;
  try {
    red = await startRed(sim, peersFlow(), { maxRetryAfterSeconds: 60 });
    // The peers' own authorization, as their READMEs show.
    const tokens = await userTokens(sim.url, (u) => sim.consent(u), BENCH_SCOPES);
    const setup = (renames: boolean): PeerSetup => ({
      apiUrl: sim.apiUrl,
      accountsUrl: sim.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      ...tokens,
      renames,
    });
    const contestants: Contestant[] = [
      packContestant(red),
      asContestant(webApiNodePeer(setup(true))),
      asContestant(tsSdkPeer(setup(true))),
      asContestant(httpRequestPeer(setup(true))),
    ];
    const shipped = [asContestant(webApiNodePeer(setup(false))), asContestant(tsSdkPeer(setup(false)))];
    return await fn({ sim, red, contestants, shipped, accessToken: tokens.accessToken });
  } finally {
    await red?.close();
    await sim.stop();
  }
}

export async function measurePeers(progress: (text: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  // 1. The rolling window, in an arena of its own: what the pack's pacer learns there stays there. Node-RED runs
  //    for days; a Spotify app meets its window once and then keeps meeting it. So every contestant first reads
  //    more than one window allows (the pack's pacer learns from that first 429; the others have nothing to
  //    learn), and the measured read follows in a fresh window. The first read's 429s are shown too.
  await arena(
    { playlistSizes: [...new Array<number>(WINDOW_READERS).fill(WINDOW_ITEMS), ...new Array<number>(WINDOW_READERS).fill(WARM_ITEMS)] },
    async ({ sim, contestants }) => {
      const all = ((await sim.state(false)).library.playlists as string[]).slice(0, 2 * WINDOW_READERS);
      const ids = all.slice(0, WINDOW_READERS);
      const warmIds = all.slice(WINDOW_READERS);
      progress('side by side: rolling window');
      const total = WINDOW_READERS * WINDOW_ITEMS;
      const allowedPerMin = (WINDOW.budget / WINDOW.windowMs) * 60_000 * 50;
      const results: { c: Contestant; first: Tally; t: Tally }[] = [];
      await sim.setLatency(WINDOW_LATENCY_MS);
      for (const c of contestants) {
        await sim.setRateLimit(WINDOW);
        const first = await tally(sim, () => c.readAtOnce(warmIds));
        await sim.setRateLimit(WINDOW);
        const t = await tally(sim, () => c.readAtOnce(ids));
        results.push({ c, first, t });
        progress(
          `side by side: rolling window: ${c.name}: first ${first.limited} of ${first.api}, then ${t.limited} of ${t.api} answered 429`,
        );
      }
      await sim.setRateLimit(undefined);
      await sim.setLatency(LATENCY_MS);
      const perMin = (t: Tally) => (t.value / t.ms) * 60_000;
      const share = (t: Tally) => (t.api ? t.limited / t.api : 0);
      const pack = results[0].t;
      const packOk = !pack.error && pack.value === total && share(pack) <= 0.01;
      for (const { c, first, t } of results) {
        rows.push({
          area: AREA,
          what: `${WINDOW_READERS} flows of one app read ${int(WINDOW_ITEMS)} playlist items each, at once, under a rolling window of ${WINDOW.budget} requests per ${WINDOW.windowMs / 1000} s; ${WINDOW_LATENCY_MS} ms latency, where their requests one after another come to about 2× that rate`,
          via: `${c.name}: ${c.via}`,
          result: `${cell(t, 'items')}; ${ms(t.ms)}, ${int(perMin(t))} items/min; ${(share(t) * 100).toFixed(1)} % answered 429${c.pack ? '' : `; the pack: ${ratio(perMin(pack) / perMin(t))} the items per minute`}. The first read (${int(WINDOW_READERS * WARM_ITEMS)} items, the first time the app met the window): ${first.error ? `FAILED: ${first.error}` : `${int(first.limited)} of ${int(first.api)} requests answered 429`}`,
          bar: c.pack
            ? `≤ 1 % of requests answered 429, every item (the window's steady rate: ${int(allowedPerMin)} items/min)`
            : 'the pack reads more items per minute, with under a third of the share of requests answered 429',
          pass: c.pack ? packOk : packOk && perMin(pack) > perMin(t) && share(pack) < share(t) / 3,
        });
      }
    },
  );

  const contestantsCount = 4;
  // Targets: one empty playlist per contestant for each write workload (add, reset) and its repeat rounds.
  const empties = contestantsCount * (ROUNDS + 1) + 2;
  await arena(
    { playlistSizes: [READ_ITEMS, ...new Array<number>(empties).fill(0)], savedTracks: SAVED },
    async ({ sim, red, contestants, shipped, accessToken }) => {
      const state = await sim.state(true);
      const [bigId, ...emptyIds] = state.library.playlists as string[];
      // Real catalogue tracks (generated, so read from the simulator): the big playlist's, each once.
      const trackUris = [
        ...new Set(
          (state.playlists.find((p) => p.id === bigId)?.items ?? []).map((e) => e.uri).filter((u) => u.startsWith('spotify:track:')),
        ),
      ];
      const catalogue = trackUris.slice(0, ADD + SAVE);
      if (catalogue.length < ADD + SAVE) throw new Error(`only ${catalogue.length} distinct tracks to write`);
      const rtt = await roundTrip(sim, accessToken, bigId);
      progress(`side by side: round trip ${rtt.toFixed(1)} ms`);
      // 2. Reads and ordered writes, interleaved round by round.
      type Work = {
        key: string;
        what: string;
        unit: string;
        floorRequests: number;
        run: (c: Contestant, round: number) => Promise<number>;
      };
      const works: Work[] = [
        {
          key: 'read',
          what: `read a playlist of ${int(READ_ITEMS)} items`,
          unit: 'items',
          floorRequests: READ_ITEMS / 50,
          run: (c) => c.readPlaylist(bigId),
        },
        {
          key: 'saved',
          what: `read ${int(SAVED)} saved tracks`,
          unit: 'items',
          floorRequests: SAVED / 50,
          run: (c) => c.readSavedTracks(),
        },
        {
          key: 'add',
          what: `add ${int(ADD)} tracks to a playlist`,
          unit: 'tracks added',
          floorRequests: ADD / 100,
          run: (c, round) => c.addTracks(emptyIds[round * contestants.length + contestants.indexOf(c)], catalogue.slice(0, ADD)),
        },
        {
          key: 'save',
          what: `save ${int(SAVE)} tracks to the library (order kept)`,
          unit: 'saved',
          floorRequests: SAVE / 40,
          run: (c) => c.saveToLibrary(catalogue.slice(ADD, ADD + SAVE)),
        },
      ];
      for (const w of works) {
        progress(`side by side: ${w.what}`);
        const runs = new Map<Contestant, Tally[]>(contestants.map((c) => [c, []]));
        for (let round = 0; round < ROUNDS; round++) {
          // Rotate who goes first, so drift on the machine lands on everyone.
          for (let i = 0; i < contestants.length; i++) {
            const c = contestants[(i + round) % contestants.length];
            runs.get(c)!.push(await tally(sim, () => w.run(c, round)));
          }
        }
        const packMs = median(runs.get(contestants[0])!.map((t) => t.ms));
        const reads = w.key === 'read' || w.key === 'saved';
        // Floors from this run's round trip: the pack's 4 lanes after the first page; one at a time otherwise.
        const trips = reads ? Math.ceil((w.floorRequests - 1) / 4) + 1 : w.floorRequests;
        const floorMs = trips * rtt;
        // 3× faster, unless so few pages cap what 4 lanes can gain (40 pages: at most 40/11): then 80 % of that.
        const minSpeedup = Math.min(3, (0.8 * w.floorRequests) / trips);
        for (const c of contestants) {
          const ts = runs.get(c)!;
          const t = ts[ts.length - 1];
          const failed = ts.find((x) => x.error);
          const mid = median(ts.map((x) => x.ms));
          const vsPack = mid / packMs;
          const allDone = ts.every(
            (x) => !x.error && x.value === (reads ? (w.key === 'read' ? READ_ITEMS : SAVED) : w.key === 'add' ? ADD : SAVE),
          );
          rows.push({
            area: AREA,
            what: w.what,
            via: `${c.name}: ${c.via}`,
            result: `${cell(failed ?? t, w.unit)}; median ${ms(mid)} of ${ts.length}${c.pack ? `; ${ratio(mid / floorMs)} the floor` : `: ${ratio(vsPack)} the pack's time`}; CPU of this process ${ms(median(ts.map((x) => x.cpuMs)))} (median)`,
            bar: c.pack
              ? `the floor: ${int(w.floorRequests)} requests, ${reads ? `ceil(${int(w.floorRequests - 1)}/4)+1` : int(w.floorRequests)} round trips of ${rtt.toFixed(1)} ms (measured) = ${ms(floorMs)}; ${reads ? '≤ 1.5× that' : '≤ 1.5× that'}`
              : reads
                ? minSpeedup >= 3
                  ? 'the pack ≥ 3× faster'
                  : `the pack ≥ ${ratio(minSpeedup)} faster (80 % of the ${int(w.floorRequests)}/${trips} that 4 lanes can gain over one request at a time)`
                : 'the pack at parity or better (≤ 1.10× this time)',
            pass: c.pack
              ? allDone && t.api === w.floorRequests && mid <= 1.5 * floorMs
              : reads
                ? vsPack >= minSpeedup
                : packMs <= 1.1 * mid,
          });
        }
      }

      // 3. As shipped: the libraries' own paths and documented limits on the 2026 API.
      for (const c of shipped) {
        progress(`side by side: ${c.name}`);
        const checks: [string, () => Promise<number>][] = [
          ['read a playlist', () => c.readPlaylist(bigId)],
          ['add tracks', () => c.addTracks(emptyIds[emptyIds.length - 1], catalogue.slice(0, 100))],
          ['save to the library', () => c.saveToLibrary(catalogue.slice(ADD, ADD + 40))],
        ];
        const parts: string[] = [];
        for (const [what, run] of checks) {
          const t = await tally(sim, run);
          parts.push(
            `${what}: ${t.error ? `fails (${t.error.slice(0, 80)}) after ${t.api} request${t.api === 1 ? '' : 's'}` : `works (${t.api} requests)`}`,
          );
        }
        rows.push({
          area: AREA,
          what: 'the 2026 API, as shipped',
          via: `${c.name}: ${c.via}`,
          result: parts.join('; '),
          bar: 'none: a figure',
          pass: undefined,
        });
      }

      // 4. An expired token, with the token endpoint counted in a rolling window too.
      {
        progress('side by side: expired token');
        const trackId = catalogue[0].split(':')[2];
        const results: { c: Contestant; t: Tally }[] = [];
        for (const c of contestants) {
          await sim.setRateLimit(TOKEN_WINDOW);
          await sim.expireAccessTokens();
          results.push({ c, t: await tally(sim, () => c.lookups(trackId, LOOKUPS)) });
        }
        await sim.setRateLimit(undefined);
        const pack = results[0].t;
        for (const { c, t } of results) {
          rows.push({
            area: AREA,
            what: `${LOOKUPS} lookups at once on an expired access token; the app may make ${TOKEN_WINDOW.budget} requests per ${TOKEN_WINDOW.windowMs / 1000} s, token requests included`,
            via: `${c.name}: ${c.via}`,
            result: `${cell(t, `of ${LOOKUPS} answered`)}; ${ms(t.ms)}${c.pack ? '' : `: ${ratio(t.ms / pack.ms)} the pack's time`}`,
            bar: c.pack ? 'exactly 1 token request, every lookup answered' : 'the pack: 1 token request against one per message here',
            pass: c.pack ? t.token === 1 && t.value === LOOKUPS : pack.token === 1 && t.token >= LOOKUPS / 2,
          });
        }
      }

      // 5. A connection reset after batch k of an add (the write happened, its answer was lost), then the
      //    flow sends the message again: what each leaves in the playlist.
      {
        progress('side by side: connection reset');
        const uris = catalogue.slice(0, ADD);
        let target = ROUNDS * contestants.length;
        const packSafe: Contestant = {
          ...contestants[0],
          addTracks: async (id, list) => (await viaNode(red, 'atSafe', { playlist: id, payload: list }), list.length),
        };
        for (const c of [packSafe, ...contestants.slice(1)]) {
          const playlist = emptyIds[target++];
          await sim.clearFaults();
          await sim.addFault({
            method: 'POST',
            path: `/v1/playlists/${playlist}/items`,
            reset: true,
            afterEffect: true,
            every: RESET_AFTER_BATCHES + 1,
            times: 1,
          });
          const t = await tally(sim, async () => {
            try {
              return await c.addTracks(playlist, uris);
            } catch {
              return await c.addTracks(playlist, uris); // the flow's catch node sends it again, once
            }
          });
          await sim.clearFaults();
          const items = (await sim.state(true)).playlists.find((p) => p.id === playlist)?.items?.map((e) => e.uri) ?? [];
          const duplicates = items.length - new Set(items).size;
          const missing = uris.filter((u) => !items.includes(u)).length;
          rows.push({
            area: AREA,
            what: `add ${int(ADD)} tracks; the connection drops after batch ${RESET_AFTER_BATCHES + 1} was applied; the flow sends the message again`,
            via: `${c.name}: ${c.pack ? 'add tracks with "Only tracks not already in the playlist", in Node-RED' : c.via}`,
            result: `${int(duplicates)} duplicates left, ${int(missing)} tracks missing; ${int(t.api)} requests${t.error ? `; FAILED: ${t.error}` : ''}`,
            bar: c.pack ? '0 duplicates, none missing' : 'none: the figure beside the pack',
            pass: c.pack ? duplicates === 0 && missing === 0 : undefined,
          });
        }
      }
    },
  );
  return rows;
}
