// The editor's side door into the runtime for authorization. Everything that changes state is an
// authenticated AJAX POST (permission-checked when adminAuth is on); reading the status changes nothing and
// needs only read permission. Every route but the callback refuses what a cross-site page could send
// (same-origin.ts); the OAuth callback is open, and does nothing without a live, single-use `state`. Each
// action (not the status read) writes an audit event naming the editor user (audit.ts).
import type { IncomingMessage } from 'node:http';
import type { NodeAPI } from 'node-red';
import type { Request, Response, NextFunction } from 'express';
import { liveAccount } from '../spotify/account';
import { AuthorizationFlowError, type AuthorizationFlows, type AuthorizationResult } from '../spotify/authorization-flow';
import { InputError } from '../spotify/errors';
import { expectText } from '../spotify/words';
import { StoreFileError } from '../spotify/file-store';
import { refreshTokenExpiry, reauthorizeSoon } from '../spotify/consent';
import { nodeOptionScopes, nodeScopeRequirements } from '../spotify/node-scopes';
import { ALL_SCOPES } from '../spotify/scopes';
import { MAX_ACCOUNT_ID_CHARS, storedState, type StoredTokens } from '../spotify/token-store';
import { authTopic, type AuthEvent, type StatusAnswer } from './account-answers';
import { callbackPage, callbackPolicy } from './callback-page';
import { runtimeText } from './messages';
import { packSettings } from './pack-settings';
import { stateBackend, type AccountCredentials } from './state-backend';
import { StoreUnavailableError } from '../spotify/state-store';
import { crossSiteRefusal } from './same-origin';
import { audit, audited } from './audit';

export const ROUTE_PREFIX = '/tunewire';
export const CALLBACK_PATH = `${ROUTE_PREFIX}/callback`;
const TYPE = 'spotify-account';

