// simple-oauth2 writes, under DEBUG=simple-oauth2* (or DEBUG=*), every token request it makes: the Basic header
// with the client secret, the authorization code, the PKCE verifier and the refresh token. This keeps its
// namespaces off in the very `debug` module instance it resolves (not a copy the pack might resolve instead),
// whatever else DEBUG turns on: `-simple-oauth2*` (every namespace of it: client, request-options, access-token
// and any later one) is added to the enabled namespaces before each token request unless it is there already, so
// a later debug.enable() by someone else is caught too. No single namespace is probed: DEBUG may name just one
// (`simple-oauth2:request-options`, which prints the Basic header) or skip the probed one (`*,-simple-oauth2:client`).
// Its dependencies (@hapi/wreck, @hapi/hoek, joi) print no debug lines. Other libraries' debug output is theirs.
import { createRequire } from 'node:module';
import * as path from 'node:path';

interface DebugModule {
  enable(namespaces: string): void;
  namespaces?: string;
}

const SKIP = '-simple-oauth2*';

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

/** Turns every simple-oauth2 debug namespace off whatever is turned on; cheap when nothing is or it is done. */
export function silenceOAuthDebug(): void {
  const debug = simpleOAuth2Debug();
  if (!debug) return;
  const current = (debug.namespaces ?? '').trim();
  if (current === '' || current.split(/[\s,]+/).includes(SKIP)) return;
  debug.enable(`${current},${SKIP}`);
}
