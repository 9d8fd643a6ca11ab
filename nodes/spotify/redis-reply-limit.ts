// A bound on what one Redis reply may bring into memory. ioredis buffers a reply whole, whatever length the
// server announces, so a hostile or broken server (or someone impersonating it) could fill the heap with one
// answer. The bytes received since the last complete reply are counted on the socket itself; past the bound the
// connection is dropped (ioredis fails the commands waiting on it and reconnects), before the reply is parsed.
import type { Redis } from 'ioredis';
import { say } from './words';

export class ReplyLimit {
  private received = 0;
  /** Why the last connection was dropped, until the next one is ready (the failed commands say so). */
  dropped: string | undefined;

  /** `maxBytes`: the largest reply allowed, protocol framing included; `what` names it in errors. */
  constructor(
    client: Redis,
    private readonly maxBytes: number,
    private readonly what: string,
  ) {
    client.on('connect', () => {
      this.received = 0;
      const stream = client.stream;
      stream.on('data', (chunk: Buffer) => {
        this.received += chunk.length;
        if (this.received <= this.maxBytes) return;
        this.dropped = say('store.replyTooLarge', { size: this.what });
        stream.destroy(new Error(this.dropped));
      });
    });
    client.on('ready', () => (this.dropped = undefined));
  }

  /** A reply (or an event) was complete: what arrives next belongs to the next one. */
  settled(): void {
    this.received = 0;
  }
}
