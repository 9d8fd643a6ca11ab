// Answers are values, not writes: a handler returns a SimResponse and the server decides when (latency) and
// whether (faults, "the write happened but the answer was lost") to send it.

import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors';

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

export interface ParsedRequest {
  method: string;
  /** The full pathname, e.g. /v1/me. */
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function noContent(status = 204): SimResponse {
  return { status, headers: {}, body: undefined };
}

export function html(status: number, page: string): SimResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page };
}

export function redirect(location: string): SimResponse {
  return { status: 302, headers: { location }, body: undefined };
}

/** Query strings as a flat record; a repeated key keeps its last value, as Spotify's gateway does. */
export function queryRecord(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = v;
  return out;
}

export const MAX_BODY = 2 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading (and discarding) so the client sees a 413 instead of a broken pipe.
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The request's JSON body as an object; {} when empty. Anything unparsable is Spotify's 400. */
export function jsonBody(req: ParsedRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'Error parsing JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'Error parsing JSON.');
  return value as Record<string, unknown>;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
