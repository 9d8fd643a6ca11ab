// The HTTP front: records each request, sends /__sim/ to the controls, /v1 to the Web API and the rest to the
// accounts service, and applies faults and latency around the handler's answer.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { apiErrorBody, defaultAccountsCode, defaultMessage } from './errors';
import type { Faults } from './faults';
import { queryRecord, readBody, type ParsedRequest, type SimResponse } from './http';
import type { RequestLog } from './request-log';
import { tapApi, type ApiExchange } from './tap';
import type { FaultRule, SimRequest } from './types';

export interface Handlers {
  accounts(req: ParsedRequest): SimResponse;
  api(req: ParsedRequest): SimResponse;
  control(req: ParsedRequest): Promise<SimResponse>;
}

export interface ServerDeps {
  handlers: () => Handlers;
  faults: Faults;
  log: RequestLog;
  latencyMs: () => number;
  /** Spotify's own 429 (the rolling window, the quota) for a request no fault decided, or undefined to serve it. */
  rateLimit: (req: ParsedRequest, kind: SimRequest['kind']) => SimResponse | undefined;
}

export function kindOf(path: string): SimRequest['kind'] {
  if (path === '/__sim' || path.startsWith('/__sim/')) return 'control';
  if (path === '/v1' || path.startsWith('/v1/')) return 'api';
  return 'accounts';
}

export function createSimServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      process.stderr.write(`simulator: ${err instanceof Error ? err.stack : String(err)}\n`);
      if (!res.headersSent)
        send(res, {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(apiErrorBody(500, 'Server error')),
        });
      else res.destroy();
    });
  });
  // Clients keep connections alive between polls. Longer than Node's client idle timeout (its global agent drops
  // a connection idle for 5 s), as web front ends' are: with both at 5 s, a busy machine let the server close a
  // connection just as the client put a POST on it, and the POST failed "may or may not have been applied"
  // (the fuzz test, under load). stop() closes every connection whatever this says.
  server.keepAliveTimeout = 30_000;
  return server;
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const kind = kindOf(path);
  const record: SimRequest = {
    method,
    path,
    query: queryRecord(url.searchParams),
    status: 0,
    at: Date.now(),
    answeredAt: 0,
    kind,
    faulted: false,
  };
  deps.log.add(record);
  const body = await readBody(req);
  record.uris = urisIn(kind, body);
  const parsed: ParsedRequest = { method, path, query: record.query, headers: req.headers, body };
  const handlers = deps.handlers();

  if (kind === 'control') {
    const answer = await handlers.control(parsed);
    record.status = answer.status;
    record.answeredAt = Date.now();
    send(res, answer);
    return;
  }

  const fault = deps.faults.evaluate(method, path);
  record.faulted = fault.applied;
  let answer: SimResponse | undefined;
  // Without afterEffect a failing rule stops the request before it does anything.
  if (!fault.rule) answer = deps.rateLimit(parsed, kind);
  if ((!fault.rule && !answer) || fault.rule?.afterEffect) answer = kind === 'api' ? handlers.api(parsed) : handlers.accounts(parsed);
  const delay = deps.latencyMs() + fault.delayMs;
  if (delay > 0) await sleep(delay);
  if (fault.holds.length > 0) await Promise.allSettled(fault.holds);
  if (fault.rule?.reset) {
    if (kind === 'api') tapApi(exchange(parsed, { status: 0, headers: {}, body: undefined }, true));
    req.socket.destroy();
    return;
  }
  if (fault.rule) answer = faultAnswer(fault.rule, kind);
  if (!answer) throw new Error('no answer');
  record.status = answer.status;
  record.answeredAt = Date.now();
  if (kind === 'api') tapApi(exchange(parsed, answer, fault.rule !== undefined));
  send(res, answer);
}

function exchange(req: ParsedRequest, answer: SimResponse, injected: boolean): ApiExchange {
  return {
    method: req.method,
    path: req.path,
    query: req.query,
    requestBody: req.body,
    status: answer.status,
    responseHeaders: answer.headers,
    responseBody: answer.body,
    injected,
  };
}

function faultAnswer(rule: FaultRule, kind: SimRequest['kind']): SimResponse {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = { ...rule.headers };
  if (status === 429 || rule.retryAfter !== undefined) headers['retry-after'] = String(rule.retryAfter ?? 1);
  if (typeof rule.body === 'string') {
    headers['content-type'] = rule.body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
    return { status, headers, body: rule.body };
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  if (rule.body !== undefined) return { status, headers, body: JSON.stringify(rule.body) };
  const value =
    kind === 'api'
      ? apiErrorBody(status, defaultMessage(status), rule.reason)
      : { error: defaultAccountsCode(status), error_description: defaultMessage(status), ...(rule.reason ? { reason: rule.reason } : {}) };
  return { status, headers, body: JSON.stringify(value) };
}

function send(res: ServerResponse, answer: SimResponse): void {
  const headers: Record<string, string | number> = { ...answer.headers };
  if (answer.body !== undefined) headers['content-length'] = Buffer.byteLength(answer.body);
  else if (answer.status !== 204 && answer.status !== 304) headers['content-length'] = 0;
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The length of a JSON API body's `uris` list, if it has one (bodies of a playlist write are small). */
function urisIn(kind: SimRequest['kind'], body: Buffer): number | undefined {
  if (kind !== 'api' || body.length === 0 || body.length > 1_000_000) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const uris = typeof parsed === 'object' && parsed !== null ? (parsed as { uris?: unknown }).uris : undefined;
    return Array.isArray(uris) ? uris.length : undefined;
  } catch {
    return undefined;
  }
}
