// The demo: the Spotify simulator on 127.0.0.1:8765 and Node-RED on http://127.0.0.1:1880 with this pack,
// a "Start here" tab with a working Spotify flow, every example flow on its own tab (the recipes first, then one
// per node), and the Spotify account node filled in for the simulator's app. Open the editor, open the account
// node, click Authorize Access, approve, then click the inject buttons. Nothing runs unasked: injects fire on
// click only, and triggers remember their first poll.
//
// Everything is kept in the demo's directory (DEMO_DIR, default .demo) across restarts: Node-RED's flows, the
// account and its authorization, and the simulator's account (playlists, library, plays, player, devices) with
// the tokens it issued, in simulator.json. `--fresh` deletes the directory first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator, type SavedRefreshToken, type Simulator } from '../test/simulator';
import { EXAMPLE_GROUPS, listExamples, type ExampleNode } from '../test/support/examples';
import { NodeRedProcess, PACKAGE_ROOT } from '../test/support/node-red-process';
import { nodeScopeRequirement } from '../nodes/spotify/node-scopes';
import { unmetRequirements } from '../nodes/spotify/scopes';
import { newStoreKey } from '../nodes/spotify/token-store';

const NODE_RED_PORT = Number(process.env.DEMO_PORT ?? 1880);
const SIM_PORT = Number(process.env.DEMO_SIM_PORT ?? 8765);
const CLIENT_ID = 'demo-client-id';
const CLIENT_SECRET = 'demo-client-secret';
const EXAMPLE_ACCOUNT_ID = '0a1c9e2b7f3d40ff';
const ACCOUNT_TYPE = 'spotify-account';
/** The simulator's account and tokens, in the demo's directory. */
const SIM_FILE = 'simulator.json';
/** Where demos before simulator.json kept only the refresh tokens: read once, so their authorization lives on. */
const OLD_TOKENS_FILE = 'simulator-refresh-tokens.json';
const START_TAB = 'demo-tab-start-here';
/** The page of the Spotify player card example's Dashboard 2 card. */
const DASHBOARD_PATH = '/dashboard/spotify';

type FlowNode = ExampleNode;

/** The first tab: what to do, as comment nodes on the canvas, above the Start here examples it holds. */
const START_STEPS = [
  'Start here: authorize once, then click the inject buttons',
  '1. Double-click the Spotify node "get playlists" below, then click the pencil next to Account',
  "2. Click Authorize Access and approve on the simulator's page",
  '3. Close the dialogs, Deploy, then click the inject button "list my playlists" (results: Debug sidebar)',
  '4. The other tabs: recipes (an alarm, a party queue, a play log …), then one tab per Spotify node',
  `5. Open the dashboard page ${DASHBOARD_PATH}: the spotify player card shows what the simulator plays`,
];
const STEP_GAP = 60;

function startHereTab(): FlowNode[] {
  return [
    { id: START_TAB, type: 'tab', label: 'Start here', disabled: false, info: START_STEPS.join('\n\n') },
    ...START_STEPS.map((name, i) => ({
      id: `demo-start-${i}`,
      type: 'comment',
      z: START_TAB,
      name,
      info: '',
      x: 420,
      y: 40 + i * STEP_GAP,
      wires: [],
    })),
  ];
}

/** Injects fire on click only in the demo: a repeating one would keep calling the simulator unasked. */
function onClickOnly(n: FlowNode): FlowNode {
  if (n.type !== 'inject' || (!n.repeat && !n.crontab && !n.once)) return n;
  const name = typeof n.name === 'string' && n.name ? `${n.name} (demo: on click only)` : 'click to run';
  return { ...n, repeat: '', crontab: '', once: false, name };
}

/** The paragraph of a trigger example's comment that says what its first poll sends. */
const FIRST_POLL_TEXT = /Its \*First poll\* is set to [^\n]*/;
const FIRST_POLL_IN_DEMO =
  'In the demo its *First poll* only remembers what is there, so nothing floods the Debug sidebar right after Authorize Access: click the inject button to ask now, or change *First poll* in the node to see the first poll too.';

