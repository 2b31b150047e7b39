import { withErrorContext } from '../options/errors.js';
import { scopedIfSticky } from '../options/owner-label.js';
import type { LeaseOptions } from '../options/resolve.js';
import { settleAll } from '../settle.js';
import { leasePorts } from './allocator.js';
import type { PortLease } from './lease.js';

/**
 * What an adapter asks of {@link leaseNamedPorts}: `count` ports (default one per name), the first
 * `names.length` of them named in order, each sticky name under `stickyName(name)`.
 */
export interface NamedPortsRequest {
  /** The ports' names, in lease order. */
  names: readonly string[];
  /** How many ports in all (at least `names.length`); the rest are unnamed. Default `names.length`. */
  count?: number;
  /** The names whose ports are sticky (from the adapter's `sticky` option, see `stickyPorts`). */
  sticky?: ReadonlySet<string>;
  /** The sticky name of a port name, e.g. per test file. Default: the name itself. */
  stickyName?: (name: string) => string;
  /** The shared lease options (range, lockDir, exclude, hosts, protocol, stickyScope): no `sticky`, no `owner`. */
  lease: Omit<LeaseOptions, 'sticky' | 'owner'>;
  /** One owner label for every port, or a label per port made from its name (`undefined` when unnamed). */
  owner: string | ((name: string | undefined) => string);
  /** Put in front of a failure's message, e.g. `@portlease/jest could not lease 2 port(s) for a.test.js`. */
  context?: string;
}

/** The leases of {@link leaseNamedPorts}, in order, with their ports by name. */
export interface NamedPorts {
  readonly leases: readonly PortLease[];
  readonly ports: readonly number[];
  readonly named: Readonly<Record<string, number>>;
  /**
   * Releases every lease: each is tried even when one fails, and the first failure is thrown after
   * (`LOCK_DIR_UNWRITABLE`, …; the lease still counts as released). Idempotent.
   */
  release(): Promise<void>;
}

/**
 * Leases an adapter's named ports in one all-or-nothing `leasePorts` call: per-port owner labels and
 * sticky names, `stickyScope` only where a port is sticky, and a failure rethrown with `context` (if
 * given) in front, code and details kept. Every adapter leases its named ports through this one function.
 *
 * @example
 * ```ts
 * const { named, leases } = await leaseNamedPorts({
 *   names: ['api', 'web'], sticky: new Set(['web']), lease: { range: [20000, 29999] },
 *   owner: (name) => `vitest ${name}`, context: 'portlease() could not lease the run-wide ports api, web',
 * });
 * ```
 */
export async function leaseNamedPorts(request: NamedPortsRequest): Promise<NamedPorts> {
  const { names, count = names.length, sticky, stickyName = (name) => name, owner } = request;
  if (count === 0) return { leases: [], ports: [], named: {}, release: async () => {} };
  const nameAt = (index: number) => names[index];
  const perPort =
    typeof owner === 'string' ? owner : Array.from({ length: count }, (_, i) => owner(nameAt(i)));
  const stickyNames = Array.from({ length: count }, (_, i) => {
    const name = nameAt(i);
    return name !== undefined && sticky?.has(name) ? stickyName(name) : undefined;
  });
  const options = scopedIfSticky({
    ...request.lease,
    owner: perPort,
    ...(stickyNames.some((name) => name !== undefined) ? { sticky: stickyNames } : {}),
  });
  const lease = () => leasePorts(count, options);
  const leases = await (request.context === undefined ? lease() : withErrorContext(request.context, lease));
  const ports = leases.map((lease) => lease.port);
  const named: Record<string, number> = {};
  names.forEach((name, i) => {
    if (ports[i] !== undefined) named[name] = ports[i];
  });
  return { leases, ports, named, release: () => settleAll(leases.map((lease) => lease.release())) };
}
