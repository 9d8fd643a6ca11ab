// The Spotify simulator against its contract (/work/shared/spotify-api-2026.md), over real HTTP with fetch.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { trackChild } from '../support/child-registry';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { allowContractDeviations } from '../contract/watch';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import { MAX_KEPT_PLAYS } from '../simulator/persist';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';

const REDIRECT = 'http://127.0.0.1:1880/callback';
const ALL_SCOPES: readonly string[] = PACK_SCOPES;

// JSON off the wire, typed as these tests read it. Which fields an answer has depends on the endpoint and on
// whether it failed: the types say what a field holds when it is there, the assertions check that it is.
interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  error: string;
  error_description: string;
}
interface Link {
  href: string;
  total: number;
}
interface Paging<T> {
  href: string;
  items: T[];
  limit: number;
  total: number;
  next: string | null;
  previous: string | null;
  cursors: { before?: string; after: string | null } | null;
}
/** A track or an episode (in a playlist sent in the old track-like form: `episode`, `track`, the show as album). */
interface PlayableItem {
  uri: string;
  type: string;
  show?: { name: string };
  album?: { type: string; name: string };
  episode?: boolean;
  track?: boolean;
}
/** One entry of a list: a playlist, a playlist entry, a saved item, a play or a catalogue object. */
interface Entry {
  id: string;
  type: string;
  items: Link;
  tracks: Link;
  item: PlayableItem;
  track: { uri: string };
  added_at: string;
  added_by: { id: string };
  is_local: boolean;
  played_at: string;
}
/** A Web API answer: an error, a list, or an object (the user, a catalogue object, the player). */
interface ApiAnswer extends Paging<Entry> {
  error: { status: number; message: string; reason?: string };
  id: string;
  type: string;
  uri: string;
  name: string;
  display_name: string;
  account_id: string;
  images: unknown[];
  snapshot_id: string;
  artists: Paging<{ id: string }>;
  tracks: Paging<Entry>;
  devices: { name: string; is_active: boolean }[];
  item: { uri: string };
  currently_playing_type: string;
  device: { name: string };
  is_playing: boolean;
}

function authorizeUrl(sim: Simulator, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  const all: Record<string, string | undefined> = { client_id: 'sim-client-id', response_type: 'code', redirect_uri: REDIRECT, ...params };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) q.set(k, v);
  return `${sim.url}/authorize?${q}`;
}

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function token(
  sim: Simulator,
  form: Record<string, string>,
  basic?: [string, string],
): Promise<{ status: number; body: TokenAnswer }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  const res = await fetch(`${sim.url}/api/token`, { method: 'POST', headers, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as TokenAnswer };
}