export function registerAdminRoutes(RED: NodeAPI, flows: AuthorizationFlows): void {
  const settings = packSettings(RED);
  const store = stateBackend(RED, settings).tokens;
  // The cross-site check comes first: without adminAuth the permission checks let everything through.
  const canWrite = [sameOriginOnly, RED.auth.needsPermission(`${TYPE}.write`)];
  const canRead = [sameOriginOnly, RED.auth.needsPermission(`${TYPE}.read`)];
  const publish = (accountId: string, event: AuthEvent): void => RED.comms.publish(authTopic(accountId), event, false);

  const storedCredentials = (accountId: string): AccountCredentials => {
    // Undefined for a node that was never deployed, whatever the typings say.
    const stored: AccountCredentials | undefined = RED.nodes.getCredentials(accountId);
    return stored ?? {};
  };

  RED.httpAdmin.post(
    `${ROUTE_PREFIX}/authorize`,
    canWrite,
    audited(RED, 'authorize.start'),
    json((body) => {
      const accountId = accountIdOf(body);
      const stored = storedCredentials(accountId);
      const clientId = text(body.clientId, 'clientId', () => expectText('admin.clientId'));
      // Absent means "unchanged in the dialog": use what the runtime already holds.
      const clientSecret = typeof body.clientSecret === 'string' ? body.clientSecret : expandEnv(stored.clientSecret);
      const storeKey = typeof body.storeKey === 'string' && body.storeKey ? body.storeKey : stored.storeKey;
      if (!storeKey) throw new InputError('storeKey', expectText('admin.storeKey'));
      const redirectUri = redirect(body.redirectUri);
      // Always asked for: the dialog shows who authorized, and /me needs it.
      const scopes = [...new Set(['user-read-private', ...scopeList(body.scopes)])];
      const { authorizeUrl, expiresAt } = flows.start({
        accountId,
        clientId,
        clientSecret,
        storeKey,
        scopes,
        redirectUri,
        endpoints: settings.endpoints,
      });
      return { authorizeUrl, expiresAt };
    }),
  );

  // Open: the browser arrives here from Spotify with no editor token. Guarded by the single-use state.
  RED.httpAdmin.get(CALLBACK_PATH, (req: Request, res: Response) => {
    const query = { code: req.query.code, state: req.query.state, error: req.query.error };
    complete(query, req).then(
      (outcome) => {
        res.status(outcome.ok ? 200 : 400);
        sendStatic(res, callbackPage(outcome.ok), callbackPolicy(outcome.ok));
      },
      () => {
        res.status(500);
        sendStatic(res, callbackPage(false), callbackPolicy(false));
      },
    );
  });

  // Fallback when Spotify's redirect cannot reach this editor (Docker, LAN address): the user pastes the
  // address the browser ended on.
  RED.httpAdmin.post(
    `${ROUTE_PREFIX}/authorize/complete`,
    canWrite,
    json(async (body, req) => {
      const address = text(body.url, 'url', () => expectText('admin.approvedUrl'));
      let url: URL;
      try {
        url = new URL(address.trim());
      } catch {
        throw new InputError('url', expectText('admin.fullUrl'), address);
      }
      const outcome = await complete(
        {
          code: url.searchParams.get('code') ?? undefined,
          state: url.searchParams.get('state') ?? undefined,
          error: url.searchParams.get('error') ?? undefined,
        },
        req,
      );
      if (!outcome.ok) throw new AuthorizationFlowError(outcome.error ?? runtimeText('errors.authorizationFailed'));
      return outcome;
    }),
  );

  RED.httpAdmin.post(
    `${ROUTE_PREFIX}/clear`,
    canWrite,
    audited(RED, 'token.clear'),
    json(async (body) => {
      const accountId = accountIdOf(body);
      await store.delete(accountId);
      liveAccount(accountId)?.tokens.forget();
      const event: AuthEvent = { ok: true, state: 'not_authorized' };
      publish(accountId, event);
      return event;
    }),
  );

  /** What the running account knows (nothing when it is not deployed), and each node type's scopes. */
  function runtimeHealth(accountId: string): Pick<StatusAnswer, 'cooldownUntil' | 'requestsLastHour' | 'nodeScopes' | 'nodeOptionScopes'> {
    const http = liveAccount(accountId)?.client.http;
    const resumesAt = http?.cooldown.resumesAt();
    return {
      cooldownUntil: resumesAt === undefined ? undefined : new Date(resumesAt).toISOString(),
      requestsLastHour: http?.requestsInLastHour(),
      nodeScopes: nodeScopeRequirements(),
      nodeOptionScopes: nodeOptionScopes(),
    };
  }

  // A read: it changes nothing, in the store or in the running nodes (their statuses stay as they are). A POST
  // only because the dialog may send a store key not deployed yet, and a secret never goes into a URL.
  RED.httpAdmin.post(
    `${ROUTE_PREFIX}/status`,
    canRead,
    json(async (body): Promise<StatusAnswer> => {
      const accountId = accountIdOf(body);
      const key =
        typeof body.storeKey === 'string' && body.storeKey
          ? body.storeKey
          : (liveAccount(accountId)?.config.storeKey ?? storedCredentials(accountId).storeKey);
      if (!key) return { ok: true, state: 'not_authorized' };
      let tokens: StoredTokens | undefined;
      try {
        tokens = await store.get(accountId, key);
      } catch (err) {
        // A damaged file is this account's state; a store that does not answer is a 503 like every route's.
        if (err instanceof StoreFileError) return { ok: false, state: 'store_unreadable', error: err.message };
        throw err;
      }
      const health = runtimeHealth(accountId);
      if (!tokens) return { ok: true, state: 'not_authorized', ...health };
      return {
        ok: true,
        state: storedState(tokens),
        displayName: tokens.displayName,
        scopes: tokens.scope,
        authorizedAt: new Date(tokens.authorizedAt).toISOString(),
        refreshExpiresAt: new Date(refreshTokenExpiry(tokens.authorizedAt)).toISOString(),
        reauthorizeSoon: reauthorizeSoon(tokens.authorizedAt),
        ...health,
      };
    }),
  );

  /** The end of an authorization: the callback (no editor user: the browser came from Spotify) or a pasted address. */
  async function complete(query: { code?: unknown; state?: unknown; error?: unknown }, req: Request): Promise<AuthEvent> {
    try {
      const result: AuthorizationResult = await flows.complete(query);
      audit(RED, 'authorize.complete', { account: result.accountId, status: 200 }, req);
      const event: AuthEvent = { ok: true, state: 'authorized', displayName: result.displayName, scopes: result.scopes };
      if (result.damagedFileKeptAs !== undefined) {
        event.damagedFileKeptAs = result.damagedFileKeptAs;
        RED.log.warn(`[${TYPE}] ${runtimeText('errors.tokenFileRepaired', { file: result.damagedFileKeptAs })}`);
      }
      publish(result.accountId, event);
      return event;
    } catch (err) {
      const message = err instanceof Error ? err.message : runtimeText('errors.authorizationFailed');
      const account = err instanceof AuthorizationFlowError ? err.accountId : undefined;
      audit(RED, 'authorize.complete', { account, status: 400 }, req);
      if (account) publish(account, { ok: false, error: message });
      if (!(err instanceof AuthorizationFlowError)) RED.log.warn(`[${TYPE}] ${message}`);
      return { ok: false, error: message };
    }
  }
}

