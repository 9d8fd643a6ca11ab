// The status of a write that skipped entries it could not take: "added 11, skipped 1 local file".
import { SKIP_REASONS, type SkipReason, type Skipped } from '../spotify/writable';
import { runtimeText } from './messages';

/** Catalog key of each reason's count (with plural forms: `_one`, `_other`). */
const REASON_KEYS: Record<SkipReason, string> = { local: 'summary.skippedLocal', unavailable: 'summary.skippedUnavailable' };

/** The summary, followed by what was skipped and why when anything was. */
export function withSkipped(summary: string, skipped: Skipped): string {
  const parts = SKIP_REASONS.filter((r) => skipped[r] > 0).map((r) => runtimeText(REASON_KEYS[r], { count: skipped[r] }));
  return parts.length === 0 ? summary : runtimeText('summary.withSkipped', { summary, skipped: parts.join(', ') });
}
