// What the trigger nodes add over a poller written by hand, measured on changes: new saved tracks, items added
// to watched playlists and new plays, made in the simulator while the watchers run. Three things are counted:
// how many polls of a trigger (its requests, at the simulator's request log) come between a change and the
// message for it (now playing too: each play starts a track); whether changes made just before and while Node-RED is stopped come out exactly once after a
// restart; and whether changes made while a share of requests is answered 429 come out exactly once. The pack
// runs as its nodes in a real Node-RED process (with a user directory, restarted with SIGTERM); the hand-written
// poller (hand-poller.ts) meets the same script on a simulator of its own with the same seed.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SCOPES } from '../../nodes/spotify/scopes';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { startSimulator, type Simulator, type SimRequest } from '../../test/simulator';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } from '../../test/support/env';
import { authorizeProcess } from '../../test/support/authorize-process';
import { NodeRedProcess, freePort } from '../../test/support/node-red-process';
import { HandPoller, handPollerToken, type Emission, type HandPolled, type WatchedList } from './hand-poller';
import type { Row } from './report';

/** The poll interval of every watcher, seconds: the operator's minPollSeconds lowered to it (a local simulator). */
export const CHANGE_INTERVAL_SECONDS = 1;
const INTERVAL_MS = CHANGE_INTERVAL_SECONDS * 1000;
const ROUNDS = 3;
const SAVED_WHILE_STOPPED = 55;
const PLAYS_WHILE_STOPPED = 55;
const ADDS_WHILE_STOPPED = 3;
const STORM_ROUNDS = 5;
/** Saves and plays in one go during the storm: more than one page. */
const STORM_BURST = 55;
const STORM_SHARE = 0.5;
const STORM_RETRY_AFTER = 1;
const LISTS: readonly WatchedList[] = ['saved', 'playlist', 'plays'];
/** Now playing is timed on the plays' changes (a play starts the track); it has no list to miss or repeat. */
const DETECTED: readonly HandPolled[] = [...LISTS, 'player'];
const LIST_NAMES: Record<HandPolled, string> = {
  saved: 'new saved',
  playlist: 'playlist changed',
  plays: 'new recently played',
  player: 'now playing',
};
/** A change not seen within this many intervals counts as missed. */
const GIVE_UP_INTERVALS = 20;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A watcher under test: started, stopped (a restart is stop + start), what it emitted so far. */
interface Watcher {
  readonly emissions: Emission[];
  readonly errors: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether this request to the simulator begins one poll of that list. */
  pollStart(list: HandPolled, r: SimRequest): boolean;
  close(): Promise<void>;
}

interface Tally {
  expected: number;
  missed: number;
  repeated: number;
}

export interface ChangeOutcome {
  /** Per list, per change: polls between the change and its message (undefined: never came). */
  detection: Record<HandPolled, (number | undefined)[]>;
  restart: Record<WatchedList, Tally>;
  storm: Record<WatchedList, Tally>;
  /** Requests answered 429 during the storm, of all the watcher's requests then. */
  storm429: number;
  stormRequests: number;
  /** What reached the Catch node (the 429s of the storm among them). */
  errors: string[];
}

// ---- the simulator and the changes ----

