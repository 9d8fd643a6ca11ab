// Runs tasks one after another per key (a file path, a playlist id), in arrival order, while different keys run
// freely. A failed task does not stop the ones queued behind it. Idle keys are forgotten, so the map does not grow
// with every key ever used.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Settles when everything queued for `key` so far has run. */
  idle(key: string): Promise<void> {
    return this.tails.get(key) ?? Promise.resolve();
  }

  run<R>(key: string, task: () => Promise<R>): Promise<R> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
