// What a user of a Spotify client library does once, by hand, as its README shows: the authorization code flow
// on the (simulated) consent page, then the code exchanged for tokens with the app's Basic credentials.
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } from '../../test/support/env';

export interface UserTokens {
  accessToken: string;
  refreshToken: string;
}

/** `consent` approves on the consent page and gives the Location it redirects to. */
export async function userTokens(
  accountsUrl: string,
  consent: (authorizeUrl: string) => Promise<string>,
  scopes: readonly string[],
): Promise<UserTokens> {
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: scopes.join(' '),
    state: 'by-hand',
  });
  const code = new URL(await consent(`${accountsUrl}/authorize?${q}`)).searchParams.get('code') ?? '';
  const res = await fetch(`${accountsUrl}/api/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }),
  });
  const body = (await res.json()) as { access_token?: string; refresh_token?: string };
  if (!body.access_token || !body.refresh_token) throw new Error(`the code exchange by hand: ${res.status}`);
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}
