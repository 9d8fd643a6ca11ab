// PKCE (RFC 7636, S256) and the OAuth `state`: random values from the OS CSPRNG.
import { createHash, randomBytes } from 'node:crypto';

/** 64 characters of base64url: inside Spotify's 43..128 characters of [A-Za-z0-9-._~]. */
export function newCodeVerifier(): string {
  return randomBytes(48).toString('base64url');
}

export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** 256 bits: unguessable, so the open callback route cannot be driven by anyone who did not start the flow. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}
