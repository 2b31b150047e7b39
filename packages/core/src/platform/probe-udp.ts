import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

/**
 * The transport a lease's probe checks: `'tcp'` (the default: a TCP listen) or `'udp'` (a UDP bind,
 * for servers that receive datagrams on the port).
 */
export type Protocol = 'tcp' | 'udp';

/** The protocols {@link Protocol} names, in the order error messages list them. */
export const PROTOCOLS: readonly Protocol[] = Object.freeze(['tcp', 'udp']);

/**
 * Binds UDP `port` at `host` once and closes again. Resolves `undefined` when the bind succeeded, else
 * the bind's error (`EADDRINUSE` when another socket holds the port, even one bound with `reuseAddr`:
 * this socket does not set SO_REUSEADDR, and the kernel shares a UDP port only when every socket on it
 * does). `::` is bound dual-stack, so on Linux it fails when anything holds the port on any address.
 */
export function bindUdpOnce(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', ipv6Only: false });
    socket.unref();
    socket.once('error', (error: NodeJS.ErrnoException) => {
      try {
        socket.close();
      } catch {
        // Not bound: nothing to close.
      }
      resolve(error);
    });
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.close(() => resolve(undefined));
    });
  });
}