/** Makes changes the way a user does in the Spotify app; each returns the key its message carries (a uri). */
class Changes {
  private next = 2000;
  private readonly used: Set<string>;
  private turn = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly token: string,
    readonly playlistIds: readonly string[],
  ) {
    const s = sim.state;
    this.used = new Set([
      ...s.library.tracks.map((t) => t.uri),
      ...s.plays.map((p) => p.uri),
      ...s.playlists.flatMap((p) => p.items.map((e) => e.uri)),
    ]);
  }

  /** A track that is nowhere in the account yet. */
  private fresh(): string {
    for (;;) {
      const uri = this.sim.state.catalog.track(this.next++).uri;
      if (!this.used.has(uri)) {
        this.used.add(uri);
        return uri;
      }
    }
  }

  async make(list: WatchedList, count = 1): Promise<string[]> {
    const uris = Array.from({ length: count }, () => this.fresh());
    if (list === 'plays') for (const uri of uris) this.sim.play(uri);
    else if (list === 'saved') {
      for (let i = 0; i < uris.length; i += 20) await this.call('PUT', `/me/library?uris=${uris.slice(i, i + 20).join(',')}`);
    } else {
      const id = this.playlistIds[this.turn++ % this.playlistIds.length];
      await this.call('POST', `/playlists/${id}/items`, { uris });
    }
    return uris;
  }

  private async call(method: string, p: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.sim.apiUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status}`);
  }
}

// ---- the watchers ----

/** The pack's three trigger nodes in a real Node-RED process; each wired to an http request node that posts its
 *  messages to a collector here. */
async function packWatcher(sim: Simulator, port: number, playlistIds: readonly string[]): Promise<Watcher> {
  const emissions: Emission[] = [];
  const errors: string[] = [];
  const collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.end('ok');
      const list = (req.url ?? '').split('/').pop() as HandPolled | 'error';
      const text = Buffer.concat(chunks).toString('utf8');
      if (list === 'error') return void errors.push(text);
      const at = Date.now();
      for (const key of keysOf(list, JSON.parse(text) as Payload)) emissions.push({ trigger: list, key, at });
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const out = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/out`;
  const post = (id: string, url: string): Record<string, unknown> => ({
    id,
    type: 'http request',
    z: 'tab',
    method: 'POST',
    ret: 'txt',
    paytoqs: 'ignore',
    url,
    tls: '',
    persist: false,
    proxy: '',
    authType: '',
    senderr: false,
    headers: [],
    wires: [[]],
  });
  const trigger = (id: HandPolled, type: string, props: Record<string, unknown>): Record<string, unknown>[] => [
    {
      id,
      type,
      z: 'tab',
      account: 'acc',
      interval: String(CHANGE_INTERVAL_SECONDS),
      firstRun: 'remember',
      ...props,
      wires: [[`${id}-out`]],
    },
    post(`${id}-out`, `${out}/${id}`),
  ];
  const flows = [
    { id: 'tab', type: 'tab', label: 'triggers' },
    { id: 'acc', type: 'spotify-account', name: 'bench', clientId: CLIENT_ID, scopes: DEFAULT_SCOPES.join(' ') },
    ...trigger('saved', 'spotify-new-saved', { savedType: 'tracks' }),
    ...trigger('playlist', 'spotify-playlist-changed', { playlists: playlistIds.map((id) => `spotify:playlist:${id}`).join(',') }),
    ...trigger('plays', 'spotify-new-plays', {}),
    ...trigger('player', 'spotify-now-playing', {}),
    { id: 'catch', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['why']] },
    {
      id: 'why',
      type: 'change',
      z: 'tab',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error.message', tot: 'msg' }],
      wires: [['error-out']],
    },
    post('error-out', `${out}/error`),
  ];
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-bench-triggers-'));
  const red = new NodeRedProcess({
    userDir,
    port,
    settings: { spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl, minPollSeconds: CHANGE_INTERVAL_SECONDS } },
    flows,
    credentials: { acc: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } },
  });
  let authorized = false;
  return {
    emissions,
    errors,
    async start() {
      await red.start();
      if (authorized) return;
      await authorizeProcess(red, sim, { clientId: CLIENT_ID, scopes: DEFAULT_SCOPES });
      authorized = true;
    },
    stop: () => red.stop('SIGTERM'),
    pollStart(list, r) {
      if (r.method !== 'GET' || (r.query.offset ?? '0') !== '0') return false;
      return (
        r.path ===
        { saved: '/v1/me/tracks', playlist: '/v1/me/playlists', plays: '/v1/me/player/recently-played', player: '/v1/me/player' }[list]
      );
    },
    async close() {
      await red.stop('SIGKILL');
      await new Promise<void>((resolve) => collector.close(() => resolve()));
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}

interface Payload {
  track?: { uri?: string };
  added?: { item?: { uri?: string } }[];
  current?: { item?: { uri?: string } } | null;
}

/** A change's key: the saved or played track, each track added to a playlist, the track now playing. */
function keysOf(list: HandPolled, payload: Payload): string[] {
  const uris =
    list === 'playlist'
      ? (payload.added ?? []).map((e) => e.item?.uri)
      : list === 'player'
        ? [payload.current?.item?.uri]
        : [payload.track?.uri];
  return uris.filter((u): u is string => typeof u === 'string');
}

function handWatcher(sim: Simulator, token: string, playlistIds: readonly string[]): Watcher {
  const emissions: Emission[] = [];
  let poller: HandPoller | undefined;
  return {
    emissions,
    errors: [],
    start() {
      // A restart: a new function node context, empty.
      poller = new HandPoller({
        apiUrl: sim.apiUrl,
        accessToken: token,
        intervalMs: INTERVAL_MS,
        playlistIds,
        emit: (e) => emissions.push(e),
      });
      poller.start();
      return Promise.resolve();
    },
    async stop() {
      await poller?.stop();
    },
    pollStart(list, r) {
      if (r.method !== 'GET') return false;
      return (
        r.path ===
        {
          saved: '/v1/me/tracks',
          playlist: `/v1/playlists/${playlistIds[0]}/items`,
          plays: '/v1/me/player/recently-played',
          player: '/v1/me/player',
        }[list]
      );
    },
    async close() {
      await poller?.stop();
    },
  };
}

// ---- the script both meet ----

export async function measureChanges(contestant: 'pack' | 'hand'): Promise<ChangeOutcome> {
  const port = await freePort();
  const sim = await startSimulator({
    seed: 7,
    apps: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI, `http://127.0.0.1:${port}/tunewire/callback`] },
    ],
    // Short playlists: one page is the whole playlist for the hand-written poller.
    data: { playlistSizes: [3, 12], savedTracks: 30 },
  });
  let watcher: Watcher | undefined;
  try {
    const mine = sim.state.playlists.filter((p) => p.owner.id === sim.state.me.id).map((p) => p.id);
    const playlistIds = mine.slice(0, 2);
    const token = await handPollerToken(sim);
    const changes = new Changes(sim, token, playlistIds);
    watcher = contestant === 'pack' ? await packWatcher(sim, port, playlistIds) : handWatcher(sim, token, playlistIds);
    const w = watcher;
    const pollsSince = (list: HandPolled, since: number, until = Infinity): SimRequest[] =>
      sim.requests.filter((r) => r.at > since && r.at <= until && w.pollStart(list, r));
    /** Until `n` polls of each list began after `since`, the last one answered (Retry-After waits included). */
    const polled = async (since: number, n: number, ok = false): Promise<void> => {
      const end = Date.now() + GIVE_UP_INTERVALS * 8 * INTERVAL_MS;
      for (;;) {
        const done = LISTS.every((l) => {
          const polls = pollsSince(l, since).filter((r) => !ok || r.status === 200);
          return polls.length >= n && polls[n - 1].answeredAt > 0;
        });
        if (done) return;
        if (Date.now() > end) throw new Error(`${contestant}: fewer than ${n} polls of each list`);
        await sleep(20);
      }
    };

    await w.start();
    await polled(0, 2); // the first poll only remembered what was there
    const detection = { saved: [], playlist: [], plays: [], player: [] } as ChangeOutcome['detection'];
    const detected = async (list: HandPolled, key: string, changedAt: number): Promise<void> => {
      const end = changedAt + GIVE_UP_INTERVALS * INTERVAL_MS;
      let seen: Emission | undefined;
      while (!(seen = w.emissions.find((e) => e.trigger === list && e.key === key)) && Date.now() < end) await sleep(10);
      // Polls begun after the change and answered before its message arrived: the one that saw it and any
      // before it that did not (a poll begun while the message was on its way is not counted).
      const at = seen?.at;
      detection[list].push(
        at === undefined ? undefined : pollsSince(list, changedAt, at).filter((r) => r.answeredAt > 0 && r.answeredAt <= at).length,
      );
    };
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        LISTS.map(async (list) => {
          // Right after a poll was answered: the change waits for the next one.
          const from = Date.now();
          while (!pollsSince(list, from).some((r) => r.answeredAt > 0)) {
            if (Date.now() > from + GIVE_UP_INTERVALS * 8 * INTERVAL_MS) throw new Error(`${contestant}: ${list} stopped polling`);
            await sleep(5);
          }
          const [key] = await changes.make(list);
          const changedAt = Date.now();
          await Promise.all([detected(list, key, changedAt), list === 'plays' ? detected('player', key, changedAt) : undefined]);
        }),
      );
    }

    // A restart: a change each just before the stop, more while stopped (more than a page of saves and plays).
    const restartFrom = w.emissions.length;
    const restartKeys = { saved: [], playlist: [], plays: [] } as Record<WatchedList, string[]>;
    for (const list of LISTS) restartKeys[list].push(...(await changes.make(list)));
    await w.stop();
    restartKeys.saved.push(...(await changes.make('saved', SAVED_WHILE_STOPPED)));
    restartKeys.plays.push(...(await changes.make('plays', PLAYS_WHILE_STOPPED)));
    for (let i = 0; i < ADDS_WHILE_STOPPED; i++) restartKeys.playlist.push(...(await changes.make('playlist')));
    const restartedAt = Date.now();
    await w.start();
    await polled(restartedAt, 3);
    const restart = tally(w.emissions.slice(restartFrom), restartKeys);

    // A storm: a share of the watchers' requests answered 429 while changes happen, then it passes.
    const stormFrom = w.emissions.length;
    const stormKeys = { saved: [], playlist: [], plays: [] } as Record<WatchedList, string[]>;
    const stormAt = Date.now();
    const fault = sim.addFault({ method: 'GET', path: /^\/v1\//, status: 429, retryAfter: STORM_RETRY_AFTER, probability: STORM_SHARE });
    for (let round = 0; round < STORM_ROUNDS; round++) {
      for (const list of LISTS) stormKeys[list].push(...(await changes.make(list, round === 1 && list !== 'playlist' ? STORM_BURST : 1)));
      await sleep(1.5 * INTERVAL_MS);
    }
    sim.removeFault(fault);
    const calmAt = Date.now();
    const during = sim.requests.filter((r) => r.kind === 'api' && r.method === 'GET' && r.at > stormAt && r.at <= calmAt);
    await polled(calmAt, 3, true);
    const storm = tally(w.emissions.slice(stormFrom), stormKeys);
    return {
      detection,
      restart,
      storm,
      storm429: during.filter((r) => r.status === 429).length,
      stormRequests: during.length,
      errors: w.errors,
    };
  } finally {
    await watcher?.close();
    await sim.stop();
  }
}

