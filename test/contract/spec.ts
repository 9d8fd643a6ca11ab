// The vendored OpenAPI description of the Spotify Web API (spotify-openapi/SOURCE.md), read once per process,
// and its operations as a table: method + path template, matched against a request's path.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/** Where the spec lives: the source tree's copy (the build does not copy YAML; dist/test/contract → ../../..). */
export const SPEC_FILE = path.resolve(__dirname, '..', '..', '..', 'test', 'contract', 'spotify-openapi', 'fixed-spotify-open-api.yml');
/** The Web API's server path: the spec's paths are relative to it. */
export const SERVER_PATH = '/v1';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SpecOperation {
  method: string;
  /** The spec's path template, e.g. /playlists/{playlist_id}/items. */
  template: string;
  /** "GET /playlists/{playlist_id}/items", the name violations use. */
  name: string;
  /** The template's segments; a `{param}` segment matches any one segment. */
  segments: string[];
  /** JSON pointer to the operation object in the document. */
  pointer: string;
  operation: JsonObject;
}

export interface Spec {
  document: JsonObject;
  version: string;
  operations: SpecOperation[];
}

let loaded: Spec | undefined;

export function loadSpec(): Spec {
  if (loaded) return loaded;
  const document = parse(fs.readFileSync(SPEC_FILE, 'utf8')) as JsonObject;
  const operations: SpecOperation[] = [];
  const paths = document.paths as Record<string, Record<string, JsonObject>>;
  for (const [template, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const upper = method.toUpperCase();
      operations.push({
        method: upper,
        template,
        name: `${upper} ${template}`,
        segments: template.split('/').filter(Boolean),
        pointer: `#/paths/${pointerPart(template)}/${method}`,
        operation,
      });
    }
  }
  const version = (document.info as JsonObject).version;
  loaded = { document, version: typeof version === 'string' ? version : '', operations };
  return loaded;
}

/** The operation a request (path relative to /v1, or a template with `{…}` or `:…` segments) is for. A literal
 *  segment wins over a parameter where both match (the spec's paths never tie otherwise). */
export function findOperation(
  spec: Spec,
  method: string,
  relPath: string,
): { op: SpecOperation; params: Record<string, string> } | undefined {
  const parts = relPath.split('/').filter(Boolean);
  let best: { op: SpecOperation; params: Record<string, string>; literals: number } | undefined;
  for (const op of spec.operations) {
    if (op.method !== method || op.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const seg = op.segments[i];
      if (seg.startsWith('{') && seg.endsWith('}')) params[seg.slice(1, -1)] = parts[i];
      else if (seg === parts[i]) literals++;
      else ok = false;
    }
    if (ok && (!best || literals > best.literals)) best = { op, params, literals };
  }
  return best && { op: best.op, params: best.params };
}

/** One JSON pointer token (RFC 6901). */
export function pointerPart(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Follows `$ref`s to a local object (parameters, responses, request bodies are not JSON schemas, so ajv does
 *  not resolve them): the object and the pointer it lives at. */
export function deref(spec: Spec, value: Json, pointer: string): { value: JsonObject; pointer: string } {
  let current = value;
  let at = pointer;
  for (let hops = 0; hops < 10; hops++) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) throw new Error(`${at}: not an object`);
    const ref = current.$ref;
    if (typeof ref !== 'string') return { value: current, pointer: at };
    if (!ref.startsWith('#/')) throw new Error(`${at}: only local $refs are supported, not ${ref}`);
    at = ref;
    current = ref
      .slice(2)
      .split('/')
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<Json>((node, key) => (node as JsonObject)[key], spec.document);
  }
  throw new Error(`${pointer}: $ref chain too long`);
}
