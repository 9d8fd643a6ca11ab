// What every Web API handler gets: the request, the caller's grant, the state, and small checks that throw
// Spotify's own 400/403 answers.

import type { SimStore } from '../data';
import { ApiError } from '../errors';
import type { ParsedRequest, SimResponse } from '../http';
import { isBase62Id } from '../ids';
import type { Render } from '../objects';
import type { Playback } from '../playback';
import type { Grant } from '../tokens';

export interface ApiContext {
  req: ParsedRequest;
  /** The path below /v1, e.g. /me/playlists. */
  rel: string;
  params: Record<string, string>;
  query: Record<string, string>;
  grant: Grant;
  store: SimStore;
  render: Render;
  apiUrl: string;
  premium: boolean;
  playback: Playback;
}

export type Handler = (ctx: ApiContext) => SimResponse;

export function hasScope(ctx: ApiContext, scope: string): boolean {
  return ctx.grant.scopes.includes(scope);
}

/** Passes when the grant has any of the scopes. */
export function requireScope(ctx: ApiContext, ...anyOf: string[]): void {
  if (!anyOf.some((s) => hasScope(ctx, s))) throw new ApiError(403, 'Insufficient client scope');
}

export function requireId(id: string | undefined): string {
  if (id === undefined || !isBase62Id(id)) throw new ApiError(400, 'Invalid base62 id');
  return id;
}

/** The endpoint's absolute URL without query, the base of its paging links. */
export function endpointUrl(ctx: ApiContext): string {
  return ctx.apiUrl + ctx.rel;
}

/** Whether the client takes episodes as episodes: `additional_types` lists `episode` (Spotify's reference: the
 *  item types a client supports besides the default `track`). Playlist and player reads depend on it. */
export function wantsEpisodes(ctx: ApiContext): boolean {
  return (ctx.query.additional_types ?? '').split(',').some((t) => t.trim() === 'episode');
}