/**
 * Triggers remember silently on their first poll in the demo: the examples ask theirs to send what is there
 * (a real account shows something at once), which on the demo's tabs together would bury what the user clicked.
 */
function quietFirstPoll(nodes: FlowNode[]): FlowNode[] {
  const quieted = nodes.some((n) => n.firstRun === 'emit');
  return nodes.map((n) => {
    if (n.firstRun === 'emit') return { ...n, firstRun: 'remember' };
    if (quieted && n.type === 'comment' && typeof n.info === 'string')
      return { ...n, info: n.info.replace(FIRST_POLL_TEXT, FIRST_POLL_IN_DEMO) };
    return n;
  });
}

/**
 * Every scope the examples' accounts ask for and the demo's nodes need with their settings (a playlist by name,
 * Create when missing): the first Authorize Access grants them all, and the dialog then misses none.
 */
function demoScopes(flows: FlowNode[], accounts: FlowNode[]): string {
  const scopes = new Set(accounts.flatMap((a) => (typeof a.scopes === 'string' ? a.scopes.split(/\s+/) : [])).filter(Boolean));
  for (const n of flows) for (const alt of unmetRequirements([...scopes], nodeScopeRequirement(n.type, n))) scopes.add(alt[0]);
  return [...scopes].join(' ');
}

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * The Start here tab with the Start here examples on it, then every other example on a tab of its own, group by
 * group; the examples' shared configuration nodes (the account, the Dashboard 2 base, theme, pages) once each.
 */
export function demoFlows(examplesDir: string): FlowNode[] {
  const flows: FlowNode[] = startHereTab();
  const config = new Map<string, FlowNode>();
  const accounts: FlowNode[] = [];
  for (const ex of listExamples(examplesDir)) {
    const onStart = ex.group === EXAMPLE_GROUPS[0];
    const tab = onStart ? START_TAB : `demo-tab-${slug(ex.name)}`;
    if (!onStart) flows.push({ id: tab, type: 'tab', label: ex.title, disabled: false, info: '' });
    const below = onStart ? START_STEPS.length * STEP_GAP : 0;
    for (const n of quietFirstPoll(ex.nodes)) {
      if (n.type === ACCOUNT_TYPE) accounts.push(n);
      // Configuration nodes (no wires: the Dashboard 2 base, theme, page and groups) stay global, as an import
      // leaves them; examples that share one share its id.
      else if (!('wires' in n)) config.set(n.id, n);
      else flows.push({ ...onClickOnly(n), z: tab, y: Number(n.y ?? 0) + below });
    }
  }
  flows.push(...config.values());
  if (accounts.length > 0)
    flows.push({ ...accounts[0], clientId: CLIENT_ID, name: 'Demo (simulator)', scopes: demoScopes(flows, accounts) });
  return flows;
}

function readOldTokens(file: string): SavedRefreshToken[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SavedRefreshToken[];
  } catch {
    return []; // none, or unreadable: Authorize Access makes new ones
  }
}

/** Something playing from the start, as if on the user's phone: a playlist of theirs, from its first track. */
function startPlaying(sim: Simulator): string | undefined {
  const me = sim.state.me.id;
  const playlist = sim.state.playlists
    .filter((p) => p.owner.id === me)
    .map((p) => ({ p, tracks: p.items.filter((e) => e.uri.startsWith('spotify:track:')) }))
    .sort((a, b) => b.tracks.length - a.tracks.length)[0];
  if (!playlist || playlist.tracks.length === 0) return undefined;
  sim.play(playlist.tracks[0].uri, { contextUri: playlist.p.uri });
  return playlist.p.name;
}

/**
 * Who each Spotify account of the running flows is authorized as, asked the way the account dialog asks; only
 * authorizations the simulator still honours count (its kept file may have been damaged, or deleted).
 */
