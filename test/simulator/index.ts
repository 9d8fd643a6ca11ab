// A local Spotify (accounts service + Web API, 2026 rules) on 127.0.0.1 for tests, the demo and benchmarks.
// See types.ts for what each option and control does.

import { SimulatorImpl } from './simulator';
import type { Simulator, SimulatorOptions } from './types';

export type {
  FaultRule,
  RateLimitSettings,
  SavedRefreshToken,
  RequestFilter,
  SimApp,
  SimCatalog,
  SimCatalogEntry,
  SimDevice,
  SimImage,
  SimLibrary,
  SimPlay,
  SimPlayerState,
  SimPlaylist,
  SimPlaylistEntry,
  SimRequest,
  SimSavedItem,
  SimState,
  SimUser,
  Simulator,
  SimulatorOptions,
} from './types';
export { RedirectUriError, checkRedirectUri } from './apps';
export { s256 as pkceChallenge } from './tokens';

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorImpl(options);
  await sim.listen(options.port ?? 0);
  return sim;
}
