// The demo: the Spotify simulator on 127.0.0.1:8765 and Node-RED on http://127.0.0.1:1880 with this pack,
// every example flow on its own tab, and the Spotify account node filled in for the simulator's app.
// Open the editor, open the account node, click Authorize Access, approve, then click the inject buttons.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../test/simulator';
import { NodeRedProcess, PACKAGE_ROOT } from '../test/support/node-red-process';
import { newStoreKey } from '../nodes/spotify/token-store';

const NODE_RED_PORT = Number(process.env.DEMO_PORT ?? 1880);
const SIM_PORT = Number(process.env.DEMO_SIM_PORT ?? 8765);
const CLIENT_ID = 'demo-client-id';
const CLIENT_SECRET = 'demo-client-secret';
const EXAMPLE_ACCOUNT_ID = '0a1c9e2b7f3d40ff';

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  [key: string]: unknown;
}

/** Every example on a tab of its own; the examples' shared account node once, filled in for the simulator. */
export function demoFlows(examplesDir: string): FlowNode[] {
  const flows: FlowNode[] = [];
  let account: FlowNode | undefined;
  for (const file of fs
    .readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const nodes = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as FlowNode[];
    const tab = `demo-tab-${path.basename(file, '.json')}`;
    flows.push({ id: tab, type: 'tab', label: path.basename(file, '.json').replace(/-/g, ' '), disabled: false, info: '' });
    for (const n of nodes) {
      if (n.type === 'spotify-account') account ??= { ...n, clientId: CLIENT_ID, name: 'Demo (simulator)' };
      else flows.push({ ...n, z: tab });
    }
  }
  if (account) flows.push(account);
  return flows;
}

async function main(): Promise<void> {
  const redirectUri = `http://127.0.0.1:${NODE_RED_PORT}/tunewire/callback`;
  const sim = await startSimulator({
    port: SIM_PORT,
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri], name: 'Node-RED demo' }],
  });
  const userDir = path.join(PACKAGE_ROOT, '.demo');
  fs.rmSync(userDir, { recursive: true, force: true });
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
      `Spotify simulator: ${sim.url} (consent page, Web API at ${sim.apiUrl})`,
      `Node-RED editor:   ${red.url}/`,
      '',
      '1. Open the editor, double-click a Spotify node, click the pencil next to Account.',
      '2. Click "Authorize Access" and approve on the simulator\'s page in the popup.',
      '3. Close the dialog and click the inject buttons; results appear in the Debug sidebar.',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async (): Promise<void> => {
    await red.stop();
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
