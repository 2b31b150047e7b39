import type { LeaseOptions } from 'portlease';
import {
  ADAPTER_LEASE_KEYS,
  checkPortNames,
  checkLeaseOptions as checkSchema,
  leaseFieldsOf,
  stickyPorts,
} from 'portlease/adapter';

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

/** The keys of {@link PortleaseVitestOptions}: core's lease keys plus `ports`; stops compiling if the type gains one. */
true satisfies Exclude<
  keyof PortleaseVitestOptions,
  (typeof ADAPTER_LEASE_KEYS)[number] | 'ports'
> extends never
  ? true
  : false;

/** The keys of the `leaseOptions` fixture: lease options shared by every lease of a worker (no sticky name). */
const WORKER_LEASE_KEYS = ADAPTER_LEASE_KEYS.filter((key) => key !== 'sticky');

/**
 * Checks options found at `path` (`portlease() options`, `test.provide.portleaseOptions`) with core's
 * schema, `sticky` as `true` or port names, plus this plugin's `ports`. Errors are `INVALID_OPTIONS`
 * naming the option's path.
 */
export function checkOptions(options: unknown, path: string): PortleaseVitestOptions {
  checkSchema(options, path, { own: ['ports'], sticky: 'names', example: "{ ports: ['api'] }" });
  const { ports, sticky } = (options ?? {}) as PortleaseVitestOptions;
  if (ports !== undefined) stickyNames(sticky, checkPortNames(ports, `${path}.ports`), path);
  return (options ?? {}) as PortleaseVitestOptions;
}

/** The names of `ports` that `sticky` makes sticky (each listed name must be a port name). */
export function stickyNames(
  sticky: PortleaseVitestOptions['sticky'],
  ports: readonly string[],
  path: string,
): ReadonlySet<string> {
  return stickyPorts(sticky, ports, path, 'ports');
}

/**
 * Checks lease options found at `path` in a fixture: the worker's `leaseOptions`, or (with `sticky`)
 * the options of one `leasePort()` call, where `sticky` is one name.
 */
export function checkLeaseOptions(options: object, path: string, { sticky = false } = {}): void {
  checkSchema(options, path, sticky ? { sticky: 'name' } : { lease: WORKER_LEASE_KEYS });
}

/** The lease options the plugin options describe: every lease key but `sticky` and `owner` (each lease labels its own). */
export function toLeaseOptions(options: PortleaseVitestOptions): Omit<LeaseOptions, 'owner' | 'sticky'> {
  const { owner: _owner, ...lease } = leaseFieldsOf(options as Record<string, unknown>);
  return lease as Omit<LeaseOptions, 'owner' | 'sticky'>;
}

/** A plain, structured-clonable copy for `provide` (drops anything Vitest could not send). */
export function toProvided(options: PortleaseVitestOptions): PortleaseVitestOptions {
  const copy: Record<string, unknown> = {};
  for (const key of ['ports', ...ADAPTER_LEASE_KEYS] as const) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) copy[key] = Array.isArray(value) ? [...value] : value;
  }
  return copy as PortleaseVitestOptions;
}
