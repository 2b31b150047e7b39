import { leaseNamedPorts } from 'portlease/adapter';
import { type PortleaseVitestOptions, stickyNames, toLeaseOptions } from './options.js';

/** Named ports leased in Vitest's main process, released together. */
export interface RunPorts {
  /** Port by name, as provided to the tests. */
  readonly ports: Readonly<Record<string, number>>;
  /** Releases every port; idempotent. */
  release(): Promise<void>;
}

/**
 * Leases one port per name, all or nothing, each under its own label (`<owner> <name>`, so
 * `npx portlease list` shows which port is which) and, where `sticky` says so, its own sticky name.
 * A failure keeps its code and says which plugin and names it was for.
 */
export async function leaseRunPorts(options: PortleaseVitestOptions, where: string): Promise<RunPorts> {
  const names = options.ports ?? [];
  if (names.length === 0) return { ports: {}, release: async () => {} };
  const prefix = options.owner ?? 'vitest';
  const { named, release } = await leaseNamedPorts({
    names,
    sticky: stickyNames(options.sticky, names, where),
    lease: toLeaseOptions(options),
    owner: (name) => `${prefix} ${name}`,
    context: `${where} could not lease the run-wide ports ${names.join(', ')}`,
  });
  return { ports: named, release };
}
