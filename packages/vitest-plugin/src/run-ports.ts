import { leasePort, leasePorts, type PortLease, PortleaseError } from 'portlease';
import { type PortleaseVitestOptions, scopedIfSticky, stickyNames, toLeaseOptions } from './options.js';

/** Named ports leased in Vitest's main process, released together. */
export interface RunPorts {
  /** Port by name, as provided to the tests. */
  readonly ports: Readonly<Record<string, number>>;
  /** Releases every port; idempotent. */
  release(): Promise<void>;
}

/**
 * Leases one port per name, all or nothing (what was taken is released on failure). A failure is
 * rethrown as a PortleaseError of the same code and details whose message also says which plugin and
 * names it was for, so a failing Vitest start explains itself.
 */
export async function leaseRunPorts(options: PortleaseVitestOptions, where: string): Promise<RunPorts> {
  const names = options.ports ?? [];
  if (names.length === 0) return { ports: {}, release: async () => {} };
  const prefix = options.owner ?? 'vitest';
  const sticky = stickyNames(options.sticky, names, where);
  const stickyOf = (name: string) => (sticky.has(name) ? { sticky: name } : {});
  let leases: PortLease[] = [];
  try {
    // One lease per name, so `npx portlease list` shows which port is which.
    for (const name of names) {
      const lease = { ...toLeaseOptions(options, `${prefix} ${name}`), ...stickyOf(name) };
      leases.push(await leasePort(scopedIfSticky(lease)));
    }
  } catch (error) {
    const taken = leases.length;
    for (const lease of leases) lease.releaseSync();
    leases = [];
    if (!(error instanceof PortleaseError)) throw error;
    let failure = error;
    if (error.code === 'RANGE_EXHAUSTED' && taken > 0) {
      // That error counts this run's own first ports as live holders. Asking for all names in one
      // call gets the verdict (and message) about the range and the other holders only; should the
      // range have freed up meanwhile, the ports are taken under one label for all names.
      try {
        const retry = toLeaseOptions(options, `${prefix} ${names.join(',')}`);
        if (sticky.size > 0) retry.sticky = names.map((name) => (sticky.has(name) ? name : undefined));
        leases = await leasePorts(names.length, scopedIfSticky(retry));
      } catch (retry) {
        if (!(retry instanceof PortleaseError)) throw retry;
        failure = retry;
      }
    }
    if (leases.length === 0) {
      throw failure.withContext(`${where} could not lease the run-wide ports ${names.join(', ')}`);
    }
  }
  const ports: Record<string, number> = {};
  names.forEach((name, index) => {
    ports[name] = (leases[index] as PortLease).port;
  });
  return {
    ports,
    async release() {
      for (const lease of leases) lease.releaseSync();
    },
  };
}
