// Holds one Web API exchange (a request to /v1 and the answer to it) to the vendored OpenAPI description:
// the operation must exist; query parameters must be declared and valid, path parameters and a JSON body
// valid; the answer's status declared and its JSON body valid against the operation's schema. Schemas are
// compiled by ajv the first time an operation is met, then kept.

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  deref,
  findOperation,
  loadSpec,
  pointerPart,
  SERVER_PATH,
  type Json,
  type JsonObject,
  type Spec,
  type SpecOperation,
} from './spec';
import { QUIRKS, type Quirk } from './quirks';
import type { ApiExchange } from '../simulator/tap';

/** One request and its answer, as the simulator's tap reports it. */
export type Exchange = ApiExchange;

export type Rule =
  | 'no-operation'
  | 'undeclared-query'
  | 'missing-query'
  | 'query'
  | 'path-param'
  | 'request-body'
  | 'undeclared-request-body'
  | 'missing-request-body'
  | 'undeclared-status'
  | 'response-body'
  | 'missing-response-body'
  | 'undeclared-response-body'
  /** The validator itself failed (a quirk that no longer fits the spec, a schema ajv cannot compile). */
  | 'validator-error';

export interface Violation {
  side: 'request' | 'response';
  rule: Rule;
  /** The spec operation ("GET /playlists/{playlist_id}/items"), or the request's method and path without one. */
  operation: string;
  /** What was sent: method, path and query. */
  request: string;
  status: number;
  /** Where in the value (a JSON pointer into the body, or the parameter's name) … */
  at: string;
  /** … and what the spec wanted there. */
  message: string;
}

interface ParamCheck {
  name: string;
  required: boolean;
  schema: JsonObject | undefined;
  validate: ValidateFunction | undefined;
}

interface Compiled {
  query: Map<string, ParamCheck>;
  path: Map<string, ParamCheck>;
  body: { required: boolean; validate: ValidateFunction | undefined } | undefined;
  /** Per declared status: the body's validator, or undefined for a status declared without a JSON body. */
  responses: Map<string, ValidateFunction | undefined>;
  errorBody: ValidateFunction;
}

const SPEC_ID = 'spotify-web-api';

export class ContractValidator {
  readonly spec: Spec;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<SpecOperation, Compiled>();
  /** Spotify's error object: what an error status the operation does not declare must still look like. */
  private errorBody: ValidateFunction | undefined;
  /** Time spent compiling and validating, for the cost the suite pays (reported by the root hook). */
  readonly cost = { loadMs: 0, compileMs: 0, validateMs: 0, exchanges: 0, operationsCompiled: 0 };

  constructor(private readonly quirks: readonly Quirk[] = QUIRKS) {
    const started = performance.now();
    this.spec = loadSpec();
    const document = structuredClone(this.spec.document);
    for (const q of quirks) if (q.patch) q.patch(document);
    this.spec = { ...this.spec, document };
    // OpenAPI 3.0 schemas: `nullable`, plus keywords ajv does not know (example, x-spotify-…, discriminator).
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    for (const f of ['int32', 'int64', 'float', 'double', 'base64']) this.ajv.addFormat(f, true);
    this.ajv.addSchema(document, SPEC_ID);
    this.cost.loadMs = performance.now() - started;
  }

  /** The exchange's violations, less those a quirk tolerates. */
  check(x: Exchange): Violation[] {
    return this.checkAll(x).filter((v) => !this.quirks.some((q) => q.tolerates?.(v, x)));
  }

  private checkAll(x: Exchange): Violation[] {
    this.cost.exchanges++;
    const rel = x.path.slice(SERVER_PATH.length) || '/';
    const request = `${x.method} ${x.path}${queryText(x.query)}`;
    const found = findOperation(this.spec, x.method, rel);
    const base = { request, status: x.status };
    if (!found)
      return [
        { ...base, side: 'request', rule: 'no-operation', operation: `${x.method} ${rel}`, at: rel, message: 'no operation in the spec' },
      ];
    const { op, params } = found;
    const c = this.compile(op);
    const started = performance.now();
    const out: Violation[] = [];
    const add = (side: Violation['side'], rule: Rule, at: string, message: string): void => {
      out.push({ ...base, side, rule, operation: op.name, at, message });
    };

    for (const [name, raw] of Object.entries(params)) {
      const check = c.path.get(name);
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        value = raw;
      }
      if (check?.validate && !check.validate(coerce(value, check.schema)))
        add('request', 'path-param', name, errorsText(check.validate.errors));
    }
    for (const [name, value] of Object.entries(x.query)) {
      const check = c.query.get(name);
      if (!check) add('request', 'undeclared-query', name, 'query parameter not declared by the operation');
      else if (check.validate && !check.validate(coerce(value, check.schema)))
        add('request', 'query', name, errorsText(check.validate.errors));
    }
    for (const check of c.query.values())
      if (check.required && !(check.name in x.query)) add('request', 'missing-query', check.name, 'required');

