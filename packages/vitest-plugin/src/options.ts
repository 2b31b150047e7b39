import { checkLeaseFields, invalidOption, type LeaseOptions } from 'portlease';

/**
 * Options of the {@link portlease} plugin, of the `@portlease/vitest/global-setup` module (given as
 * `test.provide.portleaseOptions`), and of the worker fixtures. Everything must survive
 * `structuredClone`: Vitest passes it to the test workers.
 *
 * @example
 * ```ts
 * portlease({ ports: ['api', 'web'], range: [20000, 29999] });
 * ```
 */
export interface PortleaseVitestOptions {
  /**
   * Names of the run-wide ports to lease once in Vitest's main process, e.g. `['api', 'web']`. Tests
   * read them with `inject('portlease')` (`{ api: 20417, web: 20418 }`).
   */
  ports?: readonly string[];
  /** Inclusive `[min, max]` to take ports from. Default: `PORTLEASE_RANGE`, else portlease's default. */
  range?: readonly [number, number];
  /**
   * The lock directory shared by everything that must not get the same port. Default: `PORTLEASE_DIR`,
   * else portlease's per-user default (so two Vitest processes of one user never collide).
   */
  lockDir?: string;
  /** Ports never to hand out. */
  exclude?: readonly number[];
  /** Addresses probed before a port is handed out. Default: portlease's (`::`, `0.0.0.0`, loopback). */
  hosts?: readonly string[];
  /** Label prefix of the lease records, shown by `npx portlease list`. Default `"vitest"`. */
  owner?: string;
}

/** The keys of {@link PortleaseVitestOptions}; the `satisfies` line stops compiling if the type gains one. */
const OPTION_KEYS = ['ports', 'range', 'lockDir', 'exclude', 'hosts', 'owner'] as const;
true satisfies Exclude<keyof PortleaseVitestOptions, (typeof OPTION_KEYS)[number]> extends never
  ? true
  : false;

/** The keys of the lease options the fixtures take (`leasePort(options)`, `leaseOptions`). */
export const LEASE_KEYS = ['range', 'lockDir', 'exclude', 'hosts', 'owner'] as const;

/**
 * Checks options found at `path` (`portlease() options`, `test.provide.portleaseOptions`): every key
 * known (a misspelt one names the closest), every value of the right type, the range a valid
 * `[min, max]`. Errors are `INVALID_OPTIONS` naming the option's path.
 */
export function checkOptions(options: unknown, path: string): PortleaseVitestOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption(
      path,
      `must be an object such as { ports: ['api'] }, got ${JSON.stringify(options)}.`,
    );
  }
  checkLeaseOptions(options, path, OPTION_KEYS);
  const { ports } = options as PortleaseVitestOptions;
  if (ports !== undefined) {
    if (!Array.isArray(ports)) {
      throw invalidOption(
        `${path}.ports`,
        `must be an array of names such as ['api', 'web'], got ${JSON.stringify(ports)}.`,
      );
    }
    const seen = new Set<string>();
    for (const name of ports) {
      if (typeof name !== 'string' || name.trim() === '') {
        throw invalidOption(`${path}.ports`, `must hold non-empty strings, got ${JSON.stringify(name)}.`);
      }
      if (seen.has(name)) {
        throw invalidOption(`${path}.ports`, `names ${JSON.stringify(name)} twice; names must be unique.`);
      }
      seen.add(name);
    }
  }
  return options as PortleaseVitestOptions;
}

/**
 * Checks lease options (range, lockDir, exclude, hosts, owner) found at `path`, whose keys must be
 * among `known`.
 */
export function checkLeaseOptions(
  options: object,
  path: string,
  known: readonly string[] = LEASE_KEYS,
): void {
  checkLeaseFields(options, path, known);
}

/** The lease options (lock directory, range, exclusions, hosts) the options describe. */
export function toLeaseOptions(options: PortleaseVitestOptions, owner: string): LeaseOptions {
  const lease: LeaseOptions = { owner };
  if (options.range !== undefined) lease.range = options.range;
  if (options.lockDir !== undefined) lease.lockDir = options.lockDir;
  if (options.exclude !== undefined) lease.exclude = options.exclude;
  if (options.hosts !== undefined) lease.hosts = options.hosts;
  return lease;
}

/** A plain, structured-clonable copy for `provide` (drops anything Vitest could not send). */
export function toProvided(options: PortleaseVitestOptions): PortleaseVitestOptions {
  const copy: PortleaseVitestOptions = {};
  if (options.ports !== undefined) copy.ports = [...options.ports];
  if (options.range !== undefined) copy.range = [options.range[0], options.range[1]];
  if (options.lockDir !== undefined) copy.lockDir = options.lockDir;
  if (options.exclude !== undefined) copy.exclude = [...options.exclude];
  if (options.hosts !== undefined) copy.hosts = [...options.hosts];
  if (options.owner !== undefined) copy.owner = options.owner;
  return copy;
}
