// accounts.spotify.com: GET /authorize (consent page), POST /authorize/decision (the page's form) and
// POST /api/token (authorization_code and refresh_token grants, Basic or body client auth, PKCE).

import type { AppRegistry } from './apps';
import { consentPage, errorPage } from './consent-page';
import { AccountsError } from './errors';
import { html, json, redirect, type ParsedRequest, type SimResponse } from './http';
import { isScope, splitScopes } from './scopes';
import { CODE_LIFETIME_MS, s256, type TokenStore } from './tokens';
import type { SimUser } from './types';

const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER_RE = /^[A-Za-z0-9._~-]{43,128}$/;

export class Accounts {
  constructor(
    private readonly apps: AppRegistry,
    private readonly tokens: TokenStore,
    private readonly user: SimUser,
  ) {}

  handle(req: ParsedRequest): SimResponse {
    try {
      if (req.path === '/authorize' && req.method === 'GET') return this.authorize(req.query);
      if (req.path === '/authorize/decision' && req.method === 'POST') return this.decision(form(req));
      if (req.path === '/api/token') {
        if (this.tokens.endpointDown) return json(503, { error: 'temporarily_unavailable', error_description: 'Service unavailable' });
        if (req.method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'Method not allowed' });
        return this.token(req);
      }
      return html(404, errorPage('Not found'));
    } catch (err) {
      if (err instanceof AccountsError) return json(err.status, { error: err.code, error_description: err.description });
      throw err;
    }
  }

  private authorize(q: Record<string, string>): SimResponse {
    const app = this.apps.get(q.client_id);
    if (!app) return html(400, errorPage('INVALID_CLIENT: Invalid client'));
    const redirectUri = q.redirect_uri;
    // Exact match only: case, trailing slash and port all count.
    if (redirectUri === undefined || !app.redirectUris.includes(redirectUri))
      return html(400, errorPage('INVALID_CLIENT: Invalid redirect URI'));
    const back = (error: string, description?: string): SimResponse =>
      redirect(withParams(redirectUri, { error, error_description: description, state: q.state }));

    if (q.response_type !== 'code') return back('unsupported_response_type', 'response_type must be code');
    const scopes = splitScopes(q.scope);
    const bad = scopes.find((s) => !isScope(s));
    if (bad !== undefined) return back('invalid_scope', `Invalid scope: ${bad}`);
    const method = q.code_challenge_method;
    const challenge = q.code_challenge;
    if (method !== undefined || challenge !== undefined) {
      if (method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256');
      if (challenge === undefined || !CHALLENGE_RE.test(challenge))
        return back('invalid_request', 'code_challenge must be a base64url SHA-256 digest');
    } else if (!app.clientSecret) {
      // A public client has nothing else to prove it is the one that started the flow.
      return back('invalid_request', 'code_challenge required');
    }
    const consent = this.tokens.openConsent({ clientId: app.clientId, redirectUri, scopes, state: q.state, challenge });
    return html(
      200,
      consentPage({
        consentId: consent.id,
        appName: app.name ?? app.clientId,
        clientId: app.clientId,
        userName: this.user.display_name,
        scopes,
        redirectUri,
      }),
    );
  }

  private decision(f: Record<string, string>): SimResponse {
    const consent = f.consent_id ? this.tokens.takeConsent(f.consent_id) : undefined;
    if (!consent) return html(400, errorPage('This authorization request has expired or was already answered. Start again from the app.'));
    if (f.decision === 'approve') {
      const code = this.tokens.issueCode(consent, this.user.id);
      return redirect(withParams(consent.redirectUri, { code, state: consent.state }));
    }
    if (f.decision === 'deny') return redirect(withParams(consent.redirectUri, { error: 'access_denied', state: consent.state }));
    return html(400, errorPage('Unknown decision'));
  }

  private token(req: ParsedRequest): SimResponse {
    const f = form(req);
    const client = this.client(req, f);
    const grantType = f.grant_type;
    if (grantType === undefined) throw new AccountsError(400, 'unsupported_grant_type', 'grant_type parameter is missing');
    if (grantType === 'authorization_code') return this.codeGrant(f, client);
    if (grantType === 'refresh_token') return this.refreshGrant(f, client);
    throw new AccountsError(400, 'unsupported_grant_type', 'grant_type must be client_credentials, authorization_code or refresh_token');
  }

  /** Who is asking: HTTP Basic id:secret, or client_id (+ client_secret) in the body. */
  private client(req: ParsedRequest, f: Record<string, string>): { clientId: string; withSecret: boolean } {
    let id = f.client_id;
    let secret = f.client_secret;
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Basic\s+(\S+)$/i.exec(auth);
      const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new AccountsError(400, 'invalid_client', 'Invalid client');
      id = decoded.slice(0, colon);
      secret = decoded.slice(colon + 1);
    }
    const app = this.apps.get(id);
    if (!app || id === undefined) throw new AccountsError(400, 'invalid_client', 'Invalid client');
    if (secret !== undefined && secret !== '' && secret !== app.clientSecret)
      throw new AccountsError(400, 'invalid_client', 'Invalid client secret');
    return { clientId: id, withSecret: secret !== undefined && secret !== '' };
  }

  private codeGrant(f: Record<string, string>, client: { clientId: string; withSecret: boolean }): SimResponse {
    if (!f.code) throw new AccountsError(400, 'invalid_request', 'code must be supplied');
    if (f.code_verifier !== undefined) this.tokens.verifiers.push(f.code_verifier);
    if (f.redirect_uri === undefined) throw new AccountsError(400, 'invalid_request', 'redirect_uri must be supplied');
    const rec = this.tokens.code(f.code);
    if (!rec || rec.used || rec.clientId !== client.clientId || Date.now() - rec.createdAt > CODE_LIFETIME_MS) {
      throw new AccountsError(400, 'invalid_grant', 'Invalid authorization code');
    }
    if (f.redirect_uri !== rec.redirectUri) throw new AccountsError(400, 'invalid_grant', 'Invalid redirect URI');
    if (rec.challenge !== undefined) {
      if (f.code_verifier === undefined) throw new AccountsError(400, 'invalid_request', 'code_verifier required');
      if (!VERIFIER_RE.test(f.code_verifier) || s256(f.code_verifier) !== rec.challenge)
        throw new AccountsError(400, 'invalid_grant', 'code_verifier was incorrect');
    } else if (!client.withSecret) {
      // Without PKCE the secret is the only proof of who is asking.
      throw new AccountsError(400, 'invalid_client', 'Invalid client secret');
    }
    rec.used = true;
    const access = this.tokens.issueAccess(rec.grant);
    return json(
      200,
      {
        access_token: access.token,
        token_type: 'Bearer',
        scope: rec.grant.scopes.join(' '),
        expires_in: access.expiresIn,
        refresh_token: this.tokens.issueRefresh(rec.grant),
      },
      noStore,
    );
  }

  private refreshGrant(f: Record<string, string>, client: { clientId: string; withSecret: boolean }): SimResponse {
    if (!f.refresh_token) throw new AccountsError(400, 'invalid_request', 'refresh_token must be supplied');
    const rec = this.tokens.refreshRec(f.refresh_token);
    if (!rec || rec.grant.clientId !== client.clientId || rec.dead === 'revoked' || rec.dead === 'rotated') {
      throw new AccountsError(400, 'invalid_grant', 'Invalid refresh token');
    }
    if (this.tokens.refreshExpired(rec)) throw new AccountsError(400, 'invalid_grant', 'Refresh token expired');
    if (!client.withSecret && !rec.grant.pkce) throw new AccountsError(400, 'invalid_client', 'Invalid client secret');
    // Scopes come from the consent; a `scope` parameter cannot widen them.
    const access = this.tokens.issueAccess(rec.grant);
    const answer: Record<string, string | number> = {
      access_token: access.token,
      token_type: 'Bearer',
      scope: rec.grant.scopes.join(' '),
      expires_in: access.expiresIn,
    };
    if (this.tokens.rotateRefreshTokens) {
      rec.dead = 'rotated';
      answer.refresh_token = this.tokens.issueRefresh(rec.grant);
    }
    return json(200, answer, noStore);
  }
}

const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** An x-www-form-urlencoded body as a record; other content types read as empty, as Spotify ignores them. */
function form(req: ParsedRequest): Record<string, string> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) out[k] = v;
  return out;
}

/** Adds parameters to a redirect URI, keeping its own query; undefined values are left out. */
function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  return url.toString();
}
