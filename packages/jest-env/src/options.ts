import { type LeaseOptions, parseRange, type StartServerOptions } from 'portlease';
import {
  type ADAPTER_LEASE_KEYS,
  checkLeaseOptions,
  checkNamedServerOptions,
  checkPortNames,
  invalidOption,
  leaseFieldsOf,
} from 'portlease/adapter';

/** Most ports one test file or one global setup may lease. */
export const MAX_COUNT = 100;

/**
 * What to lease: how many ports, which names, and with which lease options. Shared by the per-file
 * options and the global ones. `hosts` and `stickyScope` are core's ({@link LeaseOptions}).
 *
 * @example
 * ```js
 * { count: 3, names: ['api', 'web'], range: [20000, 29999] } // api, web and one unnamed port
 * ```
 */
export interface PortleaseLeaseOptions extends Pick<LeaseOptions, 'hosts' | 'stickyScope'> {
  /**
   * How many ports to lease. Default: one per name if `names` is given, else 1 for a test file and 0
   * for global setup. `0` leases none. With `names`, at least `names.length`.
   */
  count?: number;
  /** Names for the ports, in order: `port('api')` in tests, `globalPort('api')` for global setup. */
  names?: readonly string[];
  /** Inclusive `[min, max]` (or `"20000-29999"`) to take ports from. Default: `PORTLEASE_RANGE`, else core's default. */
  range?: readonly [number, number] | string;
  /** The lock directory. Default: `PORTLEASE_DIR`, else core's default. Runs share ports safely only if they share it. */
  lockDir?: string;
  /** Ports never to hand out. */
  exclude?: readonly number[];
  /** Label of the lease records (`npx portlease list`). Default: `jest <test file> [worker <id>]`. */
  owner?: string;
  /**
   * Named ports that keep their number run after run: `true` for every name, or the names that
   * should (`['api']`; for global setup also `servers` keys). A preference: another port when that
   * one is taken, never a wait. A test file's names are sticky per file (`<file>:<name>`, since files
   * run at once and each has its own `api`); global setup's under the name itself. Default `false`.
   */
  sticky?: boolean | readonly string[];
}

/**
 * A suite-wide server started by global setup with core's `startServer` on its own leased port: its
 * options less `port` and `lease` (global setup leases the port, with the global options' range,
 * lockDir and exclude).
 *
 * @example
 * ```js
 * { command: ['node', 'server.js', '--port', '{port}'], env: { LOG: 'quiet' }, readyTimeout: 10_000 }
 * ```
 */
export type GlobalServerOptions = Omit<StartServerOptions, 'port' | 'lease'> & {
  port?: never;
  lease?: never;
};

/**
 * Options of `@portlease/jest/global-setup`: `testEnvironmentOptions.portlease.global` in the Jest
 * config, or the argument of `createGlobalSetup`.
 *
 * @example
 * ```js
 * // jest.config.js
 * testEnvironmentOptions: { portlease: { global: { names: ['db'], servers: { api: { command: ['node', 'server.js'] } } } } }
 * ```
 */
export interface PortleaseGlobalOptions extends PortleaseLeaseOptions {
  /**
   * Servers to start before the workers fork, each on its own leased port given as `$PORT` (and for
   * `{port}` in the command). Named by key: `globalPort('api')`, `globalUrl('api')`. `cwd` defaults to
   * the project's rootDir.
   */
  servers?: Readonly<Record<string, GlobalServerOptions>>;
}

/**
 * `testEnvironmentOptions.portlease`: what the environment leases for each test file. A test file's
 * `@jest-environment-options {"portlease": {…}}` docblock replaces it for that file.
 *
 * @example
 * ```js
 * // jest.config.js
 * module.exports = { testEnvironment: '@portlease/jest', testEnvironmentOptions: { portlease: { names: ['api', 'web'] } } };
 * ```
 */
export interface PortleaseEnvironmentOptions extends PortleaseLeaseOptions {
  /** What `@portlease/jest/global-setup` leases and starts for the whole run (read in Jest's parent process). */
  global?: PortleaseGlobalOptions;
}

/** Validated lease plan. */
export interface LeasePlan {
  count: number;
  names: string[];
  /** Sticky names as given (type checked; whether each is a name is checked by core's `stickyPorts`). */
  sticky: true | readonly string[] | undefined;
  lease: LeaseOptions;
}

/** The option keys of {@link PortleaseLeaseOptions}: core's lease keys plus `count` and `names`. */
true satisfies Exclude<
  keyof PortleaseLeaseOptions,
  (typeof ADAPTER_LEASE_KEYS)[number] | 'count' | 'names'
> extends never
  ? true
  : false;

/**
 * Validates the lease part of the options at `where` (e.g. `testEnvironmentOptions.portlease`).
 * `extraKeys` are further keys allowed there (validated by the caller).
 */
export function planLeases(
  raw: unknown,
  where: string,
  defaultCount: number,
  extraKeys: readonly string[] = [],
): LeasePlan {
  if (raw === undefined || raw === null)
    return { count: defaultCount, names: [], sticky: undefined, lease: {} };
  checkLeaseOptions(raw, where, {
    own: ['count', 'names', ...extraKeys],
    sticky: 'names',
    rangeText: true,
    example: "{ count: 2 } or { names: ['api', 'web'] }",
  });
  const options = raw as Record<string, unknown>;
  const names = options.names === undefined ? [] : checkPortNames(options.names, `${where}.names`);
  const count = options.count ?? (names.length > 0 ? names.length : defaultCount);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw invalidOption(
      `${where}.count`,
      `must be a whole number from 0 to ${MAX_COUNT} (how many ports to lease), got ${JSON.stringify(options.count)}. Example: { portlease: { count: 2 } }.`,
    );
  }
  if (count < names.length) {
    throw invalidOption(
      `${where}.count`,
      `is ${count} but names lists ${names.length}; drop count or raise it to at least ${names.length}.`,
    );
  }

  const lease = leaseFieldsOf(options) as LeaseOptions;
  // Jest's JSON docblocks may give the range as text: core takes the tuple.
  if (typeof options.range === 'string') lease.range = parseRange(options.range, `${where}.range`);
  const sticky = options.sticky;
  return {
    count,
    names,
    sticky: sticky === true ? true : Array.isArray(sticky) ? [...sticky] : undefined,
    lease,
  };
}

/** Validates `servers` of the global options: startServer's rules, less what global setup sets. */
export function checkServers(raw: unknown, where: string): Record<string, GlobalServerOptions> {
  const why = "global setup leases the server's port";
  const form = { omit: { port: why, lease: why } };
  return checkNamedServerOptions(raw, `${where}.servers`, form) as Record<string, GlobalServerOptions>;
}
