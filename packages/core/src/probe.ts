import { createServer } from 'node:net';
import { fdExhaustion } from './errors.js';

/** Errors that mean "this address family or address does not exist here", not "port in use". */
const ABSENT = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL', 'ENOTSUP', 'EPROTONOSUPPORT']);

/**
 * Resolves `true` if nothing listens on `port` at `host`; absent families count as free, any other
 * failure as busy (a port we could not verify is never handed out). Rejects when out of file
 * descriptors: that says nothing about the port, and calling every port busy would be a wrong answer.
 */
function probeOne(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const fds = fdExhaustion(error, `probe port ${port} on ${host}`);
      if (fds) reject(fds);
      else resolve(ABSENT.has(String(error.code)));
    });
    // `::` is probed dual-stack, as a server listening without a host would bind it.
    server.listen({ port, host, exclusive: true, ipv6Only: false }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Returns the first host on which `port` is in use, or `undefined` if it is free on all of them.
 * Probes run one after another: a dual-stack `::` probe would collide with a parallel `0.0.0.0` one.
 */
export async function findListener(port: number, hosts: readonly string[]): Promise<string | undefined> {
  for (const host of hosts) {
    if (!(await probeOne(port, host))) return host;
  }
  return undefined;
}
