// Refreshes racing each other, replayed in a fixed order: token managers of two "processes" over one shared
// store (a fleet on Redis), one simulator that rotates refresh tokens, and the events between the processes held
// until the test delivers them. Each case is an interleaving that once happened by chance on a busy machine.
import assert from 'node:assert/strict';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import { SpotifyHttpClient, type AccessTokens, type RenewedToken } from '../../nodes/spotify/http-client';
import { KeyValueTokenStore } from '../../nodes/spotify/kv-token-store';
import { OAuthClient } from '../../nodes/spotify/oauth-client';
import { codeChallenge, newCodeVerifier, newState } from '../../nodes/spotify/pkce';
import { Cooldown } from '../../nodes/spotify/rate-limit';
import { TokenManager } from '../../nodes/spotify/token-manager';
import { newStoreKey } from '../../nodes/spotify/token-store';
import { startSimulator, type Simulator } from '../simulator';
import { SharedMemory, type MemberStore } from '../support/shared-memory-store';

const CLIENT_ID = 'race-client';
const CLIENT_SECRET = 'race-secret';
const REDIRECT_URI = 'http://127.0.0.1:1880/tunewire/callback';
const ACCOUNT_ID = 'acc';
const SCOPES = ['playlist-read-private'];
const PLAYLISTS = { method: 'GET', path: '/me/playlists' } as const;

/** One Node-RED process of the fleet, as far as tokens go: its store client, token manager and API client. */
interface Instance {
  store: MemberStore;
  tokens: TokenManager;
  http: SpotifyHttpClient;
  /** A client whose every 401 first waits for `hold` (set by the test), as a slow answer would. */
  slow: SpotifyHttpClient;
  hold: { rejected?: () => void; until?: Promise<void> };
  following: Promise<unknown>[];
}