/** Consent with the default app (Basic auth) and return the token answer. */
async function login(sim: Simulator, scopes = ALL_SCOPES): Promise<TokenAnswer> {
  const loc = await sim.consent(authorizeUrl(sim, { scope: scopes.join(' '), state: 's1' }), 'approve');
  const code = new URL(loc).searchParams.get('code') ?? '';
  const res = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, ['sim-client-id', 'sim-client-secret']);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function call<B = ApiAnswer>(
  sim: Simulator,
  accessToken: string | undefined,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: B }> {
  const headers: Record<string, string> = {};
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(p.startsWith('http') ? p : `${sim.apiUrl}${p}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as B };
}

async function withSim<T>(options: SimulatorOptions, fn: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator(options);
  try {
    return await fn(sim);
  } finally {
    await sim.stop();
  }
}

describe('Spotify simulator', function () {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ seed: 7 });
    sim.addRedirectUri('sim-client-id', REDIRECT);
    sim.registerApp({ clientId: 'pkce-app', redirectUris: [REDIRECT], name: 'PKCE <Only> & Co' });
  });
  after(() => sim.stop());
  afterEach(() => sim.clearFaults());

  describe('accounts: authorize and consent', () => {
    it('shows a consent page with the app, the scopes, Approve and Deny, escaping what it echoes', async () => {
      const { challenge } = pkcePair();
      const res = await fetch(
        authorizeUrl(sim, {
          client_id: 'pkce-app',
          scope: 'user-read-private playlist-read-private',
          code_challenge_method: 'S256',
          code_challenge: challenge,
        }),
      );
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.match(page, /PKCE &lt;Only&gt; &amp; Co/);
      assert.doesNotMatch(page, /<Only>/);
      assert.match(page, /data-scope="user-read-private"/);
      assert.match(page, /data-scope="playlist-read-private"/);
      assert.match(page, /<form method="post" action="\/authorize\/decision">/);
      assert.match(page, /<input type="hidden" name="consent_id" value="[^"]+">/);
      assert.match(page, />Approve</);
      assert.match(page, />Deny</);
      assert.doesNotMatch(page, /<script/i);
    });

    it('answers 400 pages for an unknown client and an inexactly registered redirect URI', async () => {
      const unknown = await fetch(authorizeUrl(sim, { client_id: 'nobody' }));
      assert.equal(unknown.status, 400);
      assert.match(await unknown.text(), /INVALID_CLIENT: Invalid client/);
      for (const uri of [`${REDIRECT}/`, REDIRECT.replace('callback', 'Callback'), 'http://127.0.0.1:1881/callback']) {
        const res = await fetch(authorizeUrl(sim, { redirect_uri: uri }));
        assert.equal(res.status, 400, uri);
        assert.match(await res.text(), /INVALID_CLIENT: Invalid redirect URI/);
      }
    });

    it('redirects invalid_scope, and requires a PKCE challenge from a public client', async () => {
      const bad = await sim.consent(authorizeUrl(sim, { scope: 'user-read-private user-read-everything', state: 'abc' }), 'approve');
      const u = new URL(bad);
      assert.equal(u.searchParams.get('error'), 'invalid_scope');
      assert.equal(u.searchParams.get('state'), 'abc');
      const noChallenge = new URL(await sim.consent(authorizeUrl(sim, { client_id: 'pkce-app', scope: 'user-read-private' }), 'approve'));
      assert.equal(noChallenge.searchParams.get('error'), 'invalid_request');
      assert.equal(noChallenge.searchParams.get('code'), null);
    });

    it('denies with access_denied and the exact state; consent ids are single-use', async () => {
      const state = 'a b+c/=&ü';
      const loc = new URL(await sim.consent(authorizeUrl(sim, { scope: 'user-read-private', state }), 'deny'));
      assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT);
      assert.equal(loc.searchParams.get('error'), 'access_denied');
      assert.equal(loc.searchParams.get('state'), state);
      assert.equal(loc.searchParams.get('code'), null);

      const page = await (await fetch(authorizeUrl(sim, { scope: 'user-read-private' }))).text();
      const id = /name="consent_id" value="([^"]+)"/.exec(page)?.[1] ?? '';
      const post = () =>
        fetch(`${sim.url}/authorize/decision`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ consent_id: id, decision: 'approve' }),
        });
      const first = await post();
      assert.equal(first.status, 302);
      const approved = new URL(first.headers.get('location') ?? '');
      assert.ok(approved.searchParams.get('code'));
      assert.equal(approved.searchParams.has('state'), false, 'no state sent, none echoed');
      assert.equal((await post()).status, 400);
    });

    it('rejects the redirect URIs the dashboard rejects', () => {
      for (const uri of [
        'http://localhost:1880/callback',
        'https://localhost/cb',
        'http://192.168.1.20:1880/callback',
        'http://example.com/cb',
      ]) {
        assert.throws(() => sim.addRedirectUri('sim-client-id', uri), /Invalid redirect URI/, uri);
      }
      for (const uri of ['http://127.0.0.1:8080/cb', 'http://[::1]:1880/cb', 'https://nodered.example.com/spotify/callback']) {
        sim.addRedirectUri('sim-client-id', uri);
      }
      assert.throws(() => sim.registerApp({ clientId: 'x', redirectUris: ['http://localhost/cb'] }), /localhost/);
    });
  });

  describe('accounts: tokens', () => {
    it('runs the code flow with a secret (Basic) and refuses a reused code, a wrong redirect URI and a wrong secret', async () => {
      const loc = new URL(
        await sim.consent(authorizeUrl(sim, { scope: 'user-read-private playlist-read-private', state: 'xyz' }), 'approve'),
      );
      assert.equal(loc.searchParams.get('state'), 'xyz');
      const code = loc.searchParams.get('code') ?? '';
      const creds: [string, string] = ['sim-client-id', 'sim-client-secret'];

      const wrongSecret = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, ['sim-client-id', 'nope']);
      assert.deepEqual(wrongSecret, { status: 400, body: { error: 'invalid_client', error_description: 'Invalid client secret' } });
      const unknown = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, ['who', 'ever']);
      assert.deepEqual(unknown.body, { error: 'invalid_client', error_description: 'Invalid client' });
      const wrongRedirect = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: `${REDIRECT}/` }, creds);
      assert.deepEqual(wrongRedirect.body, { error: 'invalid_grant', error_description: 'Invalid redirect URI' });

      const ok = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, creds);
      assert.equal(ok.status, 200);
      assert.deepEqual(Object.keys(ok.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
      assert.equal(ok.body.token_type, 'Bearer');
      assert.equal(ok.body.expires_in, 3600);
      assert.equal(ok.body.scope, 'user-read-private playlist-read-private');

      const reused = await token(sim, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, creds);
      assert.deepEqual(reused, { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid authorization code' } });
    });

    it('accepts client_id and client_secret in the body', async () => {
      const code = new URL(await sim.consent(authorizeUrl(sim, { scope: 'user-read-private' }), 'approve')).searchParams.get('code') ?? '';
      const res = await token(sim, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: 'sim-client-id',
        client_secret: 'sim-client-secret',
      });
      assert.equal(res.status, 200);
    });

    it('runs PKCE for a public client: a wrong verifier fails, the right one works, refresh needs only client_id', async () => {
      const { verifier, challenge } = pkcePair();
      const loc = await sim.consent(
        authorizeUrl(sim, { client_id: 'pkce-app', scope: 'user-read-private', code_challenge_method: 'S256', code_challenge: challenge }),
        'approve',
      );
      const code = new URL(loc).searchParams.get('code') ?? '';
      const base = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: 'pkce-app' };
      const wrong = await token(sim, { ...base, code_verifier: pkcePair().verifier });
      assert.deepEqual(wrong, { status: 400, body: { error: 'invalid_grant', error_description: 'code_verifier was incorrect' } });
      const withSecret = await token(sim, { ...base, code_verifier: verifier, client_secret: 'made-up' });
      assert.equal(withSecret.body.error, 'invalid_client');
      const ok = await token(sim, { ...base, code_verifier: verifier });
      assert.equal(ok.status, 200);
      const me = await call(sim, ok.body.access_token, 'GET', '/me');
      assert.equal(me.status, 200);
      const refreshed = await token(sim, { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token, client_id: 'pkce-app' });
      assert.equal(refreshed.status, 200);
      assert.equal(refreshed.body.scope, 'user-read-private');
    });

    it('refreshes without rotation: no new refresh token, the old one keeps working, scopes never grow', async () => {
      const t = await login(sim, ['user-read-private']);
      for (let i = 0; i < 2; i++) {
        const r = await token(
          sim,
          { grant_type: 'refresh_token', refresh_token: t.refresh_token, scope: 'user-read-private playlist-modify-public' },
          ['sim-client-id', 'sim-client-secret'],
        );
        assert.equal(r.status, 200);
        assert.equal(r.body.refresh_token, undefined);
        assert.equal(r.body.scope, 'user-read-private');
        assert.notEqual(r.body.access_token, t.access_token);
      }
    });

    it('rotates refresh tokens when asked: the old one becomes invalid_grant', async () => {
      await withSim({ rotateRefreshTokens: true, apps: [{ clientId: 'c', clientSecret: 's', redirectUris: [REDIRECT] }] }, async (s) => {
        const code =
          new URL(await s.consent(authorizeUrl(s, { client_id: 'c', scope: 'user-read-private' }), 'approve')).searchParams.get('code') ??
          '';
        const first = await token(s, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, ['c', 's']);
        const r1 = await token(s, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, ['c', 's']);
        assert.equal(r1.status, 200);
        assert.ok(r1.body.refresh_token);
        assert.notEqual(r1.body.refresh_token, first.body.refresh_token);
        const old = await token(s, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, ['c', 's']);
        assert.deepEqual(old, { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token' } });
        assert.equal((await token(s, { grant_type: 'refresh_token', refresh_token: r1.body.refresh_token }, ['c', 's'])).status, 200);
      });
    });

    it('answers unsupported_grant_type and invalid_request', async () => {
      const creds: [string, string] = ['sim-client-id', 'sim-client-secret'];
      assert.equal((await token(sim, { grant_type: 'password' }, creds)).body.error, 'unsupported_grant_type');
      assert.equal((await token(sim, {}, creds)).body.error, 'unsupported_grant_type');
      assert.equal((await token(sim, { grant_type: 'refresh_token' }, creds)).body.error, 'invalid_request');
      assert.equal((await token(sim, { grant_type: 'authorization_code', redirect_uri: REDIRECT }, creds)).body.error, 'invalid_request');
    });

    it('expires, revokes and ends refresh tokens on command', async () => {
      const creds: [string, string] = ['sim-client-id', 'sim-client-secret'];
      const t = await login(sim, ['user-read-private']);
      sim.expireAccessTokens();
      const expired = await call(sim, t.access_token, 'GET', '/me');
      assert.deepEqual([expired.status, expired.body], [401, { error: { status: 401, message: 'The access token expired' } }]);
      const fresh = await token(sim, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, creds);
      assert.equal((await call(sim, fresh.body.access_token, 'GET', '/me')).status, 200);

      sim.revokeTokens();
      const revoked = await call(sim, fresh.body.access_token, 'GET', '/me');
      assert.deepEqual([revoked.status, revoked.body.error.message], [401, 'Invalid access token']);
      assert.equal((await token(sim, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, creds)).body.error, 'invalid_grant');

      const t2 = await login(sim, ['user-read-private']);
      sim.expireRefreshTokens();
      const ended = await token(sim, { grant_type: 'refresh_token', refresh_token: t2.refresh_token }, creds);
      assert.deepEqual(ended, { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token expired' } });
    });

    it('ends refresh tokens a fixed time after consent, however often they are used', async () => {
      await withSim(
        {
          refreshTokenLifetimeSeconds: 0.4,
          tokenLifetimeSeconds: 1,
          apps: [{ clientId: 'c', clientSecret: 's', redirectUris: [REDIRECT] }],
        },
        async (s) => {
          const code = new URL(await s.consent(authorizeUrl(s, { client_id: 'c', scope: '' }), 'approve')).searchParams.get('code') ?? '';
          const t = await token(s, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, ['c', 's']);
          assert.equal(t.body.expires_in, 1);
          assert.equal((await token(s, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token }, ['c', 's'])).status, 200);
          await new Promise((r) => setTimeout(r, 450));
          assert.equal(
            (await token(s, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token }, ['c', 's'])).body.error_description,
            'Refresh token expired',
          );
        },
      );
    });

    it('answers 503 while the token endpoint is down', async () => {
      sim.setTokenEndpointDown(true);
      try {
        assert.equal(
          (await token(sim, { grant_type: 'refresh_token', refresh_token: 'x' }, ['sim-client-id', 'sim-client-secret'])).status,
          503,
        );
      } finally {
        sim.setTokenEndpointDown(false);
      }
    });
  });

  describe('web api', () => {
    let access: string;
    before(async () => {
      access = (await login(sim)).access_token;
    });

    it('checks the bearer token and the scopes', async () => {
      allowContractDeviations({ rule: 'no-operation', reason: 'asks for a path Spotify does not have, on purpose' });
      assert.deepEqual((await call(sim, undefined, 'GET', '/me')).body, { error: { status: 401, message: 'No token provided' } });
      assert.deepEqual((await call(sim, 'garbage', 'GET', '/me')).body, { error: { status: 401, message: 'Invalid access token' } });
      const narrow = (await login(sim, ['user-read-private'])).access_token;
      const denied = await call(sim, narrow, 'GET', '/me/playlists');
      assert.deepEqual([denied.status, denied.body], [403, { error: { status: 403, message: 'Insufficient client scope' } }]);
      assert.equal((await call(sim, access, 'GET', '/no/such/thing')).body.error.message, 'Service not found');
    });

    it('answers /me without the removed fields', async () => {
      const me = await call(sim, access, 'GET', '/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.id, 'sim-user');
      assert.equal(me.body.display_name, 'Demo Listener');
      assert.equal(me.body.type, 'user');
      assert.equal(me.body.uri, 'spotify:user:sim-user');
      assert.equal(typeof me.body.account_id, 'string');
      assert.ok(Array.isArray(me.body.images));
      for (const gone of ['email', 'country', 'product', 'followers', 'explicit_content']) assert.equal(gone in me.body, false, gone);
    });

    it('pages /me/playlists with absolute links, a null entry, and the items/tracks duplicates', async () => {
      allowContractDeviations({ rule: 'query', operation: 'GET /me/playlists', reason: 'limits outside 1..50 on purpose' });
      const first = await call(sim, access, 'GET', '/me/playlists?limit=3');
      assert.equal(first.status, 200);
      assert.equal(first.body.total, 8); // 5 own, the null entry, the collaborative and the followed one
      assert.equal(first.body.previous, null);
      assert.equal(first.body.next, `${sim.apiUrl}/me/playlists?offset=3&limit=3`);
      assert.equal(first.body.href, `${sim.apiUrl}/me/playlists?offset=0&limit=3`);
      const p = first.body.items[1];
      assert.deepEqual(p.items, { href: `${sim.apiUrl}/playlists/${p.id}/items`, total: 3 });
      assert.equal(p.tracks.total, 3);
      const all: unknown[] = [...first.body.items];
      let next: string | null = first.body.next;
      while (next) {
        const page: { body: ApiAnswer } = await call(sim, access, 'GET', next);
        all.push(...page.body.items);
        next = page.body.next;
      }
      assert.equal(all.length, 8);
      const end = await call(sim, access, 'GET', '/me/playlists?offset=4&limit=4');
      assert.deepEqual([end.body.items.length, end.body.next, end.body.previous], [4, null, `${sim.apiUrl}/me/playlists?offset=0&limit=4`]);
      assert.equal(all.filter((x) => x === null).length, 1);
      for (const limit of ['0', '51', 'x', '-1']) {
        const bad = await call(sim, access, 'GET', `/me/playlists?limit=${limit}`);
        assert.deepEqual([bad.status, bad.body.error.message], [400, 'Invalid limit'], limit);
      }
    });

    it('pages playlist items with item/track, added_at, added_by and is_local', async () => {
      allowContractDeviations({ rule: 'query', operation: 'GET /playlists/{playlist_id}/items', reason: 'a limit over 50 on purpose' });
      const big = sim.state.playlists.find((p) => p.owner.id === 'sim-user' && p.items.length === 120);
      assert.ok(big);
      const last = await call(sim, access, 'GET', `/playlists/${big.id}/items?offset=100&limit=50`);
      assert.equal(last.status, 200);
      assert.equal(last.body.items.length, 20);
      assert.equal(last.body.next, null);
      assert.equal(last.body.previous, `${sim.apiUrl}/playlists/${big.id}/items?offset=50&limit=50`);
      const e = last.body.items[0];
      assert.equal(e.item.uri, big.items[100].uri);
      assert.deepEqual(e.track, e.item);
      assert.match(e.added_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(e.added_by.id, 'sim-user');
      assert.equal(e.is_local, false);
      assert.equal((await call(sim, access, 'GET', `/playlists/${big.id}/items?limit=51`)).body.error.message, 'Invalid limit');
      const filtered = await call(sim, access, 'GET', `/playlists/${big.id}/items?limit=2&fields=items(item(name)),total`);
      assert.deepEqual(Object.keys(filtered.body).sort(), ['items', 'total']);
      assert.deepEqual(Object.keys(filtered.body.items[0].item), ['name']);
    });

    it('sends episodes as episodes only when additional_types asks for them; else in the old track-like form', async () => {
      const mixed = sim.state.playlists.find((p) => p.owner.id === 'sim-user' && p.items.some((e) => e.uri.startsWith('spotify:episode:')));
      assert.ok(mixed);
      const at = mixed.items.findIndex((e) => e.uri.startsWith('spotify:episode:'));
      const asked = await call(sim, access, 'GET', `/playlists/${mixed.id}/items?additional_types=track,episode`);
      const episode = asked.body.items[at].item;
      assert.equal(episode.type, 'episode');
      assert.equal(typeof episode.show?.name, 'string');
      assert.equal(episode.episode, undefined);
      const legacy = (await call(sim, access, 'GET', `/playlists/${mixed.id}/items`)).body.items[at].item;
      assert.deepEqual([legacy.uri, legacy.type, legacy.episode, legacy.track], [mixed.items[at].uri, 'episode', true, false]);
      assert.deepEqual([legacy.album?.type, legacy.album?.name, legacy.show], ['show', episode.show?.name, undefined]);
      const whole = await call(sim, access, 'GET', `/playlists/${mixed.id}?additional_types=episode`);
      assert.equal(whole.body.tracks.items[at].item.show?.name, episode.show?.name);
    });

    it("keeps other people's playlists read-only and their entries hidden", async () => {
      const followed = sim.state.playlists.find((p) => p.name === 'Curated Sounds Weekly');
      assert.ok(followed);
      const meta = await call(sim, access, 'GET', `/playlists/${followed.id}`);
      assert.equal(meta.status, 200);
      assert.deepEqual(meta.body.items, { href: `${sim.apiUrl}/playlists/${followed.id}/items`, total: followed.items.length });
      assert.equal((await call(sim, access, 'GET', `/playlists/${followed.id}/items`)).status, 403);
      const write = await call(sim, access, 'POST', `/playlists/${followed.id}/items`, { uris: [sim.state.catalog.track(1).uri] });
      assert.deepEqual([write.status, write.body.error.message], [403, 'Forbidden']);
      const collab = sim.state.playlists.find((p) => p.collaborative);
      assert.ok(collab);
      assert.equal(
        (await call(sim, access, 'POST', `/playlists/${collab.id}/items`, { uris: [sim.state.catalog.track(1).uri] })).status,
        201,
      );
    });

    it('writes playlist items: insert at position, remove, reorder, replace; each change a new snapshot_id', async () => {
      const created = await call(sim, access, 'POST', '/me/playlists', { name: 'Test list', public: false });
      assert.equal(created.status, 201);
      const id: string = created.body.id;
      assert.equal(sim.state.library.playlists[0], id);
      const uris = [0, 1, 2, 3].map((i) => sim.state.catalog.track(i).uri);
      const a = await call(sim, access, 'POST', `/playlists/${id}/items`, { uris: [uris[0], uris[3]] });
      assert.equal(a.status, 201);
      assert.notEqual(a.body.snapshot_id, created.body.snapshot_id);
      const b = await call(sim, access, 'POST', `/playlists/${id}/items?uris=${encodeURIComponent(`${uris[1]},${uris[2]}`)}&position=1`);
      assert.equal(b.status, 201);
      assert.notEqual(b.body.snapshot_id, a.body.snapshot_id);
      const pl = () => sim.state.playlist(id)!;
      assert.deepEqual(
        pl().items.map((e) => e.uri),
        uris,
      );
      assert.equal(pl().snapshot_id, b.body.snapshot_id);

      const moved = await call(sim, access, 'PUT', `/playlists/${id}/items`, {
        range_start: 3,
        insert_before: 0,
        snapshot_id: b.body.snapshot_id,
      });
      assert.equal(moved.status, 200);
      assert.deepEqual(
        pl().items.map((e) => e.uri),
        [uris[3], uris[0], uris[1], uris[2]],
      );
      const removed = await call(sim, access, 'DELETE', `/playlists/${id}/items`, {
        items: [{ uri: uris[0] }],
        snapshot_id: moved.body.snapshot_id,
      });
      assert.equal(removed.status, 200);
      assert.deepEqual(
        pl().items.map((e) => e.uri),
        [uris[3], uris[1], uris[2]],
      );
      assert.equal(
        (await call(sim, access, 'DELETE', `/playlists/${id}/items`, { items: [{ uri: uris[1] }], snapshot_id: 'bogus' })).status,
        400,
      );
      const replaced = await call(sim, access, 'PUT', `/playlists/${id}/items`, { uris: [] });
      assert.equal(replaced.status, 200);
      assert.equal(pl().items.length, 0);
      assert.notEqual(replaced.body.snapshot_id, removed.body.snapshot_id);

      const tooMany = await call(sim, access, 'POST', `/playlists/${id}/items`, {
        uris: Array.from({ length: 101 }, (_, i) => sim.state.catalog.track(i).uri),
      });
      assert.deepEqual([tooMany.status, tooMany.body.error.message], [400, 'Too many ids requested']);
      const badId = await call(sim, access, 'POST', `/playlists/${id}/items`, { uris: ['spotify:track:not-an-id'] });
      assert.deepEqual([badId.status, badId.body.error.message], [400, 'Invalid base62 id']);
      const narrow = (await login(sim, ['playlist-modify-public'])).access_token;
      assert.equal(
        (await call(sim, narrow, 'POST', `/playlists/${id}/items`, { uris: [uris[0]] })).body.error.message,
        'Insufficient client scope',
      );
    });

    it('changes playlist details and uploads a cover (base64 JPEG ≤ 256 KB)', async () => {
      const own = sim.state.playlists.find((p) => p.owner.id === 'sim-user' && p.name === 'Road Trip');
      assert.ok(own);
      const before = own.snapshot_id;
      assert.equal((await call(sim, access, 'PUT', `/playlists/${own.id}`, { name: 'Road Trip 2', description: 'longer' })).status, 200);
      assert.deepEqual([own.name, own.description], ['Road Trip 2', 'longer']);
      assert.notEqual(own.snapshot_id, before);
      const upload = (body: string) =>
        fetch(`${sim.apiUrl}/playlists/${own.id}/images`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${access}`, 'content-type': 'image/jpeg' },
          body,
        });
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(1000)]).toString('base64');
      assert.equal((await upload(jpeg)).status, 202);
      const images = await call<{ url: string }[]>(sim, access, 'GET', `/playlists/${own.id}/images`);
      assert.equal(images.body.length, 1);
      assert.equal(images.body[0].url, own.images[0].url);
      assert.equal((await upload(Buffer.from('GIF89a....').toString('base64'))).status, 400);
      assert.equal((await upload('A'.repeat(256 * 1024 + 4))).status, 413);
    });

    it('answers top items by time range', async () => {
      const top = await call(sim, access, 'GET', '/me/top/tracks?time_range=short_term&limit=10');
      assert.deepEqual([top.status, top.body.items.length, top.body.items[0].type], [200, 10, 'track']);
      assert.notDeepEqual(top.body.items[0].id, (await call(sim, access, 'GET', '/me/top/tracks?limit=10')).body.items[0].id);
      assert.equal((await call(sim, access, 'GET', '/me/top/artists?time_range=forever')).status, 400);
    });

    it('answers 403 Forbidden on endpoints removed for development-mode apps', async () => {
      allowContractDeviations({
        rule: 'undeclared-query',
        operation: 'PUT /me/tracks',
        reason: 'the removed save endpoint as old apps called it',
      });
      const pid = sim.state.library.playlists[1] ?? '';
      const t = sim.state.catalog.track(0).id;
      const removed: [string, string][] = [
        ['GET', `/playlists/${pid}/tracks`],
        ['POST', `/playlists/${pid}/tracks`],
        ['PUT', `/playlists/${pid}/tracks`],
        ['DELETE', `/playlists/${pid}/tracks`],
        ['GET', '/users/sim-user/playlists'],
        ['POST', '/users/sim-user/playlists'],
        ['GET', '/users/sim-user'],
        [`GET`, `/tracks?ids=${t}`],
        ['GET', `/albums?ids=${t}`],
        ['PUT', `/me/tracks?ids=${t}`],
        ['DELETE', `/me/tracks?ids=${t}`],
        ['GET', `/me/tracks/contains?ids=${t}`],
        ['PUT', '/me/following?type=artist&ids=x'],
        ['GET', `/audio-features/${t}`],
        ['GET', '/recommendations?seed_tracks=x'],
        ['GET', '/browse/new-releases'],
        ['GET', `/artists/${t}/top-tracks`],
        ['GET', '/markets'],
        ['PUT', `/playlists/${pid}/followers`],
      ];
      for (const [method, p] of removed) {
        const res = await call(sim, access, method, p);
        assert.deepEqual([res.status, res.body], [403, { error: { status: 403, message: 'Forbidden' } }], `${method} ${p}`);
      }
      assert.equal((await call(sim, undefined, 'GET', `/playlists/${pid}/tracks`)).status, 401, 'a token is checked first');
      assert.equal((await call(sim, access, 'GET', '/me/tracks?limit=1')).status, 200, 'listing saved tracks still works');
    });

    it('saves to /me/library, answers contains, and limits to 40 uris', async () => {
      const uris = [sim.state.catalog.track(5).uri, sim.state.catalog.album(5).uri];
      const before = sim.state.library.tracks.length;
      assert.equal((await call(sim, access, 'PUT', `/me/library?uris=${uris.join(',')}`)).status, 200);
      assert.equal(sim.state.library.tracks.length, before + 1);
      const saved = await call(sim, access, 'GET', '/me/tracks?limit=1');
      assert.equal(saved.body.items[0].track.uri, uris[0]);
      const artist = sim.state.library.artists[0];
      const contains = await call(
        sim,
        access,
        'GET',
        `/me/library/contains?uris=${[...uris, sim.state.catalog.track(6).uri, `spotify:artist:${artist}`].join(',')}`,
      );
      assert.deepEqual(contains.body, [true, true, false, true]);
      const many = Array.from({ length: 41 }, (_, i) => sim.state.catalog.track(i).uri).join(',');
      assert.deepEqual((await call(sim, access, 'PUT', `/me/library?uris=${many}`)).body.error.message, 'Too many ids requested');
      assert.equal((await call(sim, access, 'PUT', `/me/library?uris=spotify:artist:${artist}`)).status, 400);
    });

    it('pages followed artists by cursor', async () => {
      const seen: string[] = [];
      let next: string | null = `${sim.apiUrl}/me/following?type=artist&limit=10`;
      while (next) {
        const page: { body: ApiAnswer } = await call(sim, access, 'GET', next);
        seen.push(...page.body.artists.items.map((a) => a.id));
        next = page.body.artists.next;
        assert.equal(page.body.artists.total, 25);
        // Only the `after` cursor, null on the last page (as Spotify sends them).
        assert.deepEqual(Object.keys(page.body.artists.cursors ?? {}), ['after']);
      }
      assert.deepEqual(seen, [...sim.state.library.artists].sort());
    });

    it('checks search limits (1..10, default 5) and offset ≤ 1000', async () => {
      allowContractDeviations({ rule: 'query', operation: 'GET /search', reason: 'limit and offset out of range on purpose' });
      const ok = await call(sim, access, 'GET', '/search?q=the&type=track,artist');
      assert.equal(ok.status, 200);
      assert.equal(ok.body.tracks.limit, 5);
      assert.equal(ok.body.tracks.items.length, 5);
      assert.ok(ok.body.artists);
      assert.equal((await call(sim, access, 'GET', '/search?q=the&type=track&limit=11')).body.error.message, 'Invalid limit');
      assert.equal((await call(sim, access, 'GET', '/search?q=the&type=track&offset=1001')).body.error.message, 'Invalid offset');
      assert.equal((await call(sim, access, 'GET', '/search?q=the&type=track&offset=1000')).status, 200);
    });

    it('reads the catalogue one id at a time', async () => {
      allowContractDeviations({ rule: 'query', operation: 'GET /artists/{id}/albums', reason: 'a limit over 10 on purpose' });
      const t = sim.state.catalog.track(42);
      const track = await call(sim, access, 'GET', `/tracks/${t.id}`);
      assert.equal(track.status, 200);
      assert.equal(track.body.name, t.name);
      assert.equal('popularity' in track.body, false);
      assert.equal('available_markets' in track.body, false);
      assert.equal((await call(sim, access, 'GET', '/tracks/abc')).body.error.message, 'Invalid base62 id');
      assert.equal((await call(sim, access, 'GET', `/tracks/${sim.state.catalog.album(1).id}`)).status, 404);
      const albums = await call(sim, access, 'GET', `/artists/${t.artist_ids[0]}/albums`);
      assert.equal(albums.body.limit, 5);
      assert.equal((await call(sim, access, 'GET', `/artists/${t.artist_ids[0]}/albums?limit=11`)).body.error.message, 'Invalid limit');
      assert.equal((await call(sim, access, 'GET', `/albums/${t.album_id}/tracks`)).status, 200);
    });

    it('pages recently played newest first with before/after cursors', async () => {
      const plays = sim.state.plays;
      assert.equal(plays.length >= 60, true);
      const first = await call(sim, access, 'GET', '/me/player/recently-played?limit=50');
      const items = first.body.items;
      assert.equal(items.length, 50);
      const times = items.map((i) => Date.parse(i.played_at));
      assert.deepEqual(
        times,
        [...times].sort((x, y) => y - x),
      );
      assert.equal(first.body.cursors?.before, String(times[times.length - 1]));
      assert.ok(first.body.next?.startsWith(`${sim.apiUrl}/me/player/recently-played?`));
      const second = await call(sim, access, 'GET', first.body.next ?? '');
      assert.ok(second.body.items.length > 0);
      assert.ok(Date.parse(second.body.items[0].played_at) < times[times.length - 1]);

      const after = times[5];
      const newer = await call(sim, access, 'GET', `/me/player/recently-played?after=${after}`);
      assert.deepEqual(
        newer.body.items.map((i) => Date.parse(i.played_at)),
        times.slice(0, 5),
      );
      const none = await call(sim, access, 'GET', `/me/player/recently-played?after=${Date.now() + 60_000}`);
      assert.deepEqual([none.body.items, none.body.cursors, none.body.next], [[], null, null], 'an empty page has cursors: null');
      const both = await call(sim, access, 'GET', `/me/player/recently-played?after=1&before=2`);
      assert.equal(both.status, 400);

      const uri = sim.state.catalog.track(3).uri;
      sim.play(uri);
      const fresh = await call(sim, access, 'GET', `/me/player/recently-played?after=${first.body.cursors?.after}`);
      assert.equal(fresh.body.items.length, 1);
      assert.equal(fresh.body.items[0].track.uri, uri);
      sim.pause();
    });

    it('drives the player: idle 204, NO_ACTIVE_DEVICE, then commands on the active device', async () => {
      await withSim({}, async (s) => {
        s.addRedirectUri('sim-client-id', REDIRECT);
        const t = (await login(s)).access_token;
        assert.equal((await call(s, t, 'GET', '/me/player')).status, 204);
        const devices = await call(s, t, 'GET', '/me/player/devices');
        assert.deepEqual(
          devices.body.devices.map((d) => [d.name, d.is_active]),
          [
            ['Living Room Speaker', false],
            ['Phone', false],
          ],
        );
        const none = await call(s, t, 'PUT', '/me/player/pause');
        assert.deepEqual(none.body, {
          error: { status: 404, message: 'Player command failed: No active device found', reason: 'NO_ACTIVE_DEVICE' },
        });
        const uri = s.state.catalog.track(9).uri;
        s.play(uri, { progressMs: 1000 });
        const state = await call(s, t, 'GET', '/me/player');
        assert.equal(state.status, 200);
        assert.equal(state.body.item.uri, uri);
        assert.equal(state.body.is_playing, true);
        assert.equal(state.body.device.name, 'Living Room Speaker');
        assert.equal((await call(s, t, 'PUT', '/me/player/pause')).status, 204);
        assert.equal(s.state.player.is_playing, false);
        assert.equal((await call(s, t, 'PUT', '/me/player/volume?volume_percent=101')).status, 400);
        assert.equal((await call(s, t, 'POST', `/me/player/queue?uri=${s.state.catalog.track(10).uri}`)).status, 204);
        assert.equal((await call(s, t, 'POST', '/me/player/next')).status, 204);
        assert.equal(s.state.player.item_uri, s.state.catalog.track(10).uri);

        // A playing episode is named only to a client that takes episodes (additional_types).
        const episode = s.state.catalog.episode(3).uri;
        s.play(episode);
        for (const path of ['/me/player', '/me/player/currently-playing']) {
          const plain = await call(s, t, 'GET', path);
          assert.deepEqual([plain.body.item, plain.body.currently_playing_type], [null, 'episode'], path);
          const asked = await call(s, t, 'GET', `${path}?additional_types=track,episode`);
          assert.deepEqual([asked.body.item.uri, asked.body.currently_playing_type], [episode, 'episode'], path);
        }
      });
      await withSim({ premium: false }, async (s) => {
        s.addRedirectUri('sim-client-id', REDIRECT);
        const t = (await login(s)).access_token;
        s.play(s.state.catalog.track(1).uri);
        const res = await call(s, t, 'PUT', '/me/player/pause');
        assert.deepEqual([res.status, res.body.error.reason], [403, 'PREMIUM_REQUIRED']);
      });
    });
  });

  describe('faults and the request log', () => {
    let access: string;
    before(async () => {
      access = (await login(sim)).access_token;
    });

    it('answers 429 with Retry-After and a reason, for `times` requests', async () => {
      sim.addFault({ path: '/me', status: 429, retryAfter: 7, reason: 'QUOTA_EXCEEDED', times: 1 });
      const limited = await call(sim, access, 'GET', '/me');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '7');
      assert.deepEqual(limited.body, { error: { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' } });
      assert.equal((await call(sim, access, 'GET', '/me')).status, 200);
    });

    it('resets the connection, before or after the write happens', async () => {
      const pl = sim.state.playlists.find((p) => p.owner.id === 'sim-user' && p.items.length === 3);
      assert.ok(pl);
      const uri = sim.state.catalog.track(77).uri;
      sim.addFault({ method: 'POST', path: new RegExp(`^/v1/playlists/${pl.id}/items$`), reset: true, times: 1 });
      await assert.rejects(call(sim, access, 'POST', `/playlists/${pl.id}/items`, { uris: [uri] }));
      assert.equal(pl.items.length, 3, 'no effect without afterEffect');
      sim.addFault({ method: 'POST', path: `/playlists/${pl.id}/items`, reset: true, afterEffect: true, times: 1 });
      await assert.rejects(call(sim, access, 'POST', `/playlists/${pl.id}/items`, { uris: [uri] }));
      assert.deepEqual(
        sim.state
          .playlist(pl.id)
          ?.items.map((e) => e.uri)
          .slice(-1),
        [uri],
        'the write happened',
      );
      const log = sim.requests.filter((r) => r.path === `/v1/playlists/${pl.id}/items`);
      assert.deepEqual(
        log.map((r) => [r.status, r.faulted]),
        [
          [0, true],
          [0, true],
        ],
      );
    });

    it('applies every Nth, status with afterEffect, delay and accounts-side faults', async () => {
      sim.addFault({ path: /\/me$/, status: 502, every: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(sim, access, 'GET', '/me')).status);
      assert.deepEqual(statuses, [200, 502, 200, 502]);
      sim.clearFaults();

      const id = sim.addFault({ path: '/api/token', status: 500 });
      assert.equal(
        (await token(sim, { grant_type: 'refresh_token', refresh_token: 'x' }, ['sim-client-id', 'sim-client-secret'])).body.error,
        'server_error',
      );
      sim.removeFault(id);

      sim.addFault({ path: '/me', delayMs: 150, times: 1 });
      const t0 = Date.now();
      await call(sim, access, 'GET', '/me');
      assert.ok(Date.now() - t0 >= 140);
    });

    it('records requests by kind and counts without control calls', async () => {
      allowContractDeviations({ rule: 'undeclared-query', operation: 'GET /me', reason: 'an arbitrary query to see it logged' });
      sim.clearRequests();
      await call(sim, access, 'GET', '/me');
      await call(sim, access, 'GET', '/me?x=1');
      await fetch(`${sim.url}/__sim/requests`);
      await token(sim, { grant_type: 'nope' }, ['sim-client-id', 'sim-client-secret']);
      assert.equal(sim.count(), 3);
      assert.equal(sim.count({ path: '/v1/me' }), 2);
      assert.equal(sim.count({ path: '/me', method: 'get' }), 2);
      assert.equal(sim.count({ kind: 'accounts' }), 1);
      assert.equal(sim.count({ kind: 'control' }), 1);
      const r = sim.requests[1];
      assert.deepEqual([r.method, r.path, r.query, r.status, r.kind, r.faulted], ['GET', '/v1/me', { x: '1' }, 200, 'api', false]);
    });

    it('renames the user everywhere and lists issued secrets', async () => {
      const name = sim.state.me.display_name;
      try {
        sim.setDisplayName('<b>Eve</b>');
        assert.equal((await call(sim, access, 'GET', '/me')).body.display_name, '<b>Eve</b>');
        const page = await (await fetch(authorizeUrl(sim, { scope: 'user-read-private' }))).text();
        assert.match(page, /&lt;b&gt;Eve&lt;\/b&gt;/);
        assert.ok(sim.issuedSecrets().accessTokens.includes(access));
      } finally {
        sim.setDisplayName(name);
      }
    });

    it('takes controls over HTTP under /__sim/', async () => {
      const post = (p: string, body: unknown) =>
        fetch(`${sim.url}/__sim/${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const added = (await (await post('faults', { pathRegex: '^/v1/me$', status: 503, times: 1 })).json()) as { id: unknown };
      assert.equal(typeof added.id, 'number');
      assert.equal((await call(sim, access, 'GET', '/me')).status, 503);
      assert.equal((await post('apps', { clientId: 'bad', redirectUris: ['http://localhost/cb'] })).status, 400);
      assert.equal((await post('play', { uri: sim.state.catalog.track(2).uri })).status, 200);
      const state = (await (await fetch(`${sim.url}/__sim/state?items=0`)).json()) as { player: { item_uri: string }; me: { id: string } };
      assert.equal(state.player.item_uri, sim.state.catalog.track(2).uri);
      assert.equal(state.me.id, 'sim-user');
      await post('pause', {});
      assert.equal(sim.state.player.is_playing, false);
    });
  });

  describe('data', () => {
    it('is deterministic by seed', async () => {
      const snapshot = async (seed: number) =>
        withSim({ seed }, (s) => {
          const st = s.state;
          return Promise.resolve(
            JSON.stringify({
              playlists: st.playlists.map((p) => [p.id, p.name, p.snapshot_id, p.items.map((e) => e.uri)]),
              saved: st.library.tracks,
              artists: st.library.artists,
              plays: st.plays.map((p) => p.uri),
              track: st.catalog.track(123),
            }),
          );
        });
      const [a, b, c] = [await snapshot(3), await snapshot(3), await snapshot(4)];
      assert.equal(a, b);
      assert.notEqual(a, c);
    });

    it('keeps large playlists and libraries cheap', async () => {
      await withSim({ data: { playlistSizes: [5000, 50000], savedTracks: 5000 } }, async (s) => {
        s.addRedirectUri('sim-client-id', REDIRECT);
        const t = (await login(s)).access_token;
        const huge = s.state.library.playlists[1] ?? '';
        const built = s.state.materialisedLists(); // the test's own look at the library builds the saved lists
        const page = await call(s, t, 'GET', `/playlists/${huge}/items?offset=49990&limit=50`);
        assert.equal(page.body.total, 50000);
        assert.equal(page.body.items.length, 10);
        assert.equal((await call(s, t, 'GET', '/me/tracks?offset=4999')).body.items.length, 1);
        // Reading computes entries from their index: nothing of 55,000 entries is held until a write.
        assert.equal(s.state.materialisedLists(), built, 'the 50,000-entry playlist is read without building it');
        assert.equal(
          (await call(s, t, 'POST', `/playlists/${huge}/items`, { uris: [s.state.catalog.track(0).uri], position: 0 })).status,
          201,
        );
        assert.equal(s.state.playlist(huge)?.items.length, 50001);
        assert.equal(s.state.materialisedLists(), built + 1, 'a write builds just the list it changes');
      });
    });
  });

  describe('kept across runs (persist: the demo)', () => {
    let dir: string;
    let file: string;
    const lines: string[] = [];
    const persist = (): SimulatorOptions => ({ persist: { file, log: (line) => lines.push(line) } });
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunewire-sim-kept-'));
      file = path.join(dir, 'simulator.json');
      lines.length = 0;
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('is off by default: nothing is written, every run starts from the seed', async () => {
      await withSim({}, async (s) => {
        s.addRedirectUri('sim-client-id', REDIRECT);
        const t = (await login(s)).access_token;
        assert.equal((await call(s, t, 'POST', '/me/playlists', { name: 'Only this run' })).status, 201);
        assert.equal(s.restored, false);
      });
      await withSim({}, (s) => {
        assert.equal(
          s.state.playlists.some((p) => p.name === 'Only this run'),
          false,
        );
        return Promise.resolve();
      });
    });

    it('keeps playlists, the library, plays, the player and working tokens; the next run goes on from them', async () => {
      const before = await withSim(persist(), async (s) => {
        assert.equal(s.restored, false, 'no file yet: the seed');
        s.addRedirectUri('sim-client-id', REDIRECT);
        const login1 = await login(s);
        const t = login1.access_token;
        const made = await call(s, t, 'POST', '/me/playlists', { name: 'Saved this week', public: false });
        const id = made.body.id;
        const track = s.state.catalog.track(42).uri;
        assert.equal((await call(s, t, 'POST', `/playlists/${id}/items`, { uris: [track, s.state.catalog.track(43).uri] })).status, 201);
        assert.equal((await call(s, t, 'PUT', `/me/library?uris=${s.state.catalog.track(44).uri}`)).status, 200);
        s.play(s.state.catalog.track(45).uri, { deviceId: s.state.player.devices[1].id });
        assert.equal((await call(s, t, 'PUT', '/me/player/volume?volume_percent=30')).status, 204);
        s.setDisplayName('Kept Listener');
        return {
          id,
          snapshot: s.state.playlist(id)?.snapshot_id,
          items: s.state.playlist(id)?.items.map((e) => e.uri),
          liked: s.state.library.tracks[0].uri,
          plays: s.state.plays.map((p) => p.uri),
          access: t,
          refresh: login1.refresh_token,
        };
      });
      assert.ok(fs.existsSync(file), 'written on stop');
      assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600', 'it holds tokens: for the owner only');

      await withSim(persist(), async (s) => {
        assert.equal(s.restored, true);
        assert.deepEqual(lines, []);
        const p = s.state.playlist(before.id);
        assert.equal(p?.name, 'Saved this week');
        assert.deepEqual(
          p.items.map((e) => e.uri),
          before.items,
        );
        assert.equal(p.snapshot_id, before.snapshot);
        assert.equal(s.state.library.playlists[0], before.id, 'first in /me/playlists, as made');
        assert.equal(s.state.library.tracks[0].uri, before.liked);
        assert.deepEqual(
          s.state.plays.map((q) => q.uri),
          before.plays,
        );
        assert.equal(s.state.player.device_id, s.state.player.devices[1].id);
        assert.equal(s.state.player.devices[1].volume_percent, 30);
        assert.equal(s.state.me.display_name, 'Kept Listener');
        // The tokens of the first run work in this one: the access token as it is, the refresh token for new ones.
        assert.equal((await call(s, before.access, 'GET', '/me')).body.display_name, 'Kept Listener');
        const refreshed = await token(s, { grant_type: 'refresh_token', refresh_token: before.refresh }, [
          'sim-client-id',
          'sim-client-secret',
        ]);
        assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
        // A write goes on from the kept snapshot, and a new playlist never takes a kept one's id.
        const t = refreshed.body.access_token;
        assert.equal((await call(s, t, 'POST', `/playlists/${before.id}/items`, { uris: [s.state.catalog.track(46).uri] })).status, 201);
        assert.notEqual(s.state.playlist(before.id)?.snapshot_id, before.snapshot);
        const other = await call(s, t, 'POST', '/me/playlists', { name: 'Another' });
        assert.notEqual(other.body.id, before.id);
        assert.equal(s.state.playlist(before.id)?.name, 'Saved this week');
      });
    });

    it('writes soon after a change, without waiting for stop', async () => {
      await withSim(persist(), async (s) => {
        s.addRedirectUri('sim-client-id', REDIRECT);
        const t = (await login(s)).access_token;
        await call(s, t, 'POST', '/me/playlists', { name: 'Written by itself' });
        for (const end = Date.now() + 20_000; !(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('Written by itself'));) {
          assert.ok(Date.now() < end, 'the file was not written within 20 s of the change');
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.deepEqual(fs.readdirSync(dir), ['simulator.json'], 'no temporary file left');
      });
    });

    for (const [what, content] of [
      ['not JSON', '{"format": 1, "playlists": ['],
      ['of another shape', JSON.stringify({ format: 1, seed: 1, data: '{}', playlists: 'many' })],
      ['of another format', JSON.stringify({ format: 99 })],
    ] as const) {
      it(`starts from the seed with one line when the file is ${what}, and writes a good one again`, async () => {
        fs.writeFileSync(file, content);
        await withSim(persist(), (s) => {
          assert.equal(s.restored, false);
          assert.equal(lines.length, 1, lines.join('\n'));
          assert.match(lines[0], /simulator: could not use .*simulator\.json \(.+\); starting from the seeded playlists and library/);
          assert.equal(s.state.playlists.length > 0, true);
          s.setDisplayName('After the damage');
          return Promise.resolve();
        });
        await withSim(persist(), (s) => {
          assert.equal(s.restored, true);
          assert.equal(s.state.me.display_name, 'After the damage');
          return Promise.resolve();
        });
      });
    }

    it('keeps a bounded history: the latest plays only', async () => {
      await withSim(persist(), (s) => {
        for (let i = 0; i < MAX_KEPT_PLAYS + 50; i++) s.play(s.state.catalog.track(i).uri);
        return Promise.resolve();
      });
      await withSim(persist(), (s) => {
        assert.equal(s.state.plays.length, MAX_KEPT_PLAYS);
        assert.equal(s.state.plays[s.state.plays.length - 1].uri, s.state.catalog.track(MAX_KEPT_PLAYS + 49).uri);
        return Promise.resolve();
      });
    });

    it('leaves out a file made with another seed', async () => {
      await withSim({ ...persist(), seed: 3 }, (s) => {
        s.setDisplayName('Seed three');
        return Promise.resolve();
      });
      await withSim({ ...persist(), seed: 4 }, (s) => {
        assert.equal(s.restored, false);
        assert.notEqual(s.state.me.display_name, 'Seed three');
        assert.match(lines.join('\n'), /made with other seeded data/);
        return Promise.resolve();
      });
    });
  });

  describe('rate limit: a rolling window per app, a quota per developer account', () => {
    /** Consent and a code grant for `clientId` (an app with a secret), returning its access token. */
    async function loginAs(s: Simulator, clientId: string, secret: string): Promise<string> {
      const loc = await s.consent(authorizeUrl(s, { client_id: clientId, scope: 'user-read-private', state: 's' }), 'approve');
      const code = new URL(loc).searchParams.get('code') ?? '';
      const res = await token(s, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, [clientId, secret]);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.access_token;
    }

    // Only Date is faked: the window is read from the clock, the HTTP round trips stay real.
    let clock: sinon.SinonFakeTimers | undefined;
    afterEach(() => clock?.restore());

    it('serves `budget` requests in any window, then answers 429 with the time the window frees up', async () => {
      await withSim({ apps: [{ clientId: 'a', clientSecret: 'sa', redirectUris: [REDIRECT] }] }, async (s) => {
        const access = await loginAs(s, 'a', 'sa');
        clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
        s.setRateLimit({ budget: 3, windowMs: 10_000 });
        const status = async () => {
          const r = await call(s, access, 'GET', '/me');
          return r.status === 429 ? `429 after ${r.headers.get('retry-after')} s` : String(r.status);
        };
        const seen: string[] = [];
        seen.push(await status()); // t = 0
        clock.tick(4000);
        seen.push(await status()); // 4 s
        clock.tick(2000);
        seen.push(await status()); // 6 s: the third of three
        clock.tick(1000);
        seen.push(await status()); // 7 s: the one at 0 s leaves the window at 10 s
        clock.tick(3000);
        seen.push(await status()); // 10 s: it has left
        clock.tick(500);
        seen.push(await status()); // 10.5 s: next to leave is the one at 4 s, at 14 s
        assert.deepEqual(seen, ['200', '200', '200', '429 after 3 s', '200', '429 after 4 s']);
        const limited = await call(s, access, 'GET', '/me');
        assert.deepEqual(limited.body.error, { status: 429, message: 'Too many requests' }, 'a plain 429, no quota reason');
        assert.equal(s.count({ path: '/me' }), 7, 'every request is logged, 429s included');
      });
    });

    it('counts each app on its own, the token endpoint included', async () => {
      const apps = [
        { clientId: 'a', clientSecret: 'sa', redirectUris: [REDIRECT] },
        { clientId: 'b', clientSecret: 'sb', redirectUris: [REDIRECT] },
      ];
      await withSim({ apps }, async (s) => {
        const a = await loginAs(s, 'a', 'sa');
        const b = await loginAs(s, 'b', 'sb');
        s.setRateLimit({ budget: 2, windowMs: 60_000 });
        assert.equal((await call(s, a, 'GET', '/me')).status, 200);
        assert.equal((await call(s, a, 'GET', '/me')).status, 200);
        assert.equal((await call(s, a, 'GET', '/me')).status, 429, "a's window is full");
        assert.equal((await call(s, b, 'GET', '/me')).status, 200, "b's is not");
        const refresh = () =>
          fetch(`${s.url}/api/token`, {
            method: 'POST',
            headers: { authorization: `Basic ${Buffer.from('b:sb').toString('base64')}` },
            body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'unknown' }),
          });
        assert.equal((await refresh()).status, 400, 'a token request counts against the app (its second request)');
        const limited = await refresh();
        assert.equal(limited.status, 429);
        assert.equal(((await limited.json()) as TokenAnswer).error, 'rate_limited');
        assert.equal(limited.headers.get('retry-after'), '60', 'the window frees up in a minute');
      });
    });

    it('answers QUOTA_EXCEEDED once a developer account used its quota, across its apps', async () => {
      const apps = [
        { clientId: 'a', clientSecret: 'sa', redirectUris: [REDIRECT], developer: 'dev-1' },
        { clientId: 'b', clientSecret: 'sb', redirectUris: [REDIRECT], developer: 'dev-1' },
        { clientId: 'c', clientSecret: 'sc', redirectUris: [REDIRECT], developer: 'dev-2' },
      ];
      await withSim({ apps }, async (s) => {
        const [a, b, c] = [await loginAs(s, 'a', 'sa'), await loginAs(s, 'b', 'sb'), await loginAs(s, 'c', 'sc')];
        s.setRateLimit({ budget: 100, quota: 3, quotaRetryAfterSeconds: 7200 });
        for (const t of [a, b, a]) assert.equal((await call(s, t, 'GET', '/me')).status, 200);
        const over = await call(s, b, 'GET', '/me');
        assert.equal(over.status, 429);
        assert.equal(over.headers.get('retry-after'), '7200');
        assert.deepEqual(over.body.error, { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' });
        assert.equal((await call(s, c, 'GET', '/me')).status, 200, 'another developer has a quota of their own');
        s.setRateLimit(undefined);
        assert.equal((await call(s, a, 'GET', '/me')).status, 200, 'off again');
      });
    });

    it('is set over HTTP too, and off by default', async () => {
      await withSim({ apps: [{ clientId: 'a', clientSecret: 'sa', redirectUris: [REDIRECT] }] }, async (s) => {
        const access = await loginAs(s, 'a', 'sa');
        const statuses = await Promise.all(Array.from({ length: 30 }, () => call(s, access, 'GET', '/me').then((r) => r.status)));
        assert.deepEqual(new Set(statuses), new Set([200]), 'no limit unless set');
        const set = await fetch(`${s.url}/__sim/rate-limit`, { method: 'POST', body: JSON.stringify({ budget: 1, windowMs: 60_000 }) });
        assert.equal(set.status, 200);
        assert.deepEqual([(await call(s, access, 'GET', '/me')).status, (await call(s, access, 'GET', '/me')).status], [200, 429]);
        await fetch(`${s.url}/__sim/rate-limit`, { method: 'POST', body: JSON.stringify({ off: true }) });
        assert.equal((await call(s, access, 'GET', '/me')).status, 200);
      });
    });
  });

  describe('cli', () => {
    it('prints its URL, serves, and stops on SIGTERM', async () => {
      const child = trackChild(
        spawn(
          process.execPath,
          [path.join(__dirname, '..', 'simulator', 'cli.js'), '--port', '0', '--seed', '2', '--app', `cli-app::${REDIRECT}`],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        ),
        'simulator cli',
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const line = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('\n')) resolve(out.split('\n')[0]);
          });
          void exited.then((code) => reject(new Error(`exited ${code}`)));
        });
        const m = /^simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        assert.ok(m, line);
        const page = await fetch(
          `${m[1]}/authorize?client_id=cli-app&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge_method=S256&code_challenge=${pkcePair().challenge}`,
        );
        assert.equal(page.status, 200);
        child.kill('SIGTERM');
        assert.equal(await exited, 0);
      } finally {
        // Never leave a simulator behind, whatever failed above.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    });
  });
});
