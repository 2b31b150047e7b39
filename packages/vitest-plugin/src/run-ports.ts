import { leasePorts, type PortLease, PortleaseError } from 'portlease';
import { scopedIfSticky } from 'portlease/adapter';
import { type PortleaseVitestOptions, stickyNames, toLeaseOptions } from './options.js';

/** Named ports leased in Vitest's main process, released together. */
export interface RunPorts {
  /** Port by name, as provided to the tests. */
  readonly ports: Readonly<Record<string, number>>;
  /** Releases every port; idempotent. */
  release(): Promise<void>;
}

/**
 * Leases one port per name in one all-or-nothing `leasePorts` call, each under its own label
 * (`<owner> <name>`, so `npx portlease list` shows which port is which) and, where `sticky` says so,
 * its own sticky name. A failure is rethrown as a PortleaseError of the same code and details whose
 * message also says which plugin and names it was for, so a failing Vitest start explains itself.
 */
export async function leaseRunPorts(options: PortleaseVitestOptions, where: string): Promise<RunPorts> {
  const names = options.ports ?? [];
  if (names.length === 0) return { ports: {}, release: async () => {} };
  const prefix = options.owner ?? 'vitest';
  const sticky = stickyNames(options.sticky, names, where);
  let leases: PortLease[];
  try {
    leases = await leasePorts(
      names.length,
      scopedIfSticky({
        ...toLeaseOptions(options, prefix),
        owner: names.map((name) => `${prefix} ${name}`),
        ...(sticky.size > 0 ? { sticky: names.map((name) => (sticky.has(name) ? name : undefined)) } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof PortleaseError)) throw error;
    throw error.withContext(`${where} could not lease the run-wide ports ${names.join(', ')}`);
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