describe('refreshes racing each other', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let memory: SharedMemory;
  let oauth: OAuthClient;
  const storeKey = newStoreKey();

  beforeEach(async () => {
    sim = await startSimulator({
      apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }],
      rotateRefreshTokens: true,
    });
    memory = new SharedMemory();
    oauth = new OAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, accountsUrl: sim.url });
  });

  afterEach(async () => {
    await sim.stop();
  });

  /** Consent and code exchange, the tokens stored where every instance reads them (what Authorize Access does). */
  async function authorize(): Promise<void> {
    const verifier = newCodeVerifier();
    const url = oauth.authorizeUrl({
      redirectUri: REDIRECT_URI,
      scopes: SCOPES,
      state: newState(),
      codeChallenge: codeChallenge(verifier),
    });
    const code = new URL(await sim.consent(url, 'approve')).searchParams.get('code') ?? '';
    const answer = await oauth.exchangeCode({ code, redirectUri: REDIRECT_URI, codeVerifier: verifier });
    await new KeyValueTokenStore(memory.member('editor')).set(ACCOUNT_ID, storeKey, {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? '',
      expiresAt: Date.now() + answer.expires_in * 1000,
      scope: SCOPES,
      clientId: CLIENT_ID,
      authorizedAt: Date.now(),
    });
  }

  function instance(name: string): Instance {
    const store = memory.member(name);
    const tokens = new TokenManager({ accountId: ACCOUNT_ID, storeKey, store: new KeyValueTokenStore(store), oauth: () => oauth });
    const following: Promise<unknown>[] = [];
    // As the state backend does: another process's announcement makes this one follow the store.
    store.subscribe((event) => {
      if (event.type === 'tokens') following.push(tokens.follow());
    });
    const hold: Instance['hold'] = {};
    const held: AccessTokens = {
      getAccessToken: () => tokens.getAccessToken(),
      grantedScopes: () => tokens.grantedScopes(),
      refreshAfterRejected: async (rejected: string): Promise<RenewedToken> => {
        hold.rejected?.();
        await hold.until;
        return tokens.refreshAfterRejected(rejected);
      },
    };
    return {
      store,
      tokens,
      http: new SpotifyHttpClient(sim.apiUrl, tokens, new Cooldown()),
      slow: new SpotifyHttpClient(sim.apiUrl, held, new Cooldown()),
      hold,
      following,
    };
  }

  /** The instance hears what the others announced so far, and has followed it. */
  async function hear(i: Instance): Promise<void> {
    i.store.deliver();
    await Promise.all(i.following.splice(0));
  }

  const tokenRequests = (): number => sim.count({ path: '/api/token' });
  const rejections = (): number => sim.requests.filter((r) => r.kind === 'api' && r.status === 401).length;

  /** Two instances of one authorized account that have each read once; `before`: the token requests so far. */
  async function twoWarmInstances(): Promise<{ a: ReturnType<typeof instance>; b: ReturnType<typeof instance>; before: number }> {
    await authorize();
    const a = instance('a');
    const b = instance('b');
    assert.equal((await a.http.request(PLAYLISTS)).status, 200);
    assert.equal((await b.http.request(PLAYLISTS)).status, 200);
    return { a, b, before: tokenRequests() };
  }

  it('a token another instance refreshed before an early expiry is tried, then refreshed: no false "authorize again"', async () => {
    const { a, b, before } = await twoWarmInstances();

    sim.expireAccessTokens();
    assert.equal((await b.http.request(PLAYLISTS)).status, 200, 'B refreshes');
    // A has not heard of B's refresh yet when Spotify expires the tokens again (B's new one included): A's old
    // token is rejected, and the one B stored is too, though no refresh was made for A's request.
    sim.expireAccessTokens();
    const res = await a.http.request(PLAYLISTS);
    assert.equal(res.status, 200);
    assert.equal(tokenRequests() - before, 2, "B's refresh, then A's own once B's token was rejected too");
    assert.equal((await b.http.request(PLAYLISTS)).status, 200, 'B takes the token A stored');
    assert.equal(tokenRequests() - before, 2);
  });

  it("hearing of another instance's refresh while a 401 is on its way: that token is tried, then refreshed", async () => {
    await authorize();
    const a = instance('a');
    const b = instance('b');
    assert.equal((await a.http.request(PLAYLISTS)).status, 200);
    const before = tokenRequests();
    sim.expireAccessTokens();
    assert.equal((await b.http.request(PLAYLISTS)).status, 200, 'B refreshes');
    sim.expireAccessTokens();
    // A sent its request with the token it held; before A handles the 401, it hears of B's (expired) token.
    const rejected = new Promise<void>((resolve) => (a.hold.rejected = resolve));
    let release = (): void => undefined;
    a.hold.until = new Promise<void>((resolve) => (release = resolve));
    const request = a.slow.request(PLAYLISTS);
    await rejected;
    await hear(a);
    release();
    assert.equal((await request).status, 200);
    assert.equal(tokenRequests() - before, 2);
  });

  it('a 401 answered after another request already brought a new token makes no token request', async () => {
    await authorize();
    const a = instance('a');
    assert.equal((await a.http.request(PLAYLISTS)).status, 200);
    const before = tokenRequests();
    sim.expireAccessTokens();
    const rejected = new Promise<void>((resolve) => (a.hold.rejected = resolve));
    let release = (): void => undefined;
    a.hold.until = new Promise<void>((resolve) => (release = resolve));
    const late = a.slow.request(PLAYLISTS); // its 401 is handled only once the other request is done
    await rejected;
    assert.equal((await a.http.request(PLAYLISTS)).status, 200, 'the other request refreshes');
    release();
    assert.equal((await late).status, 200);
    assert.equal(tokenRequests() - before, 1, 'one refresh: the late 401 takes the new token (each refresh is a rotation window)');
  });

  it('an instance that has not heard of the refresh takes the stored token, without a token request', async () => {
    const { a, b, before } = await twoWarmInstances();
    sim.expireAccessTokens();
    assert.equal((await b.http.request(PLAYLISTS)).status, 200, 'B refreshes');
    assert.equal((await a.http.request(PLAYLISTS)).status, 200, 'A is rejected, then takes what B stored');
    assert.equal(tokenRequests() - before, 1);
  });

  it('Spotify rejecting every token: the request ends with "authorize again" after one refresh', async () => {
    await authorize();
    const a = instance('a');
    assert.equal((await a.http.request(PLAYLISTS)).status, 200);
    const before = { tokens: tokenRequests(), rejections: rejections() };
    sim.addFault({ path: '/v1/me/playlists', status: 401 });
    await assert.rejects(
      a.http.request(PLAYLISTS),
      (err: unknown) =>
        err instanceof SpotifyApiError && /rejected the access token even after a refresh.*authorize again/.test(err.message),
    );
    assert.equal(tokenRequests() - before.tokens, 1);
    assert.equal(rejections() - before.rejections, 2, 'the token held, then the one refreshed for this request');
  });

  it('tokens that keep changing under a request and are all rejected: it ends after three', async () => {
    let n = 0;
    const churning: AccessTokens = {
      getAccessToken: () => Promise.resolve(`churned-${n}`),
      // Always another token, brought by someone else before this rejection: none counts as this request's refresh.
      refreshAfterRejected: () => Promise.resolve({ accessToken: `churned-${++n}`, requestedAfter: false }),
      grantedScopes: () => undefined,
    };
    const http = new SpotifyHttpClient(sim.apiUrl, churning, new Cooldown());
    await assert.rejects(http.request(PLAYLISTS), /rejected the access token even after a refresh/);
    assert.equal(rejections(), 3);
  });
});
