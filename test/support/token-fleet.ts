// What the tests of token managers in a fleet share: a simulator that rotates refresh tokens, an app on it, an
// authorization stored where every "process" reads it (what Authorize Access does), and a gate that holds one
// step (a refresh, a 401 on its way) until the test lets it through.
import { OAuthClient } from '../../nodes/spotify/oauth-client';
import { codeChallenge, newCodeVerifier, newState } from '../../nodes/spotify/pkce';
import type { StoredTokens, TokenStorage } from '../../nodes/spotify/token-store';
import { startSimulator, type Simulator } from '../simulator';

export const FLEET_APP = { clientId: 'fleet-client', clientSecret: 'fleet-secret', redirectUri: 'http://127.0.0.1:1880/tunewire/callback' };
export const FLEET_ACCOUNT = 'acc';
export const FLEET_SCOPES = ['playlist-read-private'];

export function startRotatingSimulator(): Promise<Simulator> {
  const { clientId, clientSecret, redirectUri } = FLEET_APP;
  return startSimulator({ apps: [{ clientId, clientSecret, redirectUris: [redirectUri] }], rotateRefreshTokens: true });
}

export function fleetOAuth(sim: Simulator): OAuthClient {
  return new OAuthClient({ clientId: FLEET_APP.clientId, clientSecret: FLEET_APP.clientSecret, accountsUrl: sim.url });
}

/** Consent and code exchange, the tokens stored under `storeKey`; resolves to them. */
export async function authorizeInto(sim: Simulator, store: TokenStorage, storeKey: string): Promise<StoredTokens> {
  const oauth = fleetOAuth(sim);
  const { redirectUri } = FLEET_APP;
  const verifier = newCodeVerifier();
  const url = oauth.authorizeUrl({ redirectUri, scopes: FLEET_SCOPES, state: newState(), codeChallenge: codeChallenge(verifier) });
  const code = new URL(await sim.consent(url, 'approve')).searchParams.get('code') ?? '';
  const answer = await oauth.exchangeCode({ code, redirectUri, codeVerifier: verifier });
  const tokens: StoredTokens = {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? '',
    expiresAt: Date.now() + answer.expires_in * 1000,
    scope: FLEET_SCOPES,
    clientId: FLEET_APP.clientId,
    authorizedAt: Date.now(),
  };
  await store.set(FLEET_ACCOUNT, storeKey, tokens);
  return tokens;
}

/** Holds the step that passes it until the test opens it. */
export class Gate {
  /** Settles when a step has arrived at the gate. */
  readonly reached: Promise<void>;
  private arrive: () => void = () => undefined;
  private readonly opened: Promise<void>;
  /** Lets the held step (and every later one) through. */
  open: () => void = () => undefined;

  constructor() {
    this.reached = new Promise((resolve) => (this.arrive = resolve));
    this.opened = new Promise((resolve) => (this.open = resolve));
  }

  /** For the step held: says it arrived, and waits until the gate is open. */
  async pass(): Promise<void> {
    this.arrive();
    await this.opened;
  }
}
