// What every process of the demo does once it has its ports, whatever the language: print
// {"event":"ready"} with them, wait for "go" on stdin (run.mjs sends it to everyone at once), bind
// every port on 127.0.0.1 and print {"event":"bound"} with each result, then hold the servers until
// stdin closes. python_suite.py does the same in Python; the shell suite execs hold-ports.mjs.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** Resolves `{ port, ok: true, server }` or `{ port, ok: false, error: 'EADDRINUSE' }`. */
function bind(port) {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.end(`${port}\n`));
    server.once('error', (error) => resolve({ port, ok: false, error: error.code ?? String(error) }));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve({ port, ok: true, server }));
  });
}

/** Reports `ports`, binds them on "go", holds them until stdin closes, then exits. */
export function takePart({ who, lang, ports }) {
  say({ event: 'ready', who, lang, pid: process.pid, ports });
  const lines = createInterface({ input: process.stdin });
  let servers = [];
  lines.once('line', async () => {
    const results = await Promise.all(ports.map(bind));
    servers = results.flatMap((result) => (result.server ? [result.server] : []));
    say({ event: 'bound', who, results: results.map(({ server, ...result }) => result) });
  });
  lines.once('close', () => {
    for (const server of servers) server.close();
    process.exit(0);
  });
}

/** `PORTLEASE_RANGE` ("20000-20023") as [min, max]; the naive schemes take their ports from it. */
export function rangeFromEnv() {
  const match = /^(\d+)-(\d+)$/.exec(process.env.PORTLEASE_RANGE ?? '');
  if (!match) throw new Error('set PORTLEASE_RANGE (e.g. 20000-20023)');
  return [Number(match[1]), Number(match[2])];
}
