// Spotify request: any Web API call, with the account's authorization, retries, rate-limit handling and
// error explanations of the other nodes — the escape hatch for what no node covers. Only ever to the
// configured API base.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { NodeFieldReader, registerWithFields } from './node-red/fields';
import { runActionNode } from './node-red/action-node';
import { nodeTexts } from './node-red/messages';
import { evaluate, typedValue } from './node-red/typed-input';
import { apiPath, queryObject, requestBody, requestMethod, sendRawRequest } from './spotify/raw-request';

/** This node's own texts, in its catalog (request.json). */
const ownText = nodeTexts('spotify-request');

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
      const method = requestMethod(methodSetting === 'msg' ? (msg as { method?: unknown }).method : methodSetting, 'method');
      const path = apiPath(await evaluate(RED, this, msg, pathProp), ctx.account.endpoints.apiUrl, 'path');
      const query = queryObject(await evaluate(RED, this, msg, queryProp), 'query');
      const body = requestBody(await evaluate(RED, this, msg, bodyProp), method, 'body');
      const maxItems = dialog.int('limit', await evaluate(RED, this, msg, limitProp));
      const { payload, status, pages } = await sendRawRequest(
        ctx.account.client,
        { method, path, query, body, follow, maxItems },
        ctx.counter,
      );
      msg.payload = payload;
      msg.spotify = { requests: ctx.counter.requests, status, ...(pages !== undefined ? { pages } : {}) };
      send(msg);
      return pages !== undefined && pages > 1
        ? ownText('status.requestPages', { method, status, pages })
        : ownText('status.request', { method, status });
    });
  }
  registerWithFields(RED, 'spotify-request', RequestNode);
};
