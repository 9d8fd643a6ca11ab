// The dialog label of a field, as the runtime names it in errors: read from the node's catalog in the runtime's
// language (the RED._ its module handed over when it registered, messages.ts), else from its English catalog
// (locales/en-US/<node>.json beside the compiled node), so errors use the words the user sees in the dialog.
import { template } from '../spotify/english-catalog';
import { catalogFile, nodeCatalog, type Translate } from './messages';

// Labels never change while Node-RED runs, and a node reads some of them for every message (a market field
// names its label when it checks the value): looked up once each, per catalog (a RED._ speaks one language: a
// runtime started again in another language hands over another one).
const labelCaches = new WeakMap<object, Map<string, string>>();
/** The cache owner before a node type has registered (or for a library used without Node-RED): English only. */
const ENGLISH_ONLY: object = {};

/** The label text for `key` ("label.limit") of node `type`; the key's last part when the catalog lacks it. */
export function fieldLabelText(type: string, key: string): string {
  const translate = nodeCatalog(type);
  const owner = translate ?? ENGLISH_ONLY;
  let cache = labelCaches.get(owner);
  if (!cache) {
    cache = new Map();
    labelCaches.set(owner, cache);
  }
  const cacheKey = `${type}.${key}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const text = translated(translate, cacheKey) ?? catalogText(type, key) ?? key.split('.').pop() ?? key;
  cache.set(cacheKey, text);
  return text;
}

/** The runtime's translation of a full key, or undefined when Node-RED does not resolve it (it answers the key). */
function translated(translate: Translate | undefined, full: string): string | undefined {
  let text: unknown;
  try {
    text = translate?.(full);
  } catch {
    text = undefined;
  }
  return typeof text === 'string' && text !== '' && !text.endsWith(full) ? text : undefined;
}

/** The text at `key` ("paletteLabel") in node `type`'s English catalog, or undefined when it has none. */
export function catalogText(type: string, key: string): string | undefined {
  return template(catalogFile(type), `${type}.${key}`);
}
