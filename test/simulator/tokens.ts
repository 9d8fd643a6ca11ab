// Consents, authorization codes, access and refresh tokens, and the switches tests flip on them.

import { createHash, randomBytes } from 'node:crypto';

export const CODE_LIFETIME_MS = 10 * 60_000;
const CONSENT_LIFETIME_MS = 30 * 60_000;

/** What a user agreed to, once: every token derived from it shares its scopes and its consent time. */
export interface Grant {
  clientId: string;
  userId: string;
  scopes: string[];
  consentAt: number;
  /** Issued through PKCE: refreshes may then authenticate with client_id alone. */
  pkce: boolean;
}

export interface PendingConsent {
  id: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  challenge: string | undefined;
  createdAt: number;
}

export interface CodeRec {
  clientId: string;
  redirectUri: string;
  challenge: string | undefined;
  grant: Grant;
  createdAt: number;
  used: boolean;
}

export interface AccessTokenRec {
  grant: Grant;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshTokenRec {
  grant: Grant;
  /** Why it no longer works, if it does not. */
  dead: 'revoked' | 'rotated' | 'expired' | undefined;
}

/** A working refresh token as kept across simulator restarts (the demo's). */
export interface SavedRefreshToken {
  token: string;
  grant: Grant;
}

export type AccessCheck = { ok: true; grant: Grant } | { ok: false; message: string };

export function opaqueToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export class TokenStore {
  tokenLifetimeSeconds: number;
  rotateRefreshTokens: boolean;
  endpointDown = false;
  private readonly consents = new Map<string, PendingConsent>();
  private readonly codes = new Map<string, CodeRec>();
  private readonly access = new Map<string, AccessTokenRec>();
  private readonly refresh = new Map<string, RefreshTokenRec>();

  constructor(
    tokenLifetimeSeconds: number,
    readonly refreshLifetimeSeconds: number,
    rotate: boolean,
  ) {
    this.tokenLifetimeSeconds = tokenLifetimeSeconds;
    this.rotateRefreshTokens = rotate;
  }

  openConsent(c: Omit<PendingConsent, 'id' | 'createdAt'>): PendingConsent {
    const consent = { ...c, id: opaqueToken(18), createdAt: Date.now() };
    this.consents.set(consent.id, consent);
    return consent;
  }

  /** Single use: the consent id leaves the store whether the answer is approve or deny. */
  takeConsent(id: string): PendingConsent | undefined {
    const c = this.consents.get(id);
    this.consents.delete(id);
    if (!c || Date.now() - c.createdAt > CONSENT_LIFETIME_MS) return undefined;
    return c;
  }

  issueCode(consent: PendingConsent, userId: string): string {
    const code = opaqueToken(96);
    const grant: Grant = {
      clientId: consent.clientId,
      userId,
      scopes: consent.scopes,
      consentAt: Date.now(),
      pkce: consent.challenge !== undefined,
    };
    this.codes.set(code, {
      clientId: consent.clientId,
      redirectUri: consent.redirectUri,
      challenge: consent.challenge,
      grant,
      createdAt: Date.now(),
      used: false,
    });
    return code;
  }

  code(code: string): CodeRec | undefined {
    return this.codes.get(code);
  }

  issueAccess(grant: Grant): { token: string; expiresIn: number } {
    const token = opaqueToken(96);
    const expiresIn = this.tokenLifetimeSeconds;
    this.access.set(token, { grant, expiresAt: Date.now() + expiresIn * 1000, revoked: false });
    return { token, expiresIn };
  }

  issueRefresh(grant: Grant): string {
    const token = opaqueToken(96);
    this.refresh.set(token, { grant, dead: undefined });
    return token;
  }

  checkAccess(token: string): AccessCheck {
    const rec = this.access.get(token);
    if (!rec || rec.revoked) return { ok: false, message: 'Invalid access token' };
    if (Date.now() >= rec.expiresAt) return { ok: false, message: 'The access token expired' };
    return { ok: true, grant: rec.grant };
  }

  /** The grant behind an access token, expired or revoked too: Spotify still knows which app sent it. */
  accessGrant(token: string): Grant | undefined {
    return this.access.get(token)?.grant;
  }

  refreshRec(token: string): RefreshTokenRec | undefined {
    return this.refresh.get(token);
  }

  /** The refresh token's end: six months (by default) after the consent, however often it was used. */
  refreshExpired(rec: RefreshTokenRec): boolean {
    return rec.dead === 'expired' || Date.now() >= rec.grant.consentAt + this.refreshLifetimeSeconds * 1000;
  }

  expireAccessTokens(): void {
    const past = Date.now() - 1;
    for (const rec of this.access.values()) rec.expiresAt = Math.min(rec.expiresAt, past);
  }

  revokeAll(): void {
    for (const rec of this.access.values()) rec.revoked = true;
    for (const rec of this.refresh.values()) if (!rec.dead) rec.dead = 'revoked';
  }

  expireRefreshTokens(): void {
    for (const rec of this.refresh.values()) if (!rec.dead) rec.dead = 'expired';
  }

  /** The refresh tokens that still work, with their grants: what a restarted simulator needs to honour them. */
  liveRefreshTokens(): SavedRefreshToken[] {
    return [...this.refresh].filter(([, rec]) => !rec.dead).map(([token, rec]) => ({ token, grant: { ...rec.grant } }));
  }

  restoreRefreshToken(saved: SavedRefreshToken): void {
    this.refresh.set(saved.token, { grant: { ...saved.grant }, dead: undefined });
  }

  /** The access tokens that still work, with their ends: kept across restarts with the refresh tokens. */
  liveAccessTokens(): { token: string; grant: Grant; expiresAt: number }[] {
    const now = Date.now();
    return [...this.access]
      .filter(([, rec]) => !rec.revoked && rec.expiresAt > now)
      .map(([token, rec]) => ({ token, grant: { ...rec.grant }, expiresAt: rec.expiresAt }));
  }

  restoreAccessToken(token: string, grant: Grant, expiresAt: number): void {
    this.access.set(token, { grant: { ...grant }, expiresAt, revoked: false });
  }

  /** PKCE verifiers received with authorization codes: secrets of the client, for leak scans. */
  readonly verifiers: string[] = [];

  issued(): { codes: string[]; accessTokens: string[]; refreshTokens: string[]; verifiers: string[] } {
    return {
      codes: [...this.codes.keys()],
      accessTokens: [...this.access.keys()],
      refreshTokens: [...this.refresh.keys()],
      verifiers: [...this.verifiers],
    };
  }
}
