// Times and dates as the account line and the account dialog show them, in the browser's time zone.
import { accountText } from './i18n';

function pad(n: number): string {
  return (n < 10 ? '0' : '') + n;
}

/** HH:MM:SS, as the node statuses show times. */
export function formatTime(iso: string | undefined): string {
  const d = new Date(iso ?? '');
  return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
}

/**
 * The locale of dates: the browser's when it speaks the language of the pack's texts (en-GB, de-AT keep their
 * region's forms), else the one the catalog says it is written in — a date never reads in another language
 * than its sentence (a French browser gets English texts, so English dates).
 */
function dateLocale(): string | undefined {
  const said = accountText('locale');
  const catalog = /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(said) ? said : undefined;
  const browser = navigator.language;
  if (!catalog || (browser && browser.split('-')[0] === catalog.split('-')[0])) return browser || undefined;
  return catalog;
}

/** "4 March 2026", "4. März 2026": see dateLocale. */
export function formatDate(iso: string | undefined): string {
  return new Date(iso ?? '').toLocaleDateString(dateLocale(), { day: 'numeric', month: 'long', year: 'numeric' });
}
