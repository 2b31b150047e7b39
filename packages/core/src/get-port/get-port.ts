// `portlease/get-port`: get-port 7's API (getPort, portNumbers, clearLockedPorts) on top of leasePort,
// so a suite written for get-port changes one import and its ports become unique across processes.
import type * as DnsPromises from 'node:dns/promises';
import { createServer, isIP, type ListenOptions } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename } from 'node:path';
import { leasePort } from '../lease/allocator.js';
import type { PortLease } from '../lease/lease.js';
import type { LeaseOptions } from '../options/resolve.js';
import { builtin } from '../platform/builtin.js';
import { platformFacts } from '../platform/facts.js';
import { ALL_HOSTS } from '../platform/probe-hosts.js';
import type { Protocol } from '../platform/probe-udp.js';
import { excludedPorts, portSequence, preferredPort } from './args.js';

export { portNumbers } from './args.js';

/** Loaded only for a `host` given by name (`'localhost'`): a plain getPort() never resolves one. */
const dns = builtin<typeof DnsPromises>('node:dns/promises');

/**
 * Options of {@link getPort}: get-port 7's, with the same types. The listen options are accepted as
 * get-port accepts them; see each field for what it does here.
 *
 * @example
 * ```ts
 * const port = await getPort({ port: [3000, 3001], exclude: [3001], host: '127.0.0.1' });
 * ```
 */
export type Options = {
  /**
   * A preferred port, or an iterable of them (array, `portNumbers(…)`, a generator), tried in order.
   * The first one that is free on every probed address and leased by no portlease user is leased and
   * returned; when none is, a port from portlease's default range is. Preferred ports below 1024 and
   * browser-unsafe ones are never returned (they are skipped, not an error).
   */
  readonly port?: number | Iterable<number>;
  /** Ports never to return, including from the fallback range. */
  readonly exclude?: Iterable<number>;
  /**
   * Accepted for compatibility; every port is held for the lifetime of the process (until
   * {@link clearLockedPorts} or exit) whatever its value, as get-port does with `reserve: true`.
   * @default false
   */
  readonly reserve?: boolean;
  /**
   * portlease's addition: `'udp'` probes each port with a UDP bind instead of a TCP listen, for a
   * server that receives datagrams (`dgram`), so a port another program holds on UDP is skipped.
   * get-port (and this, by default) checks TCP only.
   * @default 'tcp'
   *
   * @example
   * ```ts
   * const port = await getPort({ port: portNumbers(3000, 3500), protocol: 'udp' });
   * dgram.createSocket({ type: 'udp4', reuseAddr: true }).bind(port);
   * ```
   */
  readonly protocol?: Protocol;
  /**
   * The only address to probe, as in get-port (IPv4 or IPv6, or a name such as `'localhost'`, resolved
   * as Node's `listen` resolves it: the first address `dns.lookup` gives). Default: on
   * Linux one dual-stack `::` (it sees a listener on any address); elsewhere the wildcard and loopback
   * addresses of both families plus every address of `os.networkInterfaces()`.
   * An address this host does not have rejects with Node's error (e.g. `EADDRNOTAVAIL`), as get-port.
   */
  readonly host?: string;
} & Omit<ListenOptions, 'port'>;

/** Leases taken by this module, shared by its ESM and CJS copies so either's clearLockedPorts frees all. */
const LEASES_KEY = Symbol.for('portlease.get-port.leases.v1');

function leases(): Set<PortLease> {
  const holder = globalThis as unknown as Record<symbol, Set<PortLease> | undefined>;
  let held = holder[LEASES_KEY];
  if (!held) {
    held = new Set();
    holder[LEASES_KEY] = held;
  }
  return held;
}

function ownerLabel(): string {
  const script = process.argv[1] ? basename(process.argv[1]) : 'node';
  return `get-port (${script}, pid ${process.pid})`;
}

/**
 * get-port's default probe set, widened with portlease's: a port busy on any of them is skipped. On
 * Linux that is the core's own default (undefined): one dual-stack `::` probe already fails when
 * anything listens on any address, interface addresses included, so listing them would only add a
 * getifaddrs and a listen per address to every call. Elsewhere (BSD semantics) each is probed.
 */
function localHosts(): string[] | undefined {
  if (platformFacts().os === 'linux') return undefined;
  const hosts = new Set(ALL_HOSTS);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const { address } of addresses ?? []) hosts.add(address);
  }
  return [...hosts];
}

/**
 * Binds port 0 on the given host once (without the caller's `signal`: an aborted one would leave the
 * listen callback uncalled, get-port's hang; leasePort reports it as ABORTED instead), so a host this machine does not have (or cannot resolve)
 * rejects with Node's own error, as get-port does; portlease's probes would count it as free.
 */
