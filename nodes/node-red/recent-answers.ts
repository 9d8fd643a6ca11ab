// The same question asked of the same account again while its answer is on the way, or within a few seconds
// of it, gets that answer: a burst of identical picker calls (an editor opening the same list repeatedly, a
// script) costs one request to Spotify, not one each. Kept per account (weakly: an account let go takes its
// answers with it), a bounded number each. A failure is shared by the calls that waited for it, never kept; so
// is an empty list, since "no device online" may change the next moment (the user opens Spotify somewhere).

/** How long an answer serves identical questions after it arrived. */
export const RECENT_ANSWER_MS = 5_000;
/** Answers kept per account: a dialog asks a handful of different questions. */
const MAX_ANSWERS_PER_ACCOUNT = 16;

interface Entry<T> {
  answer: Promise<T>;
  /** When the answer arrived; undefined while it is on the way. */
  arrivedAt: number | undefined;
}

export class RecentAnswers<T extends readonly unknown[]> {
  private readonly byOwner = new WeakMap<object, Map<string, Entry<T>>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** `ask()`'s answer, or the one given to the same `key` of `owner` in flight or less than RECENT_ANSWER_MS ago. */
  get(owner: object, key: string, ask: () => Promise<T>): Promise<T> {
    let answers = this.byOwner.get(owner);
    if (!answers) this.byOwner.set(owner, (answers = new Map<string, Entry<T>>()));
    const known = answers.get(key);
    if (known && (known.arrivedAt === undefined || this.now() - known.arrivedAt < RECENT_ANSWER_MS)) return known.answer;
    answers.delete(key);
    const entry: Entry<T> = { answer: ask(), arrivedAt: undefined };
    const held = answers;
    const forget = (): void => {
      if (held.get(key) === entry) held.delete(key);
    };
    entry.answer.then((list) => {
      if (list.length > 0) entry.arrivedAt = this.now();
      else forget();
    }, forget);
    answers.set(key, entry);
    for (const oldest of answers.keys()) {
      if (answers.size <= MAX_ANSWERS_PER_ACCOUNT) break;
      answers.delete(oldest);
    }
    return entry.answer;
  }
}