export function sameOriginOnly(req: Request, res: Response, next: NextFunction): void {
  const refusal = crossSiteRefusal(req.method, req.headers, trustsProxy(req));
  if (refusal) res.status(refusal.status).json({ ok: false, error: refusal.error });
  else next();
}

/**
 * Whether the request came through a proxy Node-RED was told to trust: Express's `trust proxy` setting, which
 * Node-RED sets on its admin app from settings.js → httpServerOptions (false unless set), asked about the
 * address the request came from, as Express itself asks before it believes X-Forwarded-* headers.
 */
function trustsProxy(req: Request): boolean {
  const trust: unknown = req.app.get('trust proxy fn');
  const from = req.socket.remoteAddress;
  return typeof trust === 'function' && from !== undefined && (trust as (address: string, hop: number) => boolean)(from, 0) === true;
}

function sendStatic(res: Response, html: string, policy: string): void {
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.send(html);
}

export type Body = Record<string, unknown>;

/** A bad request is 400; a token file that cannot be used is 409 (its message says how to repair it); a state
 *  store that does not answer is 503 (it comes back by itself). */
function adminStatusOf(err: unknown): number {
  if (err instanceof StoreUnavailableError) return 503;
  return err instanceof InputError || err instanceof AuthorizationFlowError ? 400 : err instanceof StoreFileError ? 409 : 500;
}

/**
 * Wraps a JSON route: parses the body, answers the result as JSON (never cached), or the error's message with
 * the status `statusOf` gives it.
 */
export function json(handler: (body: Body, req: Request) => unknown, statusOf: (err: unknown) => number = adminStatusOf) {
  return (req: Request, res: Response, _next: NextFunction): void => {
    readBody(req)
      .then((body) => handler(body, req))
      .then(
        (result) => {
          res.set('Cache-Control', 'no-store');
          res.json(result);
        },
        (err: unknown) => {
          res.set('Cache-Control', 'no-store');
          const answer: Body = { ok: false, error: err instanceof Error ? err.message : String(err) };
          if (err instanceof StoreUnavailableError) answer.state = 'store_unreadable';
          res.status(statusOf(err)).json(answer);
        },
      );
  };
}

// Node-RED's admin app parses JSON bodies; a bare express app (tests, embedding) may not, so read it here.
export async function readBody(req: Request): Promise<Body> {
  const parsed: unknown = req.body;
  if (parsed && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) return parsed as Body;
  const raw = await readStream(req, 64 * 1024);
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Body;
  } catch {
    // fall through
  }
  throw new InputError('body', expectText('admin.jsonObject'));
}

function readStream(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (req.readableEnded) return resolve('');
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new InputError('body', expectText('admin.bytes', { max: limit })));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function accountIdOf(body: Body): string {
  const expected = (): string => expectText('admin.accountId', { max: MAX_ACCOUNT_ID_CHARS });
  const id = text(body.accountId, 'accountId', expected);
  if (id.length > MAX_ACCOUNT_ID_CHARS) throw new InputError('accountId', expected(), id);
  return id;
}

/** Non-blank text of at most 500 characters; `expected` words what the field takes, only when it is wrong. */
export function text(value: unknown, field: string, expected: () => string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500) throw new InputError(field, expected(), value);
  return value.trim();
}

function redirect(value: unknown): string {
  const uri = text(value, 'redirectUri', () => expectText('admin.redirectUri'));
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new InputError('redirectUri', expectText('admin.absoluteUrl'), uri);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError('redirectUri', expectText('admin.httpUrl'), uri);
  return uri;
}

function scopeList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
  const known = new Set<string>(ALL_SCOPES);
  for (const s of list) {
    if (typeof s !== 'string' || !known.has(s))
      throw new InputError('scopes', expectText('admin.scopes', { scopes: ALL_SCOPES.join(', ') }), s);
  }
  return [...new Set(list as string[])];
}

/** A credential written as $(NAME) refers to an environment variable, as Node-RED expands it for nodes. */
export function expandEnv(value: string | undefined): string | undefined {
  const m = value?.match(/^\$\((\w+)\)$/);
  return m ? process.env[m[1]] : value;
}
