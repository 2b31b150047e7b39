#!/usr/bin/env node
// The Node suite's part: `node node_suite.mjs <who> <count> portlease|naive`.
//   portlease: leasePorts(count) from the library, in the shared lock directory (PORTLEASE_DIR).
//   naive:     the first `count` ports of PORTLEASE_RANGE that a bind-then-close check finds free
//              (what get-port with portNumbers() or portfinder do), bound later.
import { createServer } from 'node:net';
import { leasePorts } from 'portlease';
import { rangeFromEnv, takePart } from './participant.mjs';

const [who = 'node', countText = '1', mode = 'portlease'] = process.argv.slice(2);
const count = Number(countText);

/** Whether `port` can be bound right now; the socket is closed at once (the check-then-close race). */
function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function naivePorts() {
  const [min, max] = rangeFromEnv();
  const ports = [];
  for (let port = min; port <= max && ports.length < count; port++) if (await isFree(port)) ports.push(port);
  return ports;
}

let ports;
try {
  ports =
    mode === 'naive'
      ? await naivePorts()
      : (await leasePorts(count, { owner: who })).map((lease) => lease.port);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ event: 'failed', who, error: error.message })}\n`);
  process.exit(1);
}
takePart({ who, lang: 'node', ports });