/** Each expected key once: missing ones are missed; a key again, or one not expected (an old item), is a repeat. */
function tally(emitted: readonly Emission[], expected: Record<WatchedList, string[]>): Record<WatchedList, Tally> {
  const out = {} as Record<WatchedList, Tally>;
  for (const list of LISTS) {
    const keys = new Set(expected[list]);
    const got = emitted.filter((e) => e.trigger === list);
    const distinct = new Set(got.map((e) => e.key).filter((k) => keys.has(k)));
    out[list] = { expected: keys.size, missed: keys.size - distinct.size, repeated: got.length - distinct.size };
  }
  return out;
}

// ---- rows ----

const PACK_VIA = 'trigger nodes in a real Node-RED process (scripts/bench/trigger-changes.ts)';
const HAND_VIA = 'a poller written by hand, one page per watched list per poll (scripts/bench/hand-poller.ts)';

function detectionText(o: ChangeOutcome): string {
  return DETECTED.map((l) => `${LIST_NAMES[l]} ${o.detection[l].map((n) => (n === undefined ? 'never' : String(n))).join(', ')}`).join(
    '; ',
  );
}

function tallyText(t: Record<WatchedList, Tally>): string {
  return LISTS.map(
    (l) => `${LIST_NAMES[l]} ${t[l].expected - t[l].missed} of ${t[l].expected} once, ${t[l].missed} missed, ${t[l].repeated} repeated`,
  ).join('; ');
}

