// The status of a write that skipped entries it could not take: "added 11, skipped 1 local file".
import { SKIP_REASONS, skippedCount, type SkipReason, type Skipped } from '../spotify/writable';
import { runtimeText } from './messages';

/** Catalog key of each reason's count (with plural forms: `_one`, `_other`). */
const REASON_KEYS: Record<SkipReason, string> = { local: 'summary.skippedLocal', unavailable: 'summary.skippedUnavailable' };

/** The summary, followed by what was skipped and why when anything was: "skipped 1 local file", "skipped 3
 *  unavailable", or for both reasons, to fit a status line, "skipped 4 (local, unavailable)". */
export function withSkipped(summary: string, skipped: Skipped): string {
  const reasons = SKIP_REASONS.filter((r) => skipped[r] > 0);
  if (reasons.length === 0) return summary;
  const text =
    reasons.length === 1
      ? runtimeText(REASON_KEYS[reasons[0]], { count: skipped[reasons[0]] })
      : runtimeText('summary.skippedMixed', { count: skippedCount(skipped) });
  return runtimeText('summary.withSkipped', { summary, skipped: text });
}
