// A refresh cut short. Spotify retires a rotated refresh token as it answers, so a process that dies before the
// answer is stored may have lost the authorization: the store records every refresh in flight, and a start that
// finds the record says "authorize again" at once, then asks Spotify whether the old refresh token still works.
// Token managers over a shared in-memory store (as Redis is for a fleet) and the simulator, rotating.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { AuthorizationError } from '../../nodes/spotify/errors';
import { KeyValueTokenStore } from '../../nodes/spotify/kv-token-store';
import { OAuthClient, OAuthError, type TokenAnswer } from '../../nodes/spotify/oauth-client';
import { TokenManager, type AuthorizationStatus } from '../../nodes/spotify/token-manager';
import { newStoreKey, type StoredTokens } from '../../nodes/spotify/token-store';
import type { Simulator } from '../simulator';
import { SharedMemory, type MemberStore } from '../support/shared-memory-store';
import { FLEET_ACCOUNT, FLEET_APP, Gate, authorizeInto, fleetOAuth, startRotatingSimulator } from '../support/token-fleet';

/** A token endpoint whose refreshes pass `gate` first: Spotify's answer on its way. With `spoilNext`, the next
 *  answer is one the pack cannot use but that still brings Spotify's rotated refresh token. */
class HeldOAuth extends OAuthClient {
  gate: Gate | undefined;
  spoilNext = false;
  override async refresh(refreshToken: string): Promise<TokenAnswer> {
    await this.gate?.pass();
    const answer = await super.refresh(refreshToken);
    if (!this.spoilNext) return answer;
    this.spoilNext = false;
    throw new OAuthError('bad_answer', 'an access token that is none', undefined, answer.refresh_token);
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a refresh cut short', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let memory: SharedMemory;
  let oauth: HeldOAuth;
  const storeKey = newStoreKey();

  beforeEach(async () => {
    sim = await startRotatingSimulator();
    memory = new SharedMemory();
    oauth = new HeldOAuth({ clientId: FLEET_APP.clientId, clientSecret: FLEET_APP.clientSecret, accountsUrl: sim.url });
  });

  afterEach(async () => {
    await sim.stop();
  });

  function storeOf(member: MemberStore): KeyValueTokenStore {
    return new KeyValueTokenStore(member);
  }

  function authorize(): Promise<StoredTokens> {
    return authorizeInto(sim, storeOf(memory.member('editor')), storeKey);
  }

  function manager(member: MemberStore): TokenManager {
    return new TokenManager({ accountId: FLEET_ACCOUNT, storeKey, store: storeOf(member), oauth: () => oauth });
  }

  const stored = (): Promise<StoredTokens | undefined> => storeOf(memory.member('reader')).get(FLEET_ACCOUNT, storeKey);
  const tokenRequests = (): number => sim.count({ path: '/api/token' });

  /** The state the manager shows once `check` holds, waiting on its state events (never on the clock). */
  async function settles(tokens: TokenManager, check: (s: AuthorizationStatus) => boolean): Promise<AuthorizationStatus> {
    while (!check(tokens.status())) await once(tokens, 'state');
    return tokens.status();
  }

  it('the store records a refresh in flight (the others are not told), and the record goes with the answer', async () => {
    await authorize();
    const a = memory.member('a');
    const other = memory.member('b');
    const tokens = manager(a);
    await tokens.load();
    sim.expireAccessTokens();
    const gate = (oauth.gate = new Gate());
    const refreshing = tokens.refreshAfterRejected((await stored())?.accessToken ?? '');
    await gate.reached;
    assert.equal((await stored())?.rotationPending, true, 'recorded before the refresh is sent');
    assert.equal(tokens.status().state, 'authorized', 'this process knows the refresh is its own');
    assert.equal(other.deliver(), 0, 'no announcement for the record');
    gate.open();
    await refreshing;
    assert.equal((await stored())?.rotationPending, undefined);
    assert.equal(other.deliver(), 1, 'the new tokens are announced');
  });

  it('a refresh that fails while the process lives leaves no record: a token endpoint down is not "authorize again"', async () => {
    const issued = await authorize();
    const tokens = manager(memory.member('a'));
    await tokens.load();
    sim.setTokenEndpointDown(true);
    await assert.rejects(
      tokens.refreshAfterRejected(issued.accessToken),
      (err: unknown) => err instanceof AuthorizationError && err.code === 'token_endpoint',
    );
    assert.equal((await stored())?.rotationPending, undefined);
    assert.equal(tokens.status().state, 'authorized');
  });

  it('a start finding the record of a rotation Spotify completed says "authorize again" at once, and after checking', async () => {
    const issued = await authorize();
    // Spotify rotated (the old refresh token is retired) and the answer was lost with the process.
    await fleetOAuth(sim).refresh(issued.refreshToken);
    await storeOf(memory.member('dead')).set(FLEET_ACCOUNT, storeKey, { ...issued, rotationPending: true });
    const before = tokenRequests();

    const tokens = manager(memory.member('restarted'));
    assert.equal((await tokens.load()).state, 'authorize_again', 'at once, before any message');
    await until(async () => (await stored())?.needsReauthorization === true, 'the check to find the refresh token retired');
    assert.equal(tokens.status().state, 'authorize_again');
    await assert.rejects(tokens.getAccessToken(), (err: unknown) => err instanceof AuthorizationError && err.code === 'authorize_again');
    assert.equal(tokenRequests() - before, 1, 'one check, no retrying');
  });

  it('a start finding the record while Spotify still takes the refresh token: authorized after one check', async () => {
    const issued = await authorize();
    // The process died before its refresh reached Spotify: the old refresh token still works.
    await storeOf(memory.member('dead')).set(FLEET_ACCOUNT, storeKey, { ...issued, rotationPending: true });
    const before = tokenRequests();

    const tokens = manager(memory.member('restarted'));
    assert.equal((await tokens.load()).state, 'authorize_again', 'at once: the rotation may have happened');
    assert.equal((await settles(tokens, (s) => s.state === 'authorized')).state, 'authorized');
    assert.equal(tokenRequests() - before, 1);
    const now = await stored();
    assert.equal(now?.rotationPending, undefined);
    assert.notEqual(now?.refreshToken, issued.refreshToken, 'the rotated refresh token is stored');
    assert.equal(await tokens.getAccessToken(), now?.accessToken);
  });

  it('a start finding the record, checked by an unusable answer that rotated the refresh token: the new one kept, authorized', async () => {
    const issued = await authorize();
    await storeOf(memory.member('dead')).set(FLEET_ACCOUNT, storeKey, { ...issued, rotationPending: true });
    oauth.spoilNext = true;
    const before = tokenRequests();

    const tokens = manager(memory.member('restarted'));
    assert.equal((await tokens.load()).state, 'authorize_again', 'at once: the rotation may have happened');
    assert.equal((await settles(tokens, (s) => s.state === 'authorized')).state, 'authorized');
    const kept = await stored();
    assert.equal(kept?.rotationPending, undefined, 'the write of the rotated refresh token settles the record');
    assert.notEqual(kept?.refreshToken, issued.refreshToken);
    await tokens.getAccessToken(); // refreshes with the refresh token kept
    assert.equal(tokenRequests() - before, 2);
  });

  it('a refused refresh token while another process stored a newer one: that one is taken, not "authorize again"', async () => {
    const issued = await authorize();
    const tokens = manager(memory.member('a'));
    await tokens.load();
    sim.expireAccessTokens();
    const gate = (oauth.gate = new Gate());
    const refreshing = tokens.refreshAfterRejected(issued.accessToken);
    await gate.reached;
    // Meanwhile another instance (whose lock had lapsed, so both hold it) rotated the same refresh token first.
    const theirs = await fleetOAuth(sim).refresh(issued.refreshToken);
    const rotated: StoredTokens = {
      ...issued,
      accessToken: theirs.access_token,
      refreshToken: theirs.refresh_token ?? '',
      expiresAt: Date.now() + theirs.expires_in * 1000,
    };
    await storeOf(memory.member('b')).set(FLEET_ACCOUNT, storeKey, rotated);
    gate.open(); // this instance's refresh now reaches Spotify with the retired refresh token: invalid_grant
    assert.equal((await refreshing).accessToken, rotated.accessToken);
    assert.equal(tokens.status().state, 'authorized');
    assert.equal((await stored())?.needsReauthorization, undefined, 'the fleet keeps its authorization');
  });
});