/** On a failed row: what reached the Catch node, to say why. */
function caught(o: ChangeOutcome, pass: boolean): string {
  if (pass || o.errors.length === 0) return '';
  return `; ${o.errors.length} error(s) at the Catch node, the last: ${o.errors[o.errors.length - 1].slice(0, 160)}`;
}

const clean = (t: Record<WatchedList, Tally>): boolean => LISTS.every((l) => t[l].missed === 0 && t[l].repeated === 0);

export function changeRows(pack: ChangeOutcome, hand: ChangeOutcome | undefined): Row[] {
  const every = `every ${CHANGE_INTERVAL_SECONDS} s`;
  const detectWhat = `a change detected within one interval (${ROUNDS} changes per list, polling ${every}; now playing less often while nothing plays)`;
  const restartWhat = `none missed or repeated across a restart (1 change per list just before a SIGTERM, ${SAVED_WHILE_STOPPED} saves, ${PLAYS_WHILE_STOPPED} plays and ${ADDS_WHILE_STOPPED} playlist additions while stopped)`;
  const stormWhat = `none missed or repeated across a 429 storm (${Math.round(STORM_SHARE * 100)} % of reads answered 429, Retry-After ${STORM_RETRY_AFTER} s, for ${STORM_ROUNDS} changes per list ${1.5 * CHANGE_INTERVAL_SECONDS} s apart, one of them ${STORM_BURST} saves and ${STORM_BURST} plays at once)`;
  const maxPolls = Math.max(...DETECTED.flatMap((l) => pack.detection[l].map((n) => n ?? Infinity)));
  const rows: Row[] = [
    {
      area: 'Triggers',
      what: detectWhat,
      via: PACK_VIA,
      result: `polls from each change to its message (counted at the simulator): ${detectionText(pack)}${caught(pack, maxPolls <= 1)}`,
      bar: 'each change at the first poll after it: ≤ 1 poll',
      pass: maxPolls <= 1,
    },
    {
      area: 'Triggers',
      what: restartWhat,
      via: PACK_VIA,
      result: `${tallyText(pack.restart)}${caught(pack, clean(pack.restart))}`,
      bar: 'every change once, nothing old again: 0 missed, 0 repeated',
      pass: clean(pack.restart),
    },
    {
      area: 'Triggers',
      what: stormWhat,
      via: PACK_VIA,
      result: `${tallyText(pack.storm)} (${pack.storm429} of ${pack.stormRequests} reads answered 429)${caught(pack, clean(pack.storm))}`,
      bar: '0 missed, 0 repeated',
      pass: clean(pack.storm),
    },
  ];
  if (hand) {
    rows.push(
      {
        area: 'Triggers',
        what: detectWhat,
        via: HAND_VIA,
        result: `polls from each change to its message: ${detectionText(hand)}`,
        bar: 'none: the figure beside the pack',
        pass: undefined,
      },
      {
        area: 'Triggers',
        what: restartWhat,
        via: `${HAND_VIA}; what it last saw kept in memory, as in a function node's context`,
        result: tallyText(hand.restart),
        bar: 'none: the figure beside the pack',
        pass: undefined,
      },
      {
        area: 'Triggers',
        what: stormWhat,
        via: `${HAND_VIA}; waits out Retry-After`,
        result: `${tallyText(hand.storm)} (${hand.storm429} of ${hand.stormRequests} reads answered 429)`,
        bar: 'none: the figure beside the pack',
        pass: undefined,
      },
    );
  }
  return rows;
}