function checkHost(listenOptions: Omit<ListenOptions, 'port'> & { protocol?: unknown }): Promise<void> {
  const { signal: _signal, protocol: _protocol, ...rest } = listenOptions;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ ...rest, port: 0 }, () => server.close(() => resolve()));
  });
}

/**
 * The address Node's `listen` binds for `host`: an IP as given, a name (`'localhost'`) as `dns.lookup`
 * resolves it, first address, as net.Server does. Called after {@link checkHost}, so a name that does
 * not resolve has already failed with get-port's own `ENOTFOUND`.
 */
async function listenAddress(host: string): Promise<string> {
  if (isIP(host) !== 0) return host;
  return (await dns().lookup(host)).address;
}

/**
 * Get an available TCP port (or UDP, with `protocol: 'udp'`), as get-port 7 does, and lease it: no other process using portlease (same
 * lock directory, `PORTLEASE_DIR`) gets it until this process calls {@link clearLockedPorts} or exits;
 * after a crash the lease is recovered. Nothing here holds the process open.
 *
 * Throws what get-port throws for bad arguments (`TypeError`, `RangeError`, Node's listen errors), and a
 * `PortleaseError` (`RANGE_EXHAUSTED`, `LOCK_DIR_UNSAFE`, `ABORTED`, …) where portlease cannot lease.
 *
 * @example
 * ```ts
 * import getPort, { portNumbers } from 'portlease/get-port';
 *
 * const port = await getPort({ port: portNumbers(3000, 3100) });
 * server.listen(port);
 * ```
 */
export default async function getPort(options?: Options): Promise<number> {
  const { reserve: _reserve, ...listenOptions } = options ?? {};
  const ports = portSequence(options?.port);
  const exclude = options ? excludedPorts(options.exclude) : new Set<unknown>();

  const host = listenOptions.host;
  const base: LeaseOptions = { owner: ownerLabel() };
  const hosts = host ? undefined : localHosts();
  if (hosts) base.hosts = hosts;
  if (listenOptions.signal) base.signal = listenOptions.signal;
  if (options?.protocol !== undefined) base.protocol = options.protocol;
  // Checked at the first port tried, not before: get-port reports a bad `port` value before a bad host.
  let hostChecked = !host;

  for (const value of ports) {
    if (exclude.has(value)) continue;
    const port = preferredPort(value, listenOptions);
    if (!hostChecked && host) {
      await checkHost(listenOptions);
      base.hosts = [await listenAddress(host)];
      hostChecked = true;
    }
    if (port === 0) {
      // get-port binds port 0 here; portlease leases from its default range instead, honouring exclude.
      const lease = await leasePort({ ...base, exclude: validPorts(exclude) });
      return keep(lease);
    }
    // leasePort refuses ranges below 1024 (privileged ports); get-port returns another port when it
    // cannot bind a preferred one, so such a preference is skipped, never an error.
    if (port < 1024) continue;
    try {
      return keep(await leasePort({ ...base, range: [port, port] }));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'RANGE_EXHAUSTED') throw error;
    }
  }
  // Reached only when `exclude` holds 0, get-port's way to forbid its random fallback.
  throw new Error('No available ports found');
}

function keep(lease: PortLease): number {
  leases().add(lease);
  return lease.port;
}

/** The excluded values portlease can take (get-port accepts any safe integer, e.g. 0 or 70000). */
function validPorts(exclude: Set<unknown>): number[] {
  return [...exclude].filter((p): p is number => typeof p === 'number' && p >= 1 && p <= 65_535);
}

/**
 * Releases every port this module leased in this process (every copy of it, ESM and CJS), so other
 * processes and later calls may get them again; as get-port's `clearLockedPorts`, including reserved
 * ports.
 *
 * @example
 * ```ts
 * import getPort, { clearLockedPorts } from 'portlease/get-port';
 *
 * const port = await getPort({ port: 3000 }); // 3000, if free
 * clearLockedPorts();
 * await getPort({ port: 3000 }); // 3000 again
 * ```
 */
export function clearLockedPorts(): void {
  const held = leases();
  for (const lease of [...held]) {
    held.delete(lease);
    try {
      lease.releaseSync();
    } catch (error) {
      // get-port's clearLockedPorts never throws, and callers do not expect it to. The lease counts as
      // released and portlease retries the removal before the next allocation and at exit; say so.
      process.emitWarning(
        `portlease/get-port: port ${lease.port} is released but its record could not be removed yet (${(error as Error).message}); portlease retries before the next allocation and at exit.`,
        { code: 'PORTLEASE_RELEASE_DEFERRED' },
      );
    }
  }
}
