// A state store shared by several "processes" inside one test, as Redis is by a fleet: one map of values, one set
// of locks, and the events one member publishes kept in each other member's inbox until the test delivers them.
// Through Redis a process hears of another's refresh whenever the network and its event loop say; here the test
// decides, so an interleaving that once broke the pack by chance can be replayed every time.
import { KeyedQueue } from '../../nodes/spotify/keyed-queue';
import type { StateStore, StoreEvent } from '../../nodes/spotify/state-store';

export class SharedMemory {
  readonly values = new Map<string, string>();
  readonly locks = new KeyedQueue();
  readonly members: MemberStore[] = [];

  member(name: string): MemberStore {
    const member = new MemberStore(this, name);
    this.members.push(member);
    return member;
  }
}

export class MemberStore implements StateStore {
  readonly label: string;
  readonly shared = true;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly inbox: StoreEvent[] = [];

  constructor(
    private readonly memory: SharedMemory,
    name: string,
  ) {
    this.label = `shared memory store (${name})`;
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.memory.values.get(key));
  }

  set(key: string, value: string | undefined): Promise<void> {
    if (value === undefined) this.memory.values.delete(key);
    else this.memory.values.set(key, value);
    return Promise.resolve();
  }

  compareAndSet(key: string, expected: string | undefined, next: string | undefined): Promise<boolean> {
    if (this.memory.values.get(key) !== expected) return Promise.resolve(false);
    return this.set(key, next).then(() => true);
  }

  withLock<R>(name: string, _ttlMs: number, fn: () => Promise<R>): Promise<R> {
    return this.memory.locks.run(name, fn);
  }

  publish(event: StoreEvent): Promise<void> {
    for (const other of this.memory.members) if (other !== this) other.inbox.push(event);
    return Promise.resolve();
  }

  subscribe(fn: (event: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Hands the events the other members published so far to this member's listeners; how many there were. */
  deliver(): number {
    const events = this.inbox.splice(0);
    for (const event of events) for (const fn of this.listeners) fn(event);
    return events.length;
  }

  onRecovered(): () => void {
    return () => undefined;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
