import {
  assertKnownKeys,
  invalidOption,
  type LeaseOptions,
  PortleaseError,
  parseRange,
  START_SERVER_OPTION_KEYS,
  type StartServerOptions,
  validateRange,
} from 'portlease';

/** Most ports one test file or one global setup may lease. */
export const MAX_COUNT = 100;

/**
 * What to lease: how many ports, which names, and with which lease options. Shared by the per-file
 * options and the global ones.
 *
 * @example
 * ```js
 * { count: 3, names: ['api', 'web'], range: [20000, 29999] } // api, web and one unnamed port
 * ```
 */
export interface PortleaseLeaseOptions {
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
  /**
   * What project the sticky names belong to. Default: `PORTLEASE_STICKY_SCOPE`, else the nearest
   * directory at or above the working directory holding a `package.json` (else `.git`, else the
   * directory itself).
   */
  stickyScope?: string;
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
  /** Sticky names as given (type checked; whether each is a name is checked by {@link stickyOf}). */
  sticky: true | readonly string[] | undefined;
  lease: LeaseOptions;
}

const LEASE_KEYS = ['count', 'names', 'range', 'lockDir', 'exclude', 'owner', 'sticky', 'stickyScope'];

/** The keys of a global server's options: startServer's, less the two global setup sets itself. */
type ServerKey = Exclude<(typeof START_SERVER_OPTION_KEYS)[number], 'port' | 'lease'>;
const SERVER_KEYS = START_SERVER_OPTION_KEYS.filter(
  (key): key is ServerKey => key !== 'port' && key !== 'lease',
);
true satisfies Exclude<keyof GlobalServerOptions, ServerKey | 'port' | 'lease'> extends never ? true : false;

/**
 * A core error with where it came from put in front (`@portlease/jest global setup: …`), code and
 * details kept; anything else unchanged.
 */
export function withContext(error: unknown, where: string): unknown {
  return error instanceof PortleaseError ? error.withContext(where) : error;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `[min, max]` through core's tuple validator, `"min-max"` through its parser; both name the option. */
function checkRange(range: unknown, path: string): [number, number] {
  if (typeof range === 'string') return parseRange(range, path);
  if (Array.isArray(range)) return validateRange(range, path);
  throw invalidOption(
    path,
    `must be [min, max] or "min-max", e.g. [20000, 29999], got ${JSON.stringify(range)}.`,
  );
}

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
  if (!isPlainObject(raw)) {
    throw invalidOption(
      where,
      `must be an object such as { count: 2 } or { names: ['api', 'web'] }, got ${JSON.stringify(raw)}.`,
    );
  }
  assertKnownKeys(raw, [...LEASE_KEYS, ...extraKeys], where);

  const names = raw.names ?? [];
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && n !== '')) {
    throw invalidOption(
      `${where}.names`,
      `must be an array of non-empty strings, e.g. ['api', 'web'], got ${JSON.stringify(raw.names)}.`,
    );
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined)
    throw invalidOption(`${where}.names`, `lists ${JSON.stringify(duplicate)} twice; names must be unique.`);

  const count = raw.count ?? (names.length > 0 ? names.length : defaultCount);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw invalidOption(
      `${where}.count`,
      `must be a whole number from 0 to ${MAX_COUNT} (how many ports to lease), got ${JSON.stringify(raw.count)}. Example: { portlease: { count: 2 } }.`,
    );
  }
  if (count < names.length) {
    throw invalidOption(
      `${where}.count`,
      `is ${count} but names lists ${names.length}; drop count or raise it to at least ${names.length}.`,
    );
  }

  const lease: LeaseOptions = {};
  if (raw.range !== undefined) lease.range = checkRange(raw.range, `${where}.range`);
  if (raw.lockDir !== undefined) {
    if (typeof raw.lockDir !== 'string' || raw.lockDir === '')
      throw invalidOption(
        `${where}.lockDir`,
        `must be a non-empty path, got ${JSON.stringify(raw.lockDir)}.`,
      );
    lease.lockDir = raw.lockDir;
  }
  if (raw.exclude !== undefined) {
    if (!Array.isArray(raw.exclude) || !raw.exclude.every((p) => Number.isInteger(p))) {
      throw invalidOption(
        `${where}.exclude`,
        `must be an array of port numbers, e.g. [3000, 8080], got ${JSON.stringify(raw.exclude)}.`,
      );
    }
    lease.exclude = raw.exclude as number[];
  }
  if (raw.owner !== undefined) {
    if (typeof raw.owner !== 'string') {
      throw invalidOption(`${where}.owner`, `must be a string label, got ${JSON.stringify(raw.owner)}.`);
    }
    lease.owner = raw.owner;
  }
  const sticky = raw.sticky;
  if (
    sticky !== undefined &&
    typeof sticky !== 'boolean' &&
    !(Array.isArray(sticky) && sticky.every((n) => typeof n === 'string' && n !== ''))
  ) {
    throw invalidOption(
      `${where}.sticky`,
      `must be true, false or an array of names such as ['api'], got ${JSON.stringify(sticky)}.`,
    );
  }
  if (raw.stickyScope !== undefined) {
    if (typeof raw.stickyScope !== 'string' || raw.stickyScope === '') {
      throw invalidOption(
        `${where}.stickyScope`,
        `must be a non-empty string naming the project, got ${JSON.stringify(raw.stickyScope)}.`,
      );
    }
    lease.stickyScope = raw.stickyScope;
  }
  return {
    count,
    names: [...names] as string[],
    sticky: sticky === true ? true : Array.isArray(sticky) ? [...sticky] : undefined,
    lease,
  };
}

/**
 * Which of `names` the plan makes sticky; every name `sticky` lists must be one of them (a typo is
 * reported, never silently a plain lease).
 */
export function stickyOf(plan: LeasePlan, names: readonly string[], where: string): ReadonlySet<string> {
  if (plan.sticky === undefined) return new Set();
  if (plan.sticky === true) return new Set(names);
  for (const name of plan.sticky) {
    if (!names.includes(name)) {
      throw invalidOption(
        `${where}.sticky`,
        `lists ${JSON.stringify(name)}, which is not a name here (${names.map((n) => JSON.stringify(n)).join(', ') || 'none'}); add it to names or drop it from sticky.`,
      );
    }
  }
  return new Set(plan.sticky);
}

/** Validates `servers` of the global options. */
export function checkServers(raw: unknown, where: string): Record<string, GlobalServerOptions> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) {
    throw invalidOption(
      `${where}.servers`,
      `must map names to startServer options, e.g. { api: { command: ['node', 'server.js'] } }.`,
    );
  }
  for (const [name, server] of Object.entries(raw)) {
    const path = `${where}.servers.${name}`;
    if (!isPlainObject(server) || (server.command === undefined && server.start === undefined)) {
      throw invalidOption(path, "needs a command (e.g. ['node', 'server.js']) or a start function.");
    }
    for (const key of ['port', 'lease']) {
      if (key in server) {
        throw invalidOption(`${path}.${key}`, "is not allowed: global setup leases the server's port.");
      }
    }
    assertKnownKeys(server, SERVER_KEYS, path);
  }
  return raw as Record<string, GlobalServerOptions>;
}

/** Applies a plan's names to leased ports. */
export function nameThem(names: readonly string[], ports: readonly number[]): Record<string, number> {
  const named: Record<string, number> = {};
  names.forEach((name, i) => {
    const found = ports[i];
    if (found !== undefined) named[name] = found;
  });
  return named;
}
