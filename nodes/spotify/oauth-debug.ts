// simple-oauth2 writes, under DEBUG=simple-oauth2* (or DEBUG=*), every token request it makes: the Basic header
// with the client secret, the authorization code, the PKCE verifier and the refresh token. This keeps its
// namespaces off in the very `debug` module instance it resolves (not a copy the pack might resolve instead),
// whatever else DEBUG turns on: `-simple-oauth2*` is added to the enabled namespaces before each token request,
// so a later debug.enable() by someone else is caught too. Other libraries' debug output is theirs.
import { createRequire } from 'node:module';
import * as path from 'node:path';

interface DebugModule {
  enable(namespaces: string): void;
  enabled(name: string): boolean;
  namespaces?: string;
}

const SKIP = '-simple-oauth2*';
const PROBE = 'simple-oauth2:client'; // one of simple-oauth2's namespaces

let debugModule: DebugModule | null | undefined;

function simpleOAuth2Debug(): DebugModule | null {
  if (debugModule === undefined) {
    try {
      const from = path.dirname(require.resolve('simple-oauth2/package.json'));
      // Loaded from simple-oauth2's own folder, so it is the instance simple-oauth2 uses.
      debugModule = createRequire(path.join(from, 'package.json'))('debug') as DebugModule;
    } catch {
      debugModule = null; // simple-oauth2 without `debug` (a future version): nothing of it to silence
    }
  }
  return debugModule;
}

/** Turns simple-oauth2's debug output off if anything turned it on; cheap when it is already off. */
export function silenceOAuthDebug(): void {
  const debug = simpleOAuth2Debug();
  if (!debug || !debug.enabled(PROBE)) return;
  const current = debug.namespaces ?? '';
  debug.enable(current ? `${current},${SKIP}` : SKIP);
}