async function authorizedAs(redUrl: string, sim: Simulator): Promise<string[]> {
  if (!sim.liveRefreshTokens().some((t) => t.grant.clientId === CLIENT_ID)) return [];
  const flows = (await (await fetch(`${redUrl}/flows`)).json()) as FlowNode[];
  const names: string[] = [];
  for (const account of flows.filter((n) => n.type === ACCOUNT_TYPE)) {
    const res = await fetch(`${redUrl}/tunewire/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: account.id }),
    });
    const status = (await res.json()) as { state?: string; displayName?: string };
    if (status.state === 'authorized') names.push(status.displayName ?? account.id);
  }
  return names;
}

/** What to do next, as the console says it: the steps until the account is authorized, then the buttons. */
function nextSteps(kept: boolean, authorized: string[]): string[] {
  if (authorized.length > 0)
    return [
      `Authorized as ${[...new Set(authorized)].join(', ')} (kept from last time).`,
      'Open the editor and click the inject buttons; results appear in the Debug sidebar.',
    ];
  return [
    kept
      ? 'The account is not authorized (or the simulator started over): the "Start here" tab says what to do:'
      : 'The "Start here" tab says what to do:',
    '1. Open the editor, double-click the "get playlists" node on Start here, click the pencil next to Account.',
    '2. Click "Authorize Access" and approve on the simulator\'s page in the popup.',
    '3. Close the dialogs, Deploy, and click the inject buttons; results appear in the Debug sidebar.',
  ];
}

function parseArgs(argv: string[]): { fresh: boolean } {
  const unknown = argv.filter((a) => a !== '--fresh');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]} (the only one is --fresh: start over)`);
  return { fresh: argv.includes('--fresh') };
}

async function main(): Promise<void> {
  const { fresh } = parseArgs(process.argv.slice(2));
  const userDir = path.resolve(PACKAGE_ROOT, process.env.DEMO_DIR ?? '.demo');
  const kept = !fresh && fs.existsSync(path.join(userDir, 'flows.json'));
  if (!kept) fs.rmSync(userDir, { recursive: true, force: true });
  fs.mkdirSync(userDir, { recursive: true });
  const simFile = path.join(userDir, SIM_FILE);
  const oldTokens = path.join(userDir, OLD_TOKENS_FILE);
  const redirectUri = `http://127.0.0.1:${NODE_RED_PORT}/tunewire/callback`;
  process.stdout.write('Starting the Spotify simulator and Node-RED …\n');
  const sim = await startSimulator({
    port: SIM_PORT,
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri], name: 'Node-RED demo' }],
    refreshTokens: kept && !fs.existsSync(simFile) ? readOldTokens(oldTokens) : [],
    persist: { file: simFile, log: (line) => process.stdout.write(`${line}\n`) },
  });
  fs.rmSync(oldTokens, { force: true }); // simulator.json holds them from now on
  // A kept simulator goes on as it was left (paused, or on another device); a new one plays something.
  const playing = sim.restored ? undefined : startPlaying(sim);
  const red = new NodeRedProcess({
    userDir,
    port: NODE_RED_PORT,
    echo: true,
    settings: { spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl } },
    flows: demoFlows(path.join(PACKAGE_ROOT, 'examples')),
    credentials: { [EXAMPLE_ACCOUNT_ID]: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } },
  });
  await red.start();
  // Only words for the console: a question that fails leaves the steps to authorize on screen.
  const authorized = kept ? await authorizedAs(red.url, sim).catch(() => []) : [];
  process.stdout.write(
    [
      '',
      kept
        ? `Kept your flows, the account and the simulator's playlists, library and plays from ${userDir} (npm run demo -- --fresh starts over).`
        : `A fresh demo in ${userDir}: your flows, the account and the simulator's playlists, library and plays are kept from now on (--fresh starts over).`,
      `Spotify simulator: ${sim.url} (consent page, Web API at ${sim.apiUrl})`,
      `Node-RED editor:   ${red.url}/`,
      `Dashboard 2 page:  ${red.url}${DASHBOARD_PATH} (the spotify player card, once the account is authorized)`,
      playing
        ? `The simulator plays your playlist "${playing}" on the Living Room Speaker.`
        : 'The simulator goes on as you left it: its playlists, library, plays and player.',
      '',
      ...nextSteps(kept, authorized),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async (): Promise<void> => {
    await red.stop();
    await sim.stop(); // writes what the simulator keeps
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`demo failed: ${err.message}\n`);
    process.exit(1);
  });
}
