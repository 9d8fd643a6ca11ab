// Times and dates as the account line and the account dialog show them, in the browser's time zone.

function pad(n: number): string {
  return (n < 10 ? '0' : '') + n;
}

/** HH:MM:SS, as the node statuses show times. */
export function formatTime(iso: string | undefined): string {
  const d = new Date(iso ?? '');
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/** "4 March 2026" in the browser's language. */
export function formatDate(iso: string | undefined): string {
  return new Date(iso ?? '').toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}
