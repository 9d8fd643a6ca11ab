// The key that encrypts an account's token file (a password credential of the account): made in the browser for
// a new account, 256 random bits, base64url.

export function newStoreKey(): string {
  const bytes = new Uint8Array(32);
  window.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
