// The dialog label of a field, as the runtime names it in errors: read from the node's English catalog
// (locales/en-US/<node>.json beside the compiled node), so errors use the words the user sees in the dialog.
import { template } from '../spotify/english-catalog';
import { catalogFile } from './messages';

// Labels never change while Node-RED runs, and a node reads some of them for every message (a market field
// names its label when it checks the value): looked up once each.
const labelCache = new Map<string, string>();

/** The label text for `key` ("label.limit") of node `type`; the key's last part when the catalog lacks it. */
export function fieldLabelText(type: string, key: string): string {
  const cacheKey = `${type}.${key}`;
  const cached = labelCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const text = catalogText(type, key) ?? key.split('.').pop() ?? key;
  labelCache.set(cacheKey, text);
  return text;
}

/** The text at `key` ("paletteLabel") in node `type`'s English catalog, or undefined when it has none. */
export function catalogText(type: string, key: string): string | undefined {
  return template(catalogFile(type), `${type}.${key}`);
}
