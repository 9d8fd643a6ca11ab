// Since mid-2026 Spotify stops accepting a refresh token 6 months after the user's consent, however often it was
// used. The dates the dialog and the statuses show all come from here.

/** Months from consent until Spotify refuses the refresh token. */
export const REFRESH_TOKEN_MONTHS = 6;
/** From this many days before that date, the account and its nodes ask for a new authorization. */
export const REAUTHORIZE_WARNING_DAYS = 14;

/** When Spotify stops accepting the refresh token of a consent given at `authorizedAt` (epoch ms). */
export function refreshTokenExpiry(authorizedAt: number): number {
  const d = new Date(authorizedAt);
  const day = d.getUTCDate();
  d.setUTCMonth(d.getUTCMonth() + REFRESH_TOKEN_MONTHS, 1);
  // 31 August + 6 months is the last day of February, not 3 March.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

/** True from REAUTHORIZE_WARNING_DAYS before the expiry on. */
export function reauthorizeSoon(authorizedAt: number, now: number = Date.now()): boolean {
  return refreshTokenExpiry(authorizedAt) - now <= REAUTHORIZE_WARNING_DAYS * 86_400_000;
}
