// Refreshes racing each other, replayed in a fixed order: token managers of two "processes" over one shared
// store (a fleet on Redis), one simulator that rotates refresh tokens, and the events between the processes held
// until the test delivers them. Each case is an interleaving that once happened by chance on a busy machine.
import assert from 'node:assert/strict';
import { SpotifyApiError } from '../../nodes/spotify/errors';
import { SpotifyHttpClient, type AccessTokens, type RenewedToken } from '../../nodes/spotify/http-client';
import { KeyValueTokenStore } from '../../nodes/spotify/kv-token-store';
import type { OAuthClient } from '../../nodes/spotify/oauth-client';
import { Cooldown } from '../../nodes/spotify/rate-limit';
import { TokenManager } from '../../nodes/spotify/token-manager';
import { newStoreKey } from '../../nodes/spotify/token-store';
import type { Simulator } from '../simulator';
import { SharedMemory, type MemberStore } from '../support/shared-memory-store';
import { FLEET_ACCOUNT, Gate, authorizeInto, fleetOAuth, startRotatingSimulator } from '../support/token-fleet';

const PLAYLISTS = { method: 'GET', path: '/me/playlists' } as const;

/** One Node-RED process of the fleet, as far as tokens go: its store client, token manager and API client. */
interface Instance {
  store: MemberStore;
  tokens: TokenManager;
  http: SpotifyHttpClient;
  /** A client whose 401s first pass `gate` (set by the test), as a slow answer would. */
  slow: SpotifyHttpClient;
  gate?: Gate;
  following: Promise<unknown>[];
}

describe('refreshes racing each other', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let memory: SharedMemory;
  let oauth: OAuthClient;
  const storeKey = newStoreKey();

  beforeEach(async () => {
    sim = await startRotatingSimulator();
    memory = new SharedMemory();
    oauth = fleetOAuth(sim);
  });

  afterEach(async () => {
    await sim.stop();
  });

  async function authorize(): Promise<void> {
    await authorizeInto(sim, new KeyValueTokenStore(memory.member('editor')), storeKey);
  }

  function instance(name: string): Instance {
    const store = memory.member(name);
    const tokens = new TokenManager({ accountId: FLEET_ACCOUNT, storeKey, store: new KeyValueTokenStore(store), oauth: () => oauth });
    const following: Promise<unknown>[] = [];
    // As the state backend does: another process's announcement makes this one follow the store.
    store.subscribe((event) => {
      if (event.type === 'tokens') following.push(tokens.follow());
    });
    const held: AccessTokens = {
      getAccessToken: () => tokens.getAccessToken(),
      grantedScopes: () => tokens.grantedScopes(),
      refreshAfterRejected: async (rejected: string): Promise<RenewedToken> => {
        await self.gate?.pass();
        return tokens.refreshAfterRejected(rejected);
      },
    };
    const self: Instance = {
      store,
      tokens,
      http: new SpotifyHttpClient(sim.apiUrl, tokens, new Cooldown()),
      slow: new SpotifyHttpClient(sim.apiUrl, held, new Cooldown()),
      following,
    };
    return self;
  }

  /** The instance hears what the others announced so far, and has followed it. */
  async function hear(i: Instance): Promise<void> {
    i.store.deliver();
    await Promise.all(i.following.splice(0));
  }

  /** A and B working, then an early expiry that B's message refreshes (A not told); token requests before it. */
  async function bRefreshes(): Promise<{ a: Instance; b: Instance; before: number }> {
    await authorize();
    const a = instance('a');
    const b = instance('b');
    assert.equal((await a.http.request(PLAYLISTS)).status, 200);
    assert.equal((await b.http.request(PLAYLISTS)).status, 200);
    const before = tokenRequests();
    sim.expireAccessTokens();
    assert.equal((await b.http.request(PLAYLISTS)).status, 200, 'B refreshes');
    return { a, b, before };
  }

  const tokenRequests = (): number => sim.count({ path: '/api/token' });
  const rejections = (): number => sim.requests.filter((r) => r.kind === 'api' && r.status === 401).length;

  it('a token another instance refreshed before an early expiry is tried, then refreshed: no false "authorize again"', async () => {
    const { a, b, before } = await bRefreshes();
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
    const { a, before } = await bRefreshes();
    sim.expireAccessTokens();
    // A sent its request with the token it held; before A handles the 401, it hears of B's (expired) token.
    const gate = (a.gate = new Gate());
    const request = a.slow.request(PLAYLISTS);
    await gate.reached;
    await hear(a);
    gate.open();
    assert.equal((await request).status, 200);
    assert.equal(tokenRequests() - before, 2);
  });

  it('a 401 answered after another request already brought a new token makes no token request', async () => {
    await authorize();
    const a = instance('a');
    assert.equal((await a.http.request(PLAYLISTS)).status, 200);
    const before = tokenRequests();
    sim.expireAccessTokens();
    const gate = (a.gate = new Gate());
    const late = a.slow.request(PLAYLISTS); // its 401 is handled only once the other request is done
    await gate.reached;
    assert.equal((await a.http.request(PLAYLISTS)).status, 200, 'the other request refreshes');
    gate.open();
    assert.equal((await late).status, 200);
    assert.equal(tokenRequests() - before, 1, 'one refresh: the late 401 takes the new token (each refresh is a rotation window)');
  });

  it('an instance that has not heard of the refresh takes the stored token, without a token request', async () => {
    const { a, before } = await bRefreshes();
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
