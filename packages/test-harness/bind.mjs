import { createServer } from 'node:net';

/**
 * Binds `port` on `host` exclusively (dual-stack for `::`), as a server under test would; resolves
 * `{ server }`, or `{ error }` with the error code (`EADDRINUSE`, …).
 */
export function bind(port, host = '::') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve({ error: error.code }));
    server.listen({ port, host, exclusive: true }, () => resolve({ server }));
  });
}
