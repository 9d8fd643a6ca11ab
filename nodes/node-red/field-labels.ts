// The dialog label of a field, as the runtime names it in errors: read from the node's English catalog
// (locales/en-US/<node>.json beside the compiled node), so errors use the words the user sees in the dialog.
import * as fs from 'node:fs';
import * as path from 'node:path';

const catalogs = new Map<string, Record<string, unknown>>();

function catalogOf(type: string): Record<string, unknown> {
  let catalog = catalogs.get(type);
  if (!catalog) {
    const file = path.join(__dirname, '..', 'locales', 'en-US', `${type.replace(/^spotify-/, '')}.json`);
    try {
      catalog = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      catalog = {};
    }
    catalogs.set(type, catalog);
  }
  return catalog;
}

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
  const value = `${type}.${key}`
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), catalogOf(type));
  return typeof value === 'string' ? value : undefined;
}
