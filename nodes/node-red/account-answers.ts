// What the account's admin routes answer and its authorization events say (comms topic tunewire/auth/<id>).
// Imports nothing that needs Node.js: the editor bundle reads the same types (editor/account-status.ts).
import type { AuthorizationState } from '../spotify/authorization-state';
import type { OptionScopes, ScopeRequirement } from '../spotify/scopes';

export interface AuthEvent {
  ok: boolean;
  state?: AuthorizationState;
  displayName?: string;
  scopes?: string[];
  error?: string;
  /** Authorize Access found the token file damaged: it was kept under this name, a new one holds the account. */
  damagedFileKeptAs?: string;
}

/** The status route's answer: the authorization, and the account's health as the dialog shows it. */
export interface StatusAnswer extends AuthEvent {
  /** When the user consented (ISO time). */
  authorizedAt?: string;
  /** When Spotify stops accepting the refresh token: 6 months after consent (ISO time). */
  refreshExpiresAt?: string;
  /** Within two weeks of that date. */
  reauthorizeSoon?: boolean;
  /** The app's shared rate-limit cooldown lasts until then (ISO time); absent when requests may go out. */
  cooldownUntil?: string;
  /** Requests the deployed account sent in the last hour; absent when the account is not deployed. */
  requestsLastHour?: number;
  /** Each node type's scope requirement (an entry that is a list: any one of its scopes). */
  nodeScopes?: Record<string, ScopeRequirement>;
  /** What node types need on top with some settings (a playlist by name, Create when missing). */
  nodeOptionScopes?: Readonly<Record<string, readonly OptionScopes[]>>;
}

export function authTopic(accountId: string): string {
  return `tunewire/auth/${accountId}`;
}
