// Path patterns like /playlists/:id/items -> handlers, telling "no such path" (404 Service not found) apart
// from "path exists, other method" (405).

import type { Handler } from './context';

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export type RouteMatch = { handler: Handler; params: Record<string, string> } | 'wrong-method' | undefined;

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method, segments: split(pattern), handler });
  }

  /** Every route as method and pattern (/playlists/:id/items), for comparing with Spotify's description. */
  list(): { method: string; pattern: string }[] {
    return this.routes.map((r) => ({ method: r.method, pattern: `/${r.segments.join('/')}` }));
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    let pathKnown = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { handler: route.handler, params };
      pathKnown = true;
    }
    return pathKnown ? 'wrong-method' : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(parts[i]);
      } catch {
        return undefined;
      }
      params[pattern[i].slice(1)] = value;
    } else if (pattern[i] !== parts[i]) return undefined;
  }
  return params;
}