    if (x.requestBody.length > 0) {
      if (!c.body) add('request', 'undeclared-request-body', '', 'the operation takes no body');
      else if (c.body.validate) {
        const value = parseJson(x.requestBody);
        if (value === undefined) add('request', 'request-body', '', 'not JSON');
        else if (!c.body.validate(value))
          for (const e of c.body.validate.errors ?? []) add('request', 'request-body', e.instancePath, errorText(e));
      }
    } else if (c.body?.required) add('request', 'missing-request-body', '', 'the operation requires a body');

    if (x.injected) {
      this.cost.validateMs += performance.now() - started;
      return out;
    }
    const status = String(x.status);
    const declared = c.responses.has(status);
    if (!declared)
      add('response', 'undeclared-status', status, `status ${status} not declared (declared: ${[...c.responses.keys()].join(', ')})`);
    const validate = declared ? c.responses.get(status) : x.status >= 400 ? c.errorBody : undefined;
    const hasBody = x.responseBody !== undefined && x.responseBody.length > 0;
    if (validate) {
      const value = hasBody ? parseJson(x.responseBody as string | Buffer) : undefined;
      if (!hasBody) add('response', 'missing-response-body', '', 'the spec declares a JSON body');
      else if (value === undefined) add('response', 'response-body', '', 'not JSON');
      else if (!validate(value)) for (const e of validate.errors ?? []) add('response', 'response-body', e.instancePath, errorText(e));
    } else if (declared && hasBody) add('response', 'undeclared-response-body', '', `status ${status} is declared without a body`);
    this.cost.validateMs += performance.now() - started;
    return out;
  }

  private compile(op: SpecOperation): Compiled {
    const known = this.compiled.get(op);
    if (known) return known;
    const started = performance.now();
    const opPointer = op.pointer;
    const query = new Map<string, ParamCheck>();
    const pathParams = new Map<string, ParamCheck>();
    const declared = (op.operation.parameters as Json[] | undefined) ?? [];
    declared.forEach((p, i) => {
      const { value, pointer } = deref(this.spec, p, `${opPointer}/parameters/${i}`);
      const schema = value.schema as JsonObject | undefined;
      const check: ParamCheck = {
        name: typeof value.name === 'string' ? value.name : '',
        required: value.required === true,
        schema,
        validate: schema ? this.schemaAt(`${pointer}/schema`) : undefined,
      };
      if (value.in === 'query') query.set(check.name, check);
      else if (value.in === 'path') pathParams.set(check.name, check);
    });
    let body: Compiled['body'];
    if (op.operation.requestBody) {
      const { value, pointer } = deref(this.spec, op.operation.requestBody, `${opPointer}/requestBody`);
      const content = value.content as JsonObject | undefined;
      const jsonSchema = content?.['application/json'] as JsonObject | undefined;
      body = {
        required: value.required === true,
        validate: jsonSchema?.schema ? this.schemaAt(`${pointer}/content/${pointerPart('application/json')}/schema`) : undefined,
      };
    }
    const responses = new Map<string, ValidateFunction | undefined>();
    for (const [status, r] of Object.entries((op.operation.responses as JsonObject | undefined) ?? {})) {
      const { value, pointer } = deref(this.spec, r, `${opPointer}/responses/${status}`);
      const content = value.content as JsonObject | undefined;
      const jsonSchema = content?.['application/json'] as JsonObject | undefined;
      responses.set(status, jsonSchema?.schema ? this.schemaAt(`${pointer}/content/${pointerPart('application/json')}/schema`) : undefined);
    }
    this.errorBody ??= this.schemaAt(`#/components/responses/Unauthorized/content/${pointerPart('application/json')}/schema`);
    const compiled: Compiled = { query, path: pathParams, body, responses, errorBody: this.errorBody };
    this.compiled.set(op, compiled);
    this.cost.compileMs += performance.now() - started;
    this.cost.operationsCompiled++;
    return compiled;
  }

  private schemaAt(pointer: string): ValidateFunction {
    return this.ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
  }
}

/** Query and path values arrive as text; the spec types some as integers or booleans. */
function coerce(value: string, schema: JsonObject | undefined): Json {
  const type = schema?.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  // OpenAPI's default for a query array: style form, not exploded, i.e. comma-separated.
  if (type === 'array') return value.split(',');
  return value;
}

function parseJson(body: string | Buffer): Json | undefined {
  try {
    return JSON.parse(body.toString()) as Json;
  } catch {
    return undefined;
  }
}

function errorText(e: ErrorObject): string {
  const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
  return `${e.message ?? e.keyword}${extra} [${e.schemaPath}]`;
}

function errorsText(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map(errorText).join('; ');
}

function queryText(query: Record<string, string>): string {
  const q = new URLSearchParams(query).toString();
  return q ? `?${q}` : '';
}
