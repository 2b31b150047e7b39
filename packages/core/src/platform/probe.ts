import { createServer } from 'node:net';
import { fdExhaustion } from '../errors.js';
import { osExcludedPorts } from './excluded-ports.js';
import { bindUdpOnce, type Protocol } from './probe-udp.js';

/** Errors that mean "this address family or address does not exist here", not "port in use". */
const ABSENT = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL', 'ENOTSUP', 'EPROTONOSUPPORT']);

/** What one probe listen found: free, a listener (or a refusal: the errno), or no such address here. */
type ProbeResult = 'free' | 'absent' | { errno: string };

/**
 * Listens on `port` at `host` (TCP, or binds it for UDP) and closes again. Rejects only when out of
 * file descriptors: that says nothing about the port, and calling every port busy would be a wrong
 * answer.
 */
async function probeOne(port: number, host: string, protocol: Protocol): Promise<ProbeResult> {
  if (protocol === 'udp') {
    const error = await bindUdpOnce(port, host);
    if (error === undefined) return 'free';
    const fds = fdExhaustion(error, `probe UDP port ${port} on ${host}`);
    if (fds) throw fds;
    const code = String(error.code);
    return ABSENT.has(code) ? 'absent' : { errno: code };
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const fds = fdExhaustion(error, `probe port ${port} on ${host}`);
      const code = String(error.code);
      if (fds) reject(fds);
      else resolve(ABSENT.has(code) ? 'absent' : { errno: code });
    });
    // `::` is probed dual-stack (libuv sets IPV6_V6ONLY=0 explicitly, whatever net.ipv6.bindv6only
    // says), as a server listening without a host would bind it.
    server.listen({ port, host, exclusive: true, ipv6Only: false }, () => {
      server.close(() => resolve('free'));
    });
  });
}

/** How a port that cannot be used is named in RANGE_EXHAUSTED's "in use by other programs" list. */
function describe(host: string, errno: string, protocol: Protocol): string {
  if (errno === 'EADDRINUSE') return protocol === 'udp' ? `${host} (UDP)` : host;
  if (errno === 'EACCES') {
    // Windows refuses ports of its excluded ranges (Hyper-V, WinNAT, WSL) with EACCES although nothing
    // listens there; elsewhere a privileged or policy-restricted port. Either way: not this port.
    return `${host} (EACCES: the OS refuses this port, e.g. a reserved or excluded range)`;
  }
  return `${host} (${errno})`;
}

/**
 * Returns the first host on which `port` cannot be used (a listener, or the OS refusing it), or
 * `undefined` if it is free on all of them. Probes run one after another: a dual-stack `::` probe
 * would collide with a parallel `0.0.0.0` one. An address family that does not exist here counts as
 * free, except that an absent `::` is replaced by `0.0.0.0` when that is not probed anyway: a server
 * listening without a host binds `0.0.0.0` there, so the IPv4 side is still checked. Ports of the OS's
 * excluded ranges (Windows) are never probed: they cannot be bound. `protocol` `'udp'` binds UDP
 * instead of listening on TCP (see probe-udp.ts).
 */
export async function findListener(
  port: number,
  hosts: readonly string[],
  protocol: Protocol = 'tcp',
): Promise<string | undefined> {
  const excluded = osExcludedPorts();
  if (excluded.ports.has(port)) return `any address (excluded by the OS: ${excluded.source})`;
  for (const host of hosts) {
    let result = await probeOne(port, host, protocol);
    let probed = host;
    if (result === 'absent' && host === '::' && !hosts.includes('0.0.0.0')) {
      probed = '0.0.0.0';
      result = await probeOne(port, probed, protocol);
    }
    if (typeof result === 'object') return describe(probed, result.errno, protocol);
  }
  return undefined;
}
