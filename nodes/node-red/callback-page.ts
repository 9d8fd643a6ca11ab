// The page the browser shows after Spotify redirects back. Static on purpose: nothing from the request or
// from Spotify is echoed into it; the details reach the editor's dialog over Node-RED's comms.

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em;color:#333}h1{font-size:1.3em}';

export function callbackPage(ok: boolean): string {
  const title = ok ? 'Spotify access authorized' : 'Spotify authorization did not complete';
  const text = ok
    ? 'Node-RED now holds the authorization. You can close this window and return to the editor.'
    : 'Return to the Node-RED editor: the Spotify account dialog says what went wrong. You can close this window.';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
}
