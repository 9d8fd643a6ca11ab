// api.spotify.com/v1: route lookup, bearer token checks, removed endpoints, then the handler. The order is
// Spotify's: an unknown path is 404 even without a token; a removed endpoint still wants a valid token first.

import type { SimStore } from '../data';
import { ApiError, apiErrorBody } from '../errors';
import { json, type ParsedRequest, type SimResponse } from '../http';
import type { Render } from '../objects';
import type { Playback } from '../playback';
import type { TokenStore } from '../tokens';
import type { ApiContext } from './context';
import { isRemoved } from './removed';
import { Router } from './router';
import * as me from './me';
import * as playlists from './playlists';
import * as library from './library';
import * as personal from './personal';
import * as player from './player';
import * as catalog from './catalog';
import * as search from './search';

const AREAS = [me, playlists, library, personal, player, catalog, search];

/** The Web API routes the simulator serves (below /v1). */
export function apiRoutes(): { method: string; pattern: string }[] {
  const router = new Router();
  for (const area of AREAS) area.register(router);
  return router.list();
}

export interface ApiSettings {
  premium: boolean;
}

export class ApiService {
  private readonly router = new Router();

  constructor(
    private readonly store: SimStore,
    private readonly tokens: TokenStore,
    private readonly render: Render,
    private readonly apiUrl: string,
    private readonly playback: Playback,
    private readonly settings: ApiSettings,
  ) {
    for (const area of AREAS) area.register(this.router);
  }

  handle(req: ParsedRequest): SimResponse {
    try {
      return this.dispatch(req);
    } catch (err) {
      if (err instanceof ApiError) return json(err.status, apiErrorBody(err.status, err.message, err.reason), err.headers);
      throw err;
    }
  }

  private dispatch(req: ParsedRequest): SimResponse {
    const rel = req.path.slice('/v1'.length) || '/';
    const removed = isRemoved(req.method, rel);
    const match = this.router.match(req.method, rel);
    if (!removed && match === undefined) throw new ApiError(404, 'Service not found');

    const grant = this.authenticate(req);
    if (removed) throw new ApiError(403, 'Forbidden');
    if (match === 'wrong-method' || match === undefined) throw new ApiError(405, 'Method not allowed');

    const ctx: ApiContext = {
      req,
      rel,
      params: match.params,
      query: req.query,
      grant,
      store: this.store,
      render: this.render,
      apiUrl: this.apiUrl,
      premium: this.settings.premium,
      playback: this.playback,
    };
    // The player has played on since the last request (a track that ended gave way to the next one).
    this.playback.settle();
    return match.handler(ctx);
  }

  private authenticate(req: ParsedRequest): ApiContext['grant'] {
    const header = req.headers.authorization;
    if (header === undefined || header === '')
      throw new ApiError(401, 'No token provided', undefined, challenge('invalid_request', 'No token provided'));
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw new ApiError(400, 'Only valid bearer authentication supported');
    const check = this.tokens.checkAccess(m[1]);
    if (!check.ok) throw new ApiError(401, check.message, undefined, challenge('invalid_token', check.message));
    return check.grant;
  }
}

function challenge(error: string, description: string): Record<string, string> {
  return { 'www-authenticate': `Bearer realm="spotify", error="${error}", error_description="${description}"` };
}
