// Bare listen/close helpers shared by the floor measurement and the free-zone check.
import { createServer } from 'node:net';

/** Addresses probed by the floor measurement: the same four portlease probes by default. */
export const PROBE_HOSTS = ['::', '0.0.0.0', '127.0.0.1', '::1'];

const ABSENT = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL']);

/** listen + close on `port` at `host`; resolves true if it was free (or the family is absent). */
export function listenClose(port, host) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error) => resolve(ABSENT.has(error.code)));
    server.listen({ port, host, exclusive: true, ipv6Only: false }, () => server.close(() => resolve(true)));
  });
}

/** Whether `port` is free on every probe host. */
export async function isFree(port) {
  for (const host of PROBE_HOSTS) if (!(await listenClose(port, host))) return false;
  return true;
}

/**
 * Finds `size` consecutive ports, free on every address, in the quiet zone above the ephemeral range
 * (Linux default 32768–60999: nothing binds 61000–65535 unless asked to). Returns `[min, max]` and
 * the ports found busy while looking.
 */
export async function findFreeZone(size, { from = 61000, to = 65535 } = {}) {
  const busy = [];
  let start = from;
  for (let port = from; port <= to; port++) {
    if (port - start + 1 > size) break;
    if (!(await isFree(port))) {
      busy.push(port);
      start = port + 1;
    }
  }
  if (to - start + 1 < size) {
    throw new Error(`no ${size} consecutive free ports in ${from}-${to} (busy: ${busy.join(', ')})`);
  }
  return { range: [start, start + size - 1], busy };
}
