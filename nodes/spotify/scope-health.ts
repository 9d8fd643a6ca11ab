// The account dialog's checklist, as data: what the account's nodes need, node by node and in plain words, each
// need marked against what Spotify granted and what the dialog has ticked now; and how the ticked scopes differ
// from the granted ones. Pure: the editor bundle renders it, the unit tests read it.
import { alternativesOf, requirementWords, uniqueRequirement, unmetRequirements, type Alternatives, type ScopeRequirement } from './scopes';

/**
 * granted: granted and still ticked. unticked: granted, but the next authorization drops it. ticked: ticked, not
 * granted yet (Authorize Access asks for it). missing: neither granted nor ticked.
 */
export type NeedState = 'granted' | 'unticked' | 'ticked' | 'missing';

export interface Need {
  scopes: Alternatives;
  /** The need in plain words ("upload images", "change public or private playlists"). */
  words: string;
  state: NeedState;
}

export interface NodeNeeds {
  /** The node's name in the palette ("playlist cover"). */
  label: string;
  needs: Need[];
}

/** One node that uses the account: its palette label and its requirement with its settings. */
export interface NodeUse {
  label: string;
  requirement: ScopeRequirement;
}

function stateOf(alt: Alternatives, granted: readonly string[], ticked: readonly string[]): NeedState {
  const isGranted = unmetRequirements(granted, [alt]).length === 0;
  const isTicked = unmetRequirements(ticked, [alt]).length === 0;
  if (isGranted) return isTicked ? 'granted' : 'unticked';
  return isTicked ? 'ticked' : 'missing';
}

/** The needs grouped by node label (nodes of one type share theirs), labels in alphabetical order; a node that
 *  needs no scope is left out. `or` joins alternatives in the editor's language. */
export function needsByNode(uses: readonly NodeUse[], granted: readonly string[], ticked: readonly string[], or?: string): NodeNeeds[] {
  const byLabel = new Map<string, ScopeRequirement>();
  for (const use of uses) byLabel.set(use.label, uniqueRequirement([...(byLabel.get(use.label) ?? []), ...use.requirement]));
  return [...byLabel.entries()]
    .filter(([, requirement]) => requirement.length > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, requirement]) => ({
      label,
      needs: requirement.map((need) => {
        const scopes = alternativesOf(need);
        return { scopes, words: requirementWords(scopes, or), state: stateOf(scopes, granted, ticked) };
      }),
    }));
}

/** A need not granted, with the labels of the nodes that have it: "upload images (playlist cover)". */
export interface Shortfall {
  scopes: Alternatives;
  words: string;
  labels: string[];
  /** Ticked already: Authorize Access alone grants it. */
  ticked: boolean;
}

/** The needs Spotify has not granted, each once, with the nodes that have it. */
export function shortfalls(groups: readonly NodeNeeds[]): Shortfall[] {
  const out = new Map<string, Shortfall>();
  for (const group of groups) {
    for (const need of group.needs) {
      if (need.state !== 'ticked' && need.state !== 'missing') continue;
      const key = [...need.scopes].sort().join(' ');
      const entry = out.get(key) ?? { scopes: need.scopes, words: need.words, labels: [], ticked: need.state === 'ticked' };
      entry.labels.push(group.label);
      out.set(key, entry);
    }
  }
  return [...out.values()];
}

/** "upload images (playlist cover), read top artists and tracks (top items)". */
export function shortfallText(list: readonly Shortfall[]): string {
  return list.map((s) => `${s.words} (${s.labels.join(', ')})`).join(', ');
}

/** How the dialog's ticked scopes differ from the granted ones: added (ticked, not granted) and removed (granted,
 *  not ticked), each in the list's order. */
export function scopeChanges(granted: readonly string[], ticked: readonly string[]): { added: string[]; removed: string[] } {
  return { added: ticked.filter((s) => !granted.includes(s)), removed: granted.filter((s) => !ticked.includes(s)) };
}
