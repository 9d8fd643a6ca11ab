// The test run's contract check: every Web API exchange any simulator of the process answers goes through the
// validator; violations wait here until the root hook (test/support/root-hooks.ts) takes them after each test.
// A test that sends bad things on purpose says so, narrowly, with allowContractDeviations.

import { setApiTap } from '../simulator/tap';
import { ContractValidator, type Rule, type Violation } from './validator';

export interface Allowance {
  /** Why this test's exchanges may break the spec (shown nowhere else: keep it honest). */
  reason: string;
  side?: Violation['side'];
  rule?: Rule;
  /** A spec operation name ("GET /me/player"), or the method and path of a request that has none. */
  operation?: string;
}

class ContractWatch {
  private validator: ContractValidator | undefined;
  private pending: Violation[] = [];
  private allowances: Allowance[] = [];

  /** Starts checking (from the first exchange: the spec is read and compiled lazily). */
  install(): void {
    setApiTap((x) => {
      let found: Violation[];
      try {
        this.validator ??= new ContractValidator();
        found = this.validator.check(x);
      } catch (err) {
        // Never the simulator's failure: the test that met it fails instead, saying why.
        const request = `${x.method} ${x.path}`;
        found = [{ side: 'request', rule: 'validator-error', operation: request, request, status: x.status, at: '', message: String(err) }];
      }
      for (const v of found) if (!this.allowances.some((a) => allows(a, v))) this.pending.push(v);
    });
  }

  allow(a: Allowance): void {
    if (!a.reason.trim()) throw new Error('allowContractDeviations needs a reason');
    if (!a.side && !a.rule && !a.operation) throw new Error('allowContractDeviations must name a side, a rule or an operation');
    this.allowances.push(a);
  }

  /** The violations since the last take; the allowances end with it (they last one test). */
  take(): Violation[] {
    const out = this.pending;
    this.pending = [];
    this.allowances = [];
    return out;
  }

  get cost(): ContractValidator['cost'] | undefined {
    return this.validator?.cost;
  }
}

function allows(a: Allowance, v: Violation): boolean {
  return (!a.side || a.side === v.side) && (!a.rule || a.rule === v.rule) && (!a.operation || a.operation === v.operation);
}

export const contractWatch = new ContractWatch();

/** For the current test only (call it in the test or a beforeEach): exchanges matching every field given may
 *  deviate from the spec, e.g. a fuzz test's requests. */
export function allowContractDeviations(a: Allowance): void {
  contractWatch.allow(a);
}

export function describeViolations(vs: Violation[]): string {
  const lines = vs
    .slice(0, 12)
    .map((v) => `  ${v.side} ${v.operation} (${v.rule}) at ${v.at || '(body)'}: ${v.message}\n    ${v.request} → ${v.status}`);
  if (vs.length > 12) lines.push(`  … and ${vs.length - 12} more`);
  return `the simulator's exchanges deviate from Spotify's OpenAPI description (test/contract/quirks.ts lists the tolerated ones):\n${lines.join('\n')}`;
}
