// The HTML the accounts service shows: the consent page and its plain error pages. No scripts, so a test can
// drive it with two HTTP requests and a browser test can click the buttons. Everything echoed is escaped.

import { escapeHtml } from './http';
import { SCOPES } from './scopes';

export interface ConsentView {
  consentId: string;
  appName: string;
  clientId: string;
  userName: string;
  scopes: string[];
  redirectUri: string;
}

export function consentPage(v: ConsentView): string {
  const scopeItems = v.scopes.length
    ? v.scopes
        .map((s) => `      <li data-scope="${escapeHtml(s)}">${escapeHtml(SCOPES[s] ?? s)} <code>${escapeHtml(s)}</code></li>`)
        .join('\n')
    : '      <li>View your public profile</li>';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Authorize ${escapeHtml(v.appName)} – Spotify (simulated)</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #121212; color: #fff; display: flex; justify-content: center; padding: 3rem 1rem; }
    main { max-width: 28rem; }
    li { margin: .4rem 0; } code { color: #9a9a9a; font-size: .8em; }
    button { font-size: 1rem; border-radius: 2rem; padding: .7rem 2rem; margin-right: .5rem; border: 0; cursor: pointer; }
    .approve { background: #1ed760; color: #000; } .deny { background: #2a2a2a; color: #fff; }
  </style>
</head>
<body>
  <main>
    <p>Logged in as <strong id="user">${escapeHtml(v.userName)}</strong></p>
    <h1 id="app-name">${escapeHtml(v.appName)}</h1>
    <p>wants to connect to your Spotify account and will be allowed to:</p>
    <ul id="scopes">
${scopeItems}
    </ul>
    <p>You will be sent back to <code id="redirect-uri">${escapeHtml(v.redirectUri)}</code></p>
    <form method="post" action="/authorize/decision">
      <input type="hidden" name="consent_id" value="${escapeHtml(v.consentId)}">
      <button type="submit" class="approve" name="decision" value="approve">Approve</button>
      <button type="submit" class="deny" name="decision" value="deny">Deny</button>
    </form>
  </main>
</body>
</html>
`;
}

/** Spotify's bare error page for requests it cannot redirect back (unknown client, unregistered redirect URI). */
export function errorPage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Error – Spotify (simulated)</title></head>
<body>
  <h1>Oops! Something went wrong, please try again or check out our help area.</h1>
  <p id="error">${escapeHtml(message)}</p>
</body>
</html>
`;
}
