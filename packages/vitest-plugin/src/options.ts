import { assertKnownKeys, checkLeaseFields, invalidOption, type LeaseOptions } from 'portlease';

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
  /**
   * Run-wide ports that keep their number run after run: `true` for every name of `ports`, or the
   * names that should (`['web']`). Each is sticky under its own name, within `stickyScope`: the port
   * it last held in this lock directory, else one derived from the name and project; another port
   * when that one is taken (never a wait). Default `false`.
   */
  sticky?: boolean | readonly string[];
  /**
   * What project the sticky names belong to. Default: `PORTLEASE_STICKY_SCOPE`, else the nearest
   * directory at or above the working directory holding a `package.json` (else `.git`, else the
   * directory itself). Also the scope of `leasePort({ sticky })` in the fixtures.
   */
  stickyScope?: string;
}

/** The keys of {@link PortleaseVitestOptions}; the `satisfies` line stops compiling if the type gains one. */
const OPTION_KEYS = [
  'ports',
  'range',
  'lockDir',
  'exclude',
  'hosts',
  'owner',
  'sticky',
  'stickyScope',
] as const;
true satisfies Exclude<keyof PortleaseVitestOptions, (typeof OPTION_KEYS)[number]> extends never
  ? true
  : false;

/** The keys of the `leaseOptions` fixture: lease options shared by every lease of a worker. */
export const LEASE_KEYS = ['range', 'lockDir', 'exclude', 'hosts', 'owner', 'stickyScope'] as const;
/**
 * The keys of `leasePort(options)`: those plus a sticky name, which belongs to one lease (shared by
 * every lease of a worker, one name would have many holders at once).
 */
export const LEASE_PORT_KEYS = [...LEASE_KEYS, 'sticky'] as const;

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
  // `sticky` is the plugin's own (true or names), not core's one name: checked below.
  assertKnownKeys(options, OPTION_KEYS, path);
  const { sticky: _own, ...leaseFields } = options as Record<string, unknown>;
  checkLeaseOptions(leaseFields, path, OPTION_KEYS);
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
  const { sticky } = options as PortleaseVitestOptions;
  if (sticky !== undefined && typeof sticky !== 'boolean') {
    if (!Array.isArray(sticky) || !sticky.every((name) => typeof name === 'string' && name !== '')) {
      throw invalidOption(
        `${path}.sticky`,
        `must be true, false or an array of port names such as ['web'], got ${JSON.stringify(sticky)}.`,
      );
    }
    if (ports !== undefined) stickyNames(sticky, ports, path);
  }
  return options as PortleaseVitestOptions;
}

/**
 * The names of `ports` that `sticky` makes sticky (checked: each listed name is a port name, so a typo
 * is reported, never silently a plain lease).
 */
export function stickyNames(
  sticky: PortleaseVitestOptions['sticky'],
  ports: readonly string[],
  path: string,
): ReadonlySet<string> {
  if (sticky === undefined || sticky === false) return new Set();
  if (sticky === true) return new Set(ports);
  for (const name of sticky) {
    if (!ports.includes(name)) {
      throw invalidOption(
        `${path}.sticky`,
        `names ${JSON.stringify(name)}, which is not one of the ports (${ports.join(', ') || 'none'}); add it to ports or drop it from sticky.`,
      );
    }
  }
  return new Set(sticky);
}

/**
 * Checks lease options (range, lockDir, exclude, hosts, owner, sticky, stickyScope) found at `path`,
 * whose keys must be among `known`.
 */
export function checkLeaseOptions(
  options: object,
  path: string,
  known: readonly string[] = LEASE_KEYS,
): void {
  checkLeaseFields(options, path, known);
  // Core accepts `true` where an adapter names the port; leasePort() has no name to give it.
  const { sticky } = options as Record<string, unknown>;
  if (typeof sticky === 'boolean' || sticky === '') {
    throw invalidOption(
      `${path}.sticky`,
      `must be a sticky name such as 'web', got ${JSON.stringify(sticky)}.`,
    );
  }
}

/** The lease options (lock directory, range, exclusions, hosts) the options describe. */
export function toLeaseOptions(options: PortleaseVitestOptions, owner: string): LeaseOptions {
  const lease: LeaseOptions = { owner };
  if (options.range !== undefined) lease.range = options.range;
  if (options.lockDir !== undefined) lease.lockDir = options.lockDir;
  if (options.exclude !== undefined) lease.exclude = options.exclude;
  if (options.hosts !== undefined) lease.hosts = options.hosts;
  if (options.stickyScope !== undefined) lease.stickyScope = options.stickyScope;
  return lease;
}

/**
 * Lease options for core with `stickyScope` only where the lease is sticky: a scope alone means
 * nothing to a plain lease, so the plugin-wide scope rides along to `leasePort({ sticky })` only.
 */
export function scopedIfSticky<T extends LeaseOptions>(options: T): T {
  if (options.sticky !== undefined || options.stickyScope === undefined) return options;
  const { stickyScope: _unused, ...plain } = options;
  return plain as T;
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
  if (options.sticky !== undefined)
    copy.sticky = typeof options.sticky === 'boolean' ? options.sticky : [...options.sticky];
  if (options.stickyScope !== undefined) copy.stickyScope = options.stickyScope;
  return copy;
}
