// The demo: the Spotify simulator on 127.0.0.1:8765 and Node-RED on http://127.0.0.1:1880 with this pack,
// a "Start here" tab, every example flow on its own tab, and the Spotify account node filled in for the
// simulator's app. Open the editor, open the account node, click Authorize Access, approve, then click the
// inject buttons. Nothing runs unasked: injects fire on click only, and triggers remember their first poll.
//
// The user directory (DEMO_DIR, default .demo) is kept: flows, the account and its authorization survive a
// restart (the simulator's working refresh tokens are kept there too). `--fresh` deletes it first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator, type SavedRefreshToken, type Simulator } from '../test/simulator';
import { NodeRedProcess, PACKAGE_ROOT } from '../test/support/node-red-process';
import { newStoreKey } from '../nodes/spotify/token-store';

const NODE_RED_PORT = Number(process.env.DEMO_PORT ?? 1880);
const SIM_PORT = Number(process.env.DEMO_SIM_PORT ?? 8765);
const CLIENT_ID = 'demo-client-id';
const CLIENT_SECRET = 'demo-client-secret';
const EXAMPLE_ACCOUNT_ID = '0a1c9e2b7f3d40ff';
/** The simulator's working refresh tokens, in the demo's directory, so an authorization outlives a restart. */
const SIM_TOKENS_FILE = 'simulator-refresh-tokens.json';
const START_TAB = 'demo-tab-start-here';
/** The page of the ui-player example's Dashboard 2 card. */
const DASHBOARD_PATH = '/dashboard/spotify';

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  [key: string]: unknown;
}

/** The first tab: what to do, as comment nodes on the canvas. */
function startHereTab(): FlowNode[] {
  const steps = [
    'Start here: authorize once, then click the inject buttons',
    '1. Open any Spotify node (double-click), click the pencil next to Account',
    "2. Click Authorize Access and approve on the simulator's page",
    '3. Close the dialogs, Deploy, then click the inject buttons on the other tabs (results: Debug sidebar)',
    `4. Open the dashboard page ${DASHBOARD_PATH}: the spotify player card shows what the simulator plays`,
  ];
  return [
    { id: START_TAB, type: 'tab', label: 'Start here', disabled: false, info: steps.join('\n\n') },
    ...steps.map((name, i) => ({
      id: `demo-start-${i}`,
      type: 'comment',
      z: START_TAB,
      name,
      info: '',
      x: 360,
      y: 60 + i * 60,
      wires: [],
    })),
  ];
}

/** Injects fire on click only in the demo: a repeating one would keep calling the simulator unasked. */
function onClickOnly(n: FlowNode): FlowNode {
  if (n.type !== 'inject' || (!n.repeat && !n.crontab && !n.once)) return n;
  return { ...n, repeat: '', crontab: '', once: false, name: 'click to run' };
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

/** The Start here tab first, then every example on a tab of its own; the examples' shared account node once. */
export function demoFlows(examplesDir: string): FlowNode[] {
  const flows: FlowNode[] = startHereTab();
  let account: FlowNode | undefined;
  for (const file of fs
    .readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const nodes = quietFirstPoll(JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as FlowNode[]);
    const tab = `demo-tab-${path.basename(file, '.json')}`;
    flows.push({ id: tab, type: 'tab', label: path.basename(file, '.json').replace(/-/g, ' '), disabled: false, info: '' });
    for (const n of nodes) {
      if (n.type === 'spotify-account') account ??= { ...n, clientId: CLIENT_ID, name: 'Demo (simulator)' };
      // Config nodes (no wires: the Dashboard 2 base, theme, page and groups) stay global, as an import leaves them.
      else if (!('wires' in n)) flows.push(n);
      else flows.push({ ...onClickOnly(n), z: tab });
    }
  }
  if (account) flows.push(account);
  return flows;
}

function readSavedTokens(file: string): SavedRefreshToken[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SavedRefreshToken[];
  } catch {
    return []; // none yet, or unreadable: Authorize Access makes new ones
  }
}

/** Writes the simulator's refresh tokens when they change, so even a demo that is killed keeps them. */
function keepTokens(sim: Simulator, file: string): () => void {
  let written = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const save = (): void => {
    const text = JSON.stringify(sim.liveRefreshTokens());
    if (text === written) return;
    fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
    written = text;
  };
  const timer = setInterval(save, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    save();
  };
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
  const tokensFile = path.join(userDir, SIM_TOKENS_FILE);
  const redirectUri = `http://127.0.0.1:${NODE_RED_PORT}/tunewire/callback`;
  const sim = await startSimulator({
    port: SIM_PORT,
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri], name: 'Node-RED demo' }],
    refreshTokens: kept ? readSavedTokens(tokensFile) : [],
  });
  const saveTokens = keepTokens(sim, tokensFile);
  const playing = startPlaying(sim);
  const red = new NodeRedProcess({
    userDir,
    port: NODE_RED_PORT,
    echo: true,
    settings: { spotifyAccount: { accountsUrl: sim.url, apiUrl: sim.apiUrl } },
    flows: demoFlows(path.join(PACKAGE_ROOT, 'examples')),
    credentials: { [EXAMPLE_ACCOUNT_ID]: { clientSecret: CLIENT_SECRET, storeKey: newStoreKey() } },
  });
  await red.start();
  process.stdout.write(
    [
      '',
      kept
        ? `Kept your flows, account and authorization from ${userDir} (npm run demo -- --fresh starts over).`
        : `A fresh demo in ${userDir}: flows, account and authorization are kept from now on (--fresh starts over).`,
      `Spotify simulator: ${sim.url} (consent page, Web API at ${sim.apiUrl})`,
      `Node-RED editor:   ${red.url}/`,
      `Dashboard 2 page:  ${red.url}${DASHBOARD_PATH} (the spotify player card, once the account is authorized)`,
      playing ? `The simulator plays your playlist "${playing}" on the Living Room Speaker.` : '',
      '',
      'The "Start here" tab says what to do:',
      '1. Open the editor, double-click a Spotify node, click the pencil next to Account.',
      '2. Click "Authorize Access" and approve on the simulator\'s page in the popup.',
      '3. Close the dialogs, Deploy, and click the inject buttons; results appear in the Debug sidebar.',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async (): Promise<void> => {
    await red.stop();
    saveTokens();
    await sim.stop();
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
