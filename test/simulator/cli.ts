// Runs a simulator until SIGINT/SIGTERM, for the demo and for manual poking:
//   node dist/test/simulator/cli.js --port 8765 --seed 1 [--app clientId:secret:redirectUri] [--latency 50]
// --app may repeat; an empty secret (id::uri) registers a PKCE-only app. Without --app the default app is used.

import { startSimulator } from './index';
import type { SimApp, SimulatorOptions } from './types';

function parseArgs(argv: string[]): SimulatorOptions {
  const options: SimulatorOptions = {};
  const apps: SimApp[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = (): number => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${flag}: not a number: ${raw}`);
      return n;
    };
    switch (flag) {
      case '--port':
        options.port = number();
        break;
      case '--seed':
        options.seed = number();
        break;
      case '--latency':
        options.latencyMs = number();
        break;
      case '--token-lifetime':
        options.tokenLifetimeSeconds = number();
        break;
      case '--rotate-refresh-tokens':
        options.rotateRefreshTokens = true;
        break;
      case '--no-premium':
        options.premium = false;
        break;
      case '--app':
        apps.push(parseApp(value()));
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (apps.length) options.apps = apps;
  return options;
}

/** clientId:secret:redirectUri — the URI keeps its own colons; it may be left out. */
function parseApp(spec: string): SimApp {
  const first = spec.indexOf(':');
  const second = first < 0 ? -1 : spec.indexOf(':', first + 1);
  const clientId = first < 0 ? spec : spec.slice(0, first);
  const secret = first < 0 ? '' : second < 0 ? spec.slice(first + 1) : spec.slice(first + 1, second);
  const uri = second < 0 ? '' : spec.slice(second + 1);
  return { clientId, clientSecret: secret || undefined, redirectUris: uri ? [uri] : [] };
}

async function main(): Promise<void> {
  const sim = await startSimulator(parseArgs(process.argv.slice(2)));
  process.stdout.write(`simulator listening on ${sim.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
