// A server that speaks just enough of Redis's protocol (RESP2) for ioredis to connect and subscribe, and then
// answers every other command (GET, EVAL, …) with one huge bulk string, sent until the client hangs up: a hostile or broken
// server at the Redis address. Records the commands it was sent.
import * as net from 'node:net';

export interface FakeRedis {
  url: string;
  /** Command names received, upper case, in order. */
  commands: string[];
  /** Bytes of the huge answers written so far. */
  sentBytes(): number;
  close(): Promise<void>;
}

/** Reads the RESP arrays of bulk strings clients send; returns the commands complete in `buffer` and the rest. */
function parseCommands(buffer: Buffer): { commands: string[][]; rest: Buffer } {
  const commands: string[][] = [];
  let at = 0;
  for (;;) {
    const start = at;
    const line = (): string | undefined => {
      const end = buffer.indexOf('\r\n', at);
      if (end < 0) return undefined;
      const text = buffer.subarray(at, end).toString('latin1');
      at = end + 2;
      return text;
    };
    const header = line();
    if (header === undefined || !header.startsWith('*')) return { commands, rest: buffer.subarray(start) };
    const args: string[] = [];
    for (let i = 0; i < Number(header.slice(1)); i++) {
      const size = line();
      if (size === undefined || at + Number(size.slice(1)) + 2 > buffer.length) return { commands, rest: buffer.subarray(start) };
      args.push(buffer.subarray(at, at + Number(size.slice(1))).toString('utf8'));
      at += Number(size.slice(1)) + 2;
    }
    commands.push(args);
  }
}

const bulk = (text: string): string => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

export async function startFakeRedis(announcedBytes: number): Promise<FakeRedis> {
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  let sent = 0;
  const chunk = Buffer.alloc(64 * 1024, 'x');

  const flood = (socket: net.Socket): void => {
    socket.write(`$${announcedBytes}\r\n`);
    let left = announcedBytes;
    const more = (): void => {
      while (left > 0 && !socket.destroyed) {
        const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= part.length;
        sent += part.length;
        if (!socket.write(part)) return void socket.once('drain', more);
      }
      if (!socket.destroyed) socket.write('\r\n');
    };
    more();
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      const parsed = parseCommands(Buffer.concat([pending, data]));
      pending = parsed.rest;
      for (const [name = '', ...args] of parsed.commands) {
        const command = name.toUpperCase();
        commands.push(command);
        if (command === 'HELLO') socket.write(`-ERR unknown command 'HELLO'\r\n`);
        else if (command === 'CLIENT' || command === 'SELECT') socket.write('+OK\r\n');
        else if (command === 'INFO') socket.write(bulk('# Server\r\nredis_version:7.0.0\r\nloading:0\r\n'));
        else if (command === 'TIME') {
          const now = Date.now();
          socket.write(`*2\r\n${bulk(String(Math.floor(now / 1000)))}${bulk(String((now % 1000) * 1000))}`);
        } else if (command === 'SUBSCRIBE') socket.write(`*3\r\n${bulk('subscribe')}${bulk(args[0] ?? '')}:1\r\n`);
        else flood(socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    commands,
    sentBytes: () => sent,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
