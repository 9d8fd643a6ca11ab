// Every request the simulator received, in arrival order, for assertions like "exactly one token refresh".

import { pathMatches } from './faults';
import type { RequestFilter, SimRequest } from './types';

export class RequestLog {
  readonly entries: SimRequest[] = [];

  add(entry: SimRequest): void {
    this.entries.push(entry);
  }

  clear(): void {
    // In place: callers may hold `sim.requests`.
    this.entries.length = 0;
  }

  /** Control calls count only when asked for with kind 'control'. */
  count(filter: RequestFilter = {}): number {
    return this.entries.filter((r) => matches(r, filter)).length;
  }
}

export function matches(r: SimRequest, f: RequestFilter): boolean {
  if (f.kind === undefined ? r.kind === 'control' : r.kind !== f.kind) return false;
  if (f.method !== undefined && f.method.toUpperCase() !== r.method) return false;
  return pathMatches(f.path, r.path);
}
