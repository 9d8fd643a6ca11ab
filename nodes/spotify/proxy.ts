// The outbound proxy, chosen as Node-RED core's http request node chooses it: the proxy URL of the settings, else
// the environment's https_proxy / http_proxy (either case) by the target's protocol; no proxy for a host that
// no_proxy names. Web API requests and token requests both go through it. The proxy URL may carry credentials:
// it is never part of an error text or a log line (only its host is, through describeProxy).
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';

export interface ProxyConfig {
  /** A proxy for every Spotify request (http://[user:password@]host:port); overrides the environment. */
  url?: string;
  /** Hosts reached directly: comma-separated names, `.domain` suffixes, `host:port`, or `*`. */
  noProxy?: string;
}

/** The proxy URL for one target, or undefined to go direct. */
export function proxyFor(target: URL, config: ProxyConfig = {}, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const noProxy = config.noProxy ?? env.no_proxy ?? env.NO_PROXY ?? '';
  if (bypasses(target, noProxy)) return undefined;
  const fromEnv = target.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  const url = (config.url || fromEnv || '').trim();
  return url === '' ? undefined : url;
}

function bypasses(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase());
      const name = (m?.[1] ?? '').replace(/^\*?\./, '');
      if (m?.[2] && m[2] !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
}

/** "proxy host:port" for texts: never the credentials. */
export function describeProxy(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured proxy';
  }
}

/** Connection agents by protocol, as got takes them. */
export interface ProxyAgents {
  http?: HttpAgent;
  https?: HttpsAgent;
}

// simple-oauth2 deep-clones its HTTP options with Hoek, and a cloned agent fails its first request ("Illegal
// invocation"); Hoek hands back as it is any object whose prototype says isImmutable.
class SharedHttpProxyAgent extends HttpProxyAgent {}
class SharedHttpsProxyAgent extends HttpsProxyAgent {}
for (const shared of [SharedHttpProxyAgent, SharedHttpsProxyAgent]) Object.defineProperty(shared.prototype, 'isImmutable', { value: true });

const agents = new Map<string, ProxyAgents>();

/** The agent for one target's protocol (shared per proxy), or undefined to go direct. */
export function proxyAgents(target: URL, config?: ProxyConfig): ProxyAgents | undefined {
  const proxy = proxyFor(target, config);
  if (!proxy) return undefined;
  const key = `${target.protocol} ${proxy}`;
  let found = agents.get(key);
  if (!found) {
    const options = { proxy, keepAlive: true, keepAliveMsecs: 1000, maxSockets: 64, maxFreeSockets: 16 };
    found = target.protocol === 'https:' ? { https: new SharedHttpsProxyAgent(options) } : { http: new SharedHttpProxyAgent(options) };
    agents.set(key, found);
  }
  return found;
}
