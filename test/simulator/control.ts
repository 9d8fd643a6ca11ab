// /__sim/: the Simulator's controls over HTTP (JSON in, JSON out), so a demo or a child process can drive a
// simulator it did not start. A RegExp fault path travels as {"pathRegex": "…", "pathFlags": "i"}.

import { json, type ParsedRequest, type SimResponse } from './http';
import type { FaultRule, RateLimitSettings, SimApp, Simulator, SimRequest } from './types';

type Body = Record<string, unknown>;
type Control = (sim: Simulator, body: Body, query: Record<string, string>) => unknown;

const ok = { ok: true };

const CONTROLS: Record<string, Control> = {
  'POST /faults': (sim, b) => ({ id: sim.addFault(faultRule(b)) }),
  'POST /faults/remove': (sim, b) => (sim.removeFault(num(b.id, 'id')), ok),
  'POST /faults/clear': (sim) => (sim.clearFaults(), ok),
  'POST /rate-limit': (sim, b) => (sim.setRateLimit(b.off === true ? undefined : rateLimit(b)), ok),
  'POST /latency': (sim, b) => (sim.setLatency(num(b.ms, 'ms')), ok),
  'POST /token-lifetime': (sim, b) => (sim.setTokenLifetime(num(b.seconds, 'seconds')), ok),
  'POST /rotate-refresh-tokens': (sim, b) => (sim.setRotateRefreshTokens(b.on === true), ok),
  'POST /token-endpoint': (sim, b) => (sim.setTokenEndpointDown(b.down === true), ok),
  'POST /apps': (sim, b) => (sim.registerApp(app(b)), ok),
  'POST /apps/redirect-uris': (sim, b) => (sim.addRedirectUri(str(b.clientId, 'clientId'), str(b.uri, 'uri')), ok),
  'POST /play': (sim, b) => (
    sim.play(str(b.uri, 'uri'), {
      deviceId: optStr(b.deviceId, 'deviceId'),
      progressMs: b.progressMs === undefined ? undefined : num(b.progressMs, 'progressMs'),
      contextUri: optStr(b.contextUri, 'contextUri'),
    }),
    ok
  ),
  'POST /pause': (sim) => (sim.pause(), ok),
  'POST /resume': (sim) => (sim.resume(), ok),
  'POST /next': (sim) => (sim.next(), ok),
  'POST /expire-access-tokens': (sim) => (sim.expireAccessTokens(), ok),
  'POST /revoke': (sim) => (sim.revokeTokens(), ok),
  'POST /expire-refresh-tokens': (sim) => (sim.expireRefreshTokens(), ok),
  'POST /display-name': (sim, b) => (sim.setDisplayName(str(b.name, 'name')), ok),
  'GET /issued': (sim) => sim.issuedSecrets(),
  'POST /consent': async (sim, b) => ({
    location: await sim.consent(str(b.authorizeUrl, 'authorizeUrl'), b.decision === 'deny' ? 'deny' : 'approve'),
  }),
  'GET /requests': (sim) => sim.requests,
  'POST /requests/clear': (sim) => (sim.clearRequests(), ok),
  'GET /count': (sim, _b, q) => ({
    count: sim.count({ method: q.method, path: q.pathRegex ? new RegExp(q.pathRegex, q.pathFlags) : q.path, kind: requestKind(q.kind) }),
  }),
  'GET /state': (sim, _b, q) => stateSnapshot(sim, q.items !== '0' && q.items !== 'false'),
  'GET /': () => ({ controls: Object.keys(CONTROLS).map((k) => k.replace(' /', ' /__sim/')) }),
};

export async function handleControl(sim: Simulator, req: ParsedRequest): Promise<SimResponse> {
  const sub = req.path.slice('/__sim'.length) || '/';
  const control = CONTROLS[`${req.method} ${sub}`];
  if (!control) return json(404, { error: `No control ${req.method} ${req.path}` });
  let body: Body = {};
  if (req.body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(req.body.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Body;
    } catch {
      return json(400, { error: 'Body must be JSON' });
    }
  }
  try {
    return json(200, await control(sim, body, req.query));
  } catch (err) {
    return json(400, { error: err instanceof Error ? err.message : String(err) });
  }
}

function stateSnapshot(sim: Simulator, withItems: boolean): unknown {
  const s = sim.state;
  return {
    me: s.me,
    users: s.users,
    playlists: s.playlists.map((p) => ({
      id: p.id,
      uri: p.uri,
      name: p.name,
      description: p.description,
      public: p.public,
      collaborative: p.collaborative,
      owner: p.owner,
      collaborators: p.collaborators,
      snapshot_id: p.snapshot_id,
      images: p.images,
      ...(withItems ? { items: p.items } : {}),
    })),
    library: s.library,
    plays: s.plays,
    player: s.player,
  };
}

function faultRule(b: Body): FaultRule {
  const rule: FaultRule = {};
  if (b.method !== undefined) rule.method = str(b.method, 'method');
  if (b.pathRegex !== undefined) rule.path = new RegExp(str(b.pathRegex, 'pathRegex'), optStr(b.pathFlags, 'pathFlags'));
  else if (b.path !== undefined) rule.path = str(b.path, 'path');
  if (b.status !== undefined) rule.status = num(b.status, 'status');
  if (b.body !== undefined) rule.body = b.body;
  if (b.headers !== undefined) rule.headers = headers(b.headers);
  if (b.retryAfter !== undefined) rule.retryAfter = num(b.retryAfter, 'retryAfter');
  if (b.reason !== undefined) rule.reason = str(b.reason, 'reason');
  if (b.reset !== undefined) rule.reset = b.reset === true;
  if (b.afterEffect !== undefined) rule.afterEffect = b.afterEffect === true;
  if (b.delayMs !== undefined) rule.delayMs = num(b.delayMs, 'delayMs');
  if (b.times !== undefined) rule.times = num(b.times, 'times');
  if (b.every !== undefined) rule.every = num(b.every, 'every');
  if (b.probability !== undefined) rule.probability = num(b.probability, 'probability');
  return rule;
}

function rateLimit(b: Body): RateLimitSettings {
  return {
    budget: num(b.budget, 'budget'),
    windowMs: b.windowMs === undefined ? undefined : num(b.windowMs, 'windowMs'),
    quota: b.quota === undefined ? undefined : num(b.quota, 'quota'),
    quotaRetryAfterSeconds: b.quotaRetryAfterSeconds === undefined ? undefined : num(b.quotaRetryAfterSeconds, 'quotaRetryAfterSeconds'),
  };
}

function headers(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw new Error('headers must be an object of strings');
  return v as Record<string, string>;
}

function app(b: Body): SimApp {
  const uris = b.redirectUris ?? [];
  if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string')) throw new Error('redirectUris must be an array of strings');
  return {
    clientId: str(b.clientId, 'clientId'),
    clientSecret: optStr(b.clientSecret, 'clientSecret'),
    redirectUris: uris as string[],
    name: optStr(b.name, 'name'),
    developer: optStr(b.developer, 'developer'),
  };
}

function requestKind(v: string | undefined): SimRequest['kind'] | undefined {
  if (v === undefined || v === 'accounts' || v === 'api' || v === 'control') return v;
  throw new Error('kind must be accounts, api or control');
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new Error(`${name} must be a string`);
  return v;
}

function optStr(v: unknown, name: string): string | undefined {
  return v === undefined || v === null ? undefined : str(v, name);
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name} must be a number`);
  return v;
}
