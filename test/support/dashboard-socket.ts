// A Dashboard 2 viewer without a browser: socket.io's protocol over HTTP long-polling (engine.io 4, the
// transport Dashboard 2 accepts first; it refuses a connection that starts as a WebSocket), enough to send
// widget events as a page does, many in one request if need be, and to hear what the runtime emits.
// (socket.io-client is not a dependency of this project; the protocol is small.)
import * as http from 'node:http';

/** Engine.io packets in one polling body are separated by this character. */
const SEPARATOR = '\x1e';

export interface SocketEvent {
  name: string;
  args: unknown[];
}

export class DashboardSocket {
  /** Every event the runtime emitted to this viewer, in order. */
  readonly events: SocketEvent[] = [];
  /** The server's id of this connection (Dashboard 2 puts it in `msg._client.socketId`). */
  id = '';
  private closed = false;
  private polling: http.ClientRequest | undefined;
  private posting: Promise<void> = Promise.resolve();
  private listeners: (() => void)[] = [];

  private constructor(
    private readonly url: URL,
    private readonly sid: string,
  ) {}

  /** Connects as a dashboard page at `base` (e.g. http://127.0.0.1:1880) with Dashboard 2's default path. */
  static async connect(base: string, path = '/dashboard/socket.io/'): Promise<DashboardSocket> {
    const url = new URL(path, base);
    url.searchParams.set('EIO', '4');
    url.searchParams.set('transport', 'polling');
    const open = await request('GET', url);
    const first = open.split(SEPARATOR)[0];
    if (!first.startsWith('0')) throw new Error(`no engine.io open packet: ${open.slice(0, 200)}`);
    const { sid } = JSON.parse(first.slice(1)) as { sid: string };
    const withSid = new URL(url);
    withSid.searchParams.set('sid', sid);
    const socket = new DashboardSocket(withSid, sid);
    socket.poll();
    await socket.post(['40']);
    await socket.until(() => socket.id !== '');
    return socket;
  }

  /** Sends one event, as `socket.emit(name, ...args)` in a page. */
  emit(name: string, ...args: unknown[]): Promise<void> {
    return this.emitMany([[name, ...args]]);
  }

  /** Sends many events in one HTTP request: the runtime reads them all at once, as a flood from one page. */
  emitMany(events: [string, ...unknown[]][]): Promise<void> {
    return this.post(events.map((e) => `42${JSON.stringify(e)}`));
  }

  /** Sends any socket.io packets as they are (a malformed one, say). */
  raw(packets: string[]): Promise<void> {
    return this.post(packets);
  }

  /** The events of this name received so far. */
  received(name: string): unknown[][] {
    return this.events.filter((e) => e.name === name).map((e) => e.args);
  }

  /** Resolves once `check` holds, looked at again after every packet from the server (and the timeout as a guard). */
  until(check: () => boolean, what = 'an event', timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`never happened: ${what}`));
      }, timeoutMs);
      const listener = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve();
      };
      this.listeners.push(listener);
    });
  }

  /** Leaves, as a page that closes does. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.post(['1']).catch(() => undefined);
    this.closed = true;
    this.polling?.destroy();
  }

  /** One long poll after another, for as long as the socket is open. */
  private poll(): void {
    if (this.closed) return;
    const req = http.request(this.url, { method: 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        this.polling = undefined;
        if (res.statusCode !== 200) {
          this.closed = true;
          return;
        }
        this.receive(Buffer.concat(chunks).toString('utf8'));
        this.poll();
      });
    });
    req.on('error', () => {
      this.closed = true;
    });
    req.end();
    this.polling = req;
  }

  private receive(body: string): void {
    for (const packet of body.split(SEPARATOR)) {
      if (packet === '2')
        void this.post(['3']).catch(() => undefined); // ping → pong
      else if (packet === '1') this.closed = true;
      else if (packet.startsWith('40')) this.id = (JSON.parse(packet.slice(2) || '{}') as { sid?: string }).sid ?? this.sid;
      else if (packet.startsWith('42')) {
        const [name, ...args] = JSON.parse(packet.slice(packet.indexOf('['))) as [string, ...unknown[]];
        this.events.push({ name, args });
      }
    }
    for (const listener of [...this.listeners]) listener();
  }

  /** Engine.io takes one POST at a time per connection: they go one after another. */
  private post(packets: string[]): Promise<void> {
    const next = this.posting.then(async () => {
      const answer = await request('POST', this.url, packets.join(SEPARATOR));
      if (answer !== 'ok') throw new Error(`the dashboard refused the packets: ${answer.slice(0, 200)}`);
    });
    this.posting = next.catch(() => undefined);
    return next;
  }
}

function request(method: 'GET' | 'POST', url: URL, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent: false, headers: body === undefined ? {} : { 'content-type': 'text/plain;charset=UTF-8' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 200) resolve(text);
          else reject(new Error(`${method} ${url.pathname}: ${res.statusCode} ${text.slice(0, 200)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
