#!/usr/bin/env node
// Checks that the demo's ports are free before anything is installed or built, so a busy port costs a second,
// not a build. Arguments: VARIABLE=port pairs, e.g. DEMO_PORT=1880 DEMO_SIM_PORT=8765. Exit 1 names the
// variable of every busy port and how to pick another.
'use strict';
const net = require('net');

function free(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main() {
  const busy = [];
  for (const arg of process.argv.slice(2)) {
    const [name, raw] = arg.split('=');
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      console.error(`demo: ${name} must be a port number from 1 to 65535, not "${raw}"`);
      process.exit(1);
    }
    if (!(await free(port))) busy.push({ name, port });
  }
  for (const { name, port } of busy) {
    console.error(`demo: port ${port} on 127.0.0.1 is in use (${name}). Stop what uses it, or choose another: ${name}=<port> npm run demo`);
  }
  process.exit(busy.length > 0 ? 1 : 0);
}
main();
