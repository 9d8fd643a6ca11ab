// Spotify request: any Web API call, with the account's authorization, retries, rate-limit handling and
// error explanations of the other nodes — the escape hatch for what no node covers. Only ever to the
// configured API base.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { reason } from './node-red/message-guard';
import { runtimeText } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { InputError } from './spotify/errors';
import type { HttpMethod } from './spotify/http-client';
import { apiPath, followPages, HTTP_METHODS, matchOperation, queryObject } from './spotify/raw-request';

interface RequestDef extends NodeDef {
  account: string;
  method?: string;
  path?: string;
  pathType?: string;
  query?: string;
  queryType?: string;
  body?: string;
  bodyType?: string;
  follow?: boolean;
  limit?: string;
  limitType?: string;
}

export = function register(RED: NodeAPI): void {
  function RequestNode(this: Node, def: RequestDef): void {
    RED.nodes.createNode(this, def);
    const dialog = new NodeFieldReader('spotify-request', def);
    const methodSetting = typeof def.method === 'string' && def.method !== '' ? def.method : 'GET';
    const pathProp = dialog.typed('path');
    const queryProp = typedValue(def.query, def.queryType, { value: '', type: 'json' });
    const bodyProp = typedValue(def.body, def.bodyType, { value: '', type: 'json' });
    const limitProp = dialog.typed('limit');
    const follow = def.follow === true;

    runActionNode(RED, this, def.account, async (msg, send, ctx) => {
      const method = readMethod(methodSetting === 'msg' ? (msg as { method?: unknown }).method : methodSetting);
      const apiUrl = ctx.account.endpoints.apiUrl;
      const path = apiPath(await evaluate(RED, this, msg, pathProp), apiUrl, 'path');
      const query = queryObject(await evaluate(RED, this, msg, queryProp), 'query');
      const body = await evaluate(RED, this, msg, bodyProp);
      if (body !== undefined && body !== null && method === 'GET') throw new InputError('body', 'no body: GET requests have none', body);
      if (body !== undefined && body !== null && (typeof body !== 'object' || Buffer.isBuffer(body))) {
        throw new InputError('body', 'a JSON object or array', body);
      }
      if (body !== undefined && body !== null) checkJson(body, 'body');
      const maxItems = dialog.int('limit', await evaluate(RED, this, msg, limitProp));

      // What the operation table knows: whether repeating is safe, what a 403 likely means, the page size.
      const op = matchOperation(method, path);
      const paging = op?.paging;
      if (follow && method === 'GET' && paging && query.limit === undefined && !/[?&]limit=/.test(path)) {
        query.limit = maxItems === undefined ? paging.limit : Math.min(paging.limit, maxItems);
      }
      const http = ctx.account.client.http;
      const res = await http.request(
        { method, path, query, body: body ?? undefined, idempotent: op?.idempotent, forbiddenHint: op?.forbiddenHint },
        ctx.counter,
      );
      let payload: unknown = res.body ?? null;
      let pages = 1;
      if (follow && method === 'GET') {
        const followed = await followPages(http, payload, { maxItems, maxPages: ctx.account.client.maxPages, counter: ctx.counter });
        payload = followed.body;
        pages += followed.pages;
      }
      msg.payload = payload;
      msg.spotify = { requests: ctx.counter.requests, status: res.status, ...(follow && method === 'GET' ? { pages } : {}) };
      send(msg);
      return follow && pages > 1
        ? runtimeText('summary.requestPages', { method, status: res.status, pages })
        : runtimeText('summary.request', { method, status: res.status });
    });
  }
  registerWithFields(RED, 'spotify-request', RequestNode);
};

/** A body that JSON.stringify can write: not nested past its stack, no throwing getters, no BigInt, no cycles. */
function checkJson(value: unknown, field: string): void {
  try {
    JSON.stringify(value);
  } catch (err) {
    throw new InputError(field, `a JSON object or array that can be written as JSON (${reason(err)})`);
  }
}

function readMethod(value: unknown): HttpMethod {
  const m = typeof value === 'string' ? value.trim().toUpperCase() : value;
  if (typeof m === 'string' && (HTTP_METHODS as readonly string[]).includes(m)) return m as HttpMethod;
  throw new InputError('method', `one of ${HTTP_METHODS.join(', ')}`, value);
}
