// Fault injection: rules matched in order against each accounts/API request. Every matching rule counts the
// request (for `every`); the delays of all firing rules add up; the first firing rule with a status or a reset
// decides the outcome.

import { Rng } from './prng';
import type { FaultRule } from './types';

export interface FaultOutcome {
  /** Some rule applied (even if it only delayed the answer). */
  applied: boolean;
  delayMs: number;
  /** What the answer waits for (FaultRule.holdUntil). */
  holds: Promise<unknown>[];
  /** The rule that replaces the answer, if any. */
  rule: FaultRule | undefined;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  matched: number;
  applied: number;
}

/** Whether a rule or filter path names this request: strings may omit the /v1 prefix of API paths. */
export function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'string') return pattern === path || (path.startsWith('/v1/') && pattern === path.slice(3));
  pattern.lastIndex = 0; // a /g regex would otherwise remember where it stopped
  return pattern.test(path);
}

export class Faults {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = Rng.of(seed, 'faults');
  }

  add(rule: FaultRule): number {
    if (rule.probability !== undefined && (rule.probability < 0 || rule.probability > 1))
      throw new Error('probability must be within 0..1');
    if (rule.every !== undefined && (!Number.isInteger(rule.every) || rule.every < 1)) throw new Error('every must be a positive integer');
    const id = this.nextId++;
    this.rules.push({ id, rule: { ...rule }, matched: 0, applied: 0 });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  evaluate(method: string, path: string): FaultOutcome {
    const outcome: FaultOutcome = { applied: false, delayMs: 0, holds: [], rule: undefined };
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (!pathMatches(rule.path, path)) continue;
      active.matched++;
      if (rule.times !== undefined && active.applied >= rule.times) continue;
      if (rule.every !== undefined && active.matched % rule.every !== 0) continue;
      const decides = rule.status !== undefined || rule.reset === true;
      // A second failing rule stays unused (and keeps its `times`) when an earlier one already failed the request.
      if (decides && outcome.rule && !rule.delayMs) continue;
      if (rule.probability !== undefined && !this.rng.chance(rule.probability)) continue;
      active.applied++;
      outcome.applied = true;
      outcome.delayMs += rule.delayMs ?? 0;
      if (rule.holdUntil) outcome.holds.push(rule.holdUntil);
      if (!outcome.rule && (rule.status !== undefined || rule.reset)) outcome.rule = rule;
    }
    return outcome;
  }
}
