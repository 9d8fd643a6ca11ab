// Registered apps, as on Spotify's developer dashboard, including its redirect URI rules.

import type { SimApp } from './types';

export class RedirectUriError extends Error {
  constructor(
    readonly uri: string,
    why: string,
  ) {
    super(`Invalid redirect URI "${uri}": ${why}`);
    this.name = 'RedirectUriError';
  }
}

const LOOPBACK_LITERALS = new Set(['127.0.0.1', '[::1]']);
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:']);

/** Throws what the dashboard says when it refuses a redirect URI. */
export function checkRedirectUri(uri: string): void {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new RedirectUriError(uri, 'This redirect URI is not valid');
  }
  if (u.hash) throw new RedirectUriError(uri, 'A redirect URI must not contain a fragment');
  if (FORBIDDEN_SCHEMES.has(u.protocol)) throw new RedirectUriError(uri, 'This redirect URI is not valid');
  if (u.hostname === 'localhost' || u.hostname.endsWith('.localhost')) {
    throw new RedirectUriError(
      uri,
      'localhost is not allowed as redirect URI; use a loopback IP literal such as http://127.0.0.1:PORT or http://[::1]:PORT',
    );
  }
  if (u.protocol === 'http:' && !LOOPBACK_LITERALS.has(u.hostname)) {
    throw new RedirectUriError(uri, 'This redirect URI is not secure: plain HTTP is only allowed for loopback IP literals');
  }
}

export class AppRegistry {
  private readonly apps = new Map<string, SimApp>();

  /** Registering an existing client id replaces that app (tests reconfigure freely). */
  register(app: SimApp): void {
    if (!app.clientId) throw new Error('clientId is required');
    app.redirectUris.forEach(checkRedirectUri);
    this.apps.set(app.clientId, { ...app, redirectUris: [...app.redirectUris] });
  }

  addRedirectUri(clientId: string, uri: string): void {
    const app = this.apps.get(clientId);
    if (!app) throw new Error(`No app with client id ${clientId}`);
    checkRedirectUri(uri);
    if (!app.redirectUris.includes(uri)) app.redirectUris.push(uri);
  }

  get(clientId: string | undefined): SimApp | undefined {
    return clientId === undefined ? undefined : this.apps.get(clientId);
  }
}
