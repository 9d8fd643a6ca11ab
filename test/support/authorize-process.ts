// Authorizes an account of a running Node-RED process the way the account dialog does: the pack's admin route
// gives the authorize URL, the user approves on Spotify's (the simulator's) consent page, and the browser
// follows the redirect to the pack's callback page.
import type { Simulator } from '../simulator';

export interface AuthorizeOptions {
  clientId: string;
  scopes: readonly string[];
  accountId?: string;
  /** For an account not yet deployed: what the dialog sends before Deploy. */
  clientSecret?: string;
  storeKey?: string;
}

/** Resolves with the callback page's answer (200, or throws saying what failed). */
export async function authorizeProcess(
  red: { url: string; log: string },
  sim: Pick<Simulator, 'consent'>,
  opts: AuthorizeOptions,
): Promise<Response> {
  const start = await fetch(`${red.url}/tunewire/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      accountId: opts.accountId ?? 'acc',
      clientId: opts.clientId,
      ...(opts.clientSecret === undefined ? {} : { clientSecret: opts.clientSecret }),
      ...(opts.storeKey === undefined ? {} : { storeKey: opts.storeKey }),
      scopes: opts.scopes,
      redirectUri: `${red.url}/tunewire/callback`,
    }),
  });
  if (start.status !== 200) throw new Error(`authorize: ${start.status} ${await start.text()}`);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  const location = await sim.consent(authorizeUrl, 'approve');
  const page = await fetch(location).catch((e: Error) => {
    throw new Error(`the callback page: ${e.message}: ${red.log.slice(-2000)}`);
  });
  if (page.status !== 200) throw new Error(`the callback page answered ${page.status}: ${await page.text()}`);
  return page;
}

/** The approval a person gives on the consent page of a simulator running in another process (the demo's),
 *  through the simulator's control API. */
export function consentThrough(simUrl: string): Pick<Simulator, 'consent'> {
  return {
    async consent(authorizeUrl) {
      const res = await fetch(`${simUrl}/__sim/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authorizeUrl }),
      });
      if (res.status !== 200) throw new Error(`the consent page answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { location: string }).location;
    },
  };
}
