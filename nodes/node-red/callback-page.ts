// The page the browser shows after Spotify redirects back. Static on purpose: nothing from the request or
// from Spotify is echoed into it; the details reach the editor's dialog over Node-RED's comms.
import { createHash } from 'node:crypto';
import { runtimeLocale, runtimeText } from './messages';

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em;color:#333}h1{font-size:1.3em}';
/**
 * After a consent the popup has nothing more to say (the editor's dialog shows who authorized): it closes
 * itself. Browsers let a script close only a window a script opened, so a tab opened by hand stays and reads
 * as before. A failure stays open: its page says where to look.
 */
const CLOSE_SCRIPT = 'window.close();';

/** The Content-Security-Policy for the page: inline style, and on success only the one script above. */
export function callbackPolicy(ok: boolean): string {
  const script = ok ? `; script-src 'sha256-${createHash('sha256').update(CLOSE_SCRIPT).digest('base64')}'` : '';
  return `default-src 'none'; style-src 'unsafe-inline'${script}`;
}

/** In the runtime's language (the catalog's words, escaped all the same: a page is no place for markup from a file). */
export function callbackPage(ok: boolean): string {
  const title = escapeHtml(runtimeText(ok ? 'callback.doneTitle' : 'callback.failedTitle'));
  const text = escapeHtml(runtimeText(ok ? 'callback.done' : 'callback.failed'));
  const lang = escapeHtml(runtimeLocale());
  const script = ok ? `<script>${CLOSE_SCRIPT}</script>` : '';
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body><h1>${title}</h1><p>${text}</p>${script}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
