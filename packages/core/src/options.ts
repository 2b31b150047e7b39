import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { basename, resolve, sep } from 'node:path';
import { PortleaseError } from './errors.js';
import { assertKnownKeys, invalidOption } from './option-errors.js';
import { ALL_HOSTS, defaultProbeHosts } from './platform/probe-hosts.js';
import { defaultRange, reservedPorts, UNSAFE_PORTS } from './ports.js';
import { defaultLockDir } from './store/lock-dir.js';

/**
 * Every address a server may listen on: `['::', '0.0.0.0', '127.0.0.1', '::1']`, the default probe
 * set on macOS, Windows and other BSD-style systems. On Linux the default probes fewer addresses that
 * still see a listener on any of these (one dual-stack `::` where IPv6 exists): see the README's
 * "Platforms" section.
 */
export const DEFAULT_HOSTS: readonly string[] = ALL_HOSTS;

/**
 * Options of {@link leasePort} and {@link leasePorts}. Every field is optional; options win over the
 * environment (`PORTLEASE_DIR`, `PORTLEASE_RANGE`).
 *
 * @example
 * ```ts
 * const lease = await leasePort({ range: [20000, 29999], owner: 'api server' });
 * ```
 */
export interface LeaseOptions {
  /**
   * Inclusive `[min, max]` to take ports from. Default: `PORTLEASE_RANGE` (e.g. `20000-29999`), else
   * 10000 up to just below the OS ephemeral range (32767 on a default Linux). Ports 1–1023 are refused.
   */
  range?: readonly [number, number];
  /** Ports never to hand out, on top of the browser-unsafe ports (always excluded). */
  exclude?: Iterable<number>;
  /**
   * Directory the leases are coordinated in. Default: `PORTLEASE_DIR`, else
   * `$XDG_RUNTIME_DIR/portlease`, else on Linux `/dev/shm/portlease-<uid>` (when /dev/shm is a
   * tmpfs), else `<os.tmpdir()>/portlease-<uid>`. Processes (containers, CI shards) share ports safely
   * only when they share this directory. A relative path is resolved once, at the call.
   */
  lockDir?: string;
  /** A label kept in the lease record for diagnostics (`portlease list`), e.g. `"api server"`. */
  owner?: string;
  /**
   * IP addresses of this machine to probe before handing a port out; a port with a listener on any of
   * them is never handed out. Default: on Linux `['::']` (one dual-stack probe sees a listener on any
   * address; `['0.0.0.0']` without IPv6), elsewhere {@link DEFAULT_HOSTS}. A given list is used as
   * given.
   */
  hosts?: readonly string[];
  /** Aborts a pending allocation with a `PortleaseError` of code `ABORTED`. */
  signal?: AbortSignal;
  /**
   * Sticky ports: the same port for the same name of the same project, run after run, while it is
   * free; never shared, never waited for. The preferred port is the one the name last held in this
   * lock directory, else a stable hash of the name and project into the range; when it is held or
   * busy the lease takes another port, and the name moves to that one only after its port was
   * unavailable on 3 leases in a row.
   *
   * leasePort: a name such as `'web'` (letters, digits, `. _ : -`, up to 100). leasePorts: one entry
   * per port, a name or `undefined` (not sticky); or, with `contiguous: true`, one name for the block.
   *
   * @example
   * ```ts
   * const web = await leasePort({ sticky: 'web' });
   * const [api, db] = await leasePorts(2, { sticky: ['api', undefined] });
   * ```
   */
  sticky?: string | readonly (string | undefined)[];
  /**
   * The project sticky names belong to, so two checkouts of one project get different ports. Default:
   * `PORTLEASE_STICKY_SCOPE`, else the nearest directory at or above the working directory holding a
   * `package.json`, else one holding `.git`, else the working directory (real paths). Any string
   * (used as given, not resolved).
   */
  stickyScope?: string;
  /**
   * A name for the lease, kept in its record with its project (the same project as `stickyScope`'s),
   * so that another process finds it with `findLease('api')` or `portlease port api`. Not sticky: a
   * name does not prefer a port (`sticky` names a lease too). leasePorts: one entry per port, or with
   * `contiguous: true` one name for the block's base port.
   *
   * @example
   * ```ts
   * const api = await leasePort({ name: 'api' }); // elsewhere: (await findLease('api'))?.port
   * ```
   */
  name?: string | readonly (string | undefined)[];
  /**
   * leasePorts only: the ports are consecutive, `base` to `base + count - 1`, all or nothing (for
   * programs that take a base port and use the next few). `RANGE_EXHAUSTED` says the longest free run.
   *
   * @example
   * ```ts
   * const [base] = await leasePorts(5, { contiguous: true }); // base.port … base.port + 4
   * ```
   */
  contiguous?: boolean;
}

/** Options after defaults, environment and validation. */
export interface ResolvedOptions {
  min: number;
  max: number;
  excluded: ReadonlySet<number>;
  lockDir: string;
  owner: string;
  hosts: readonly string[];
  signal: AbortSignal | undefined;
}

const MAX_LABEL = 200;

function invalid(message: string): PortleaseError {
  return new PortleaseError('INVALID_OPTIONS', message);
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * Parses `"20000-29999"` (as in `PORTLEASE_RANGE`) into `[20000, 29999]`.
 *
 * @example
 * ```ts
 * parseRange('20000-29999'); //=> [20000, 29999]
 * ```
 */
export function parseRange(text: string, source = 'range'): [number, number] {
  const match = /^\s*(\d{1,5})\s*[-:]\s*(\d{1,5})\s*$/.exec(text);
  if (!match) {
    throw invalid(`${source} must look like "20000-29999" (inclusive min-max), got ${JSON.stringify(text)}.`);
  }
  return validateRange([Number(match[1]), Number(match[2])], source);
}

/**
 * Validates an inclusive `[min, max]` port range given as a tuple; `source` names the option in the
 * error (e.g. `testEnvironmentOptions.portlease.range`). Ports below 1024 are refused.
 *
 * @example
 * ```ts
 * validateRange([20000, 29999], 'range'); //=> [20000, 29999]
 * validateRange([5, 1], 'range'); // throws PortleaseError [INVALID_OPTIONS]
 * ```
 */
export function validateRange(range: unknown, source: string): [number, number] {
  if (!Array.isArray(range) || range.length !== 2) {
    throw invalid(`${source} must be an inclusive [min, max] pair such as [20000, 29999].`);
  }
  const [min, max] = range as unknown[];
  if (!isPort(min) || !isPort(max)) {
    throw invalid(`${source} must hold whole port numbers from 1024 to 65535, got [${min}, ${max}].`);
  }
  if (min > max) throw invalid(`${source} [${min}, ${max}] has min above max; swap them.`);
  if (min < 1024) {
    throw invalid(
      `${source} [${min}, ${max}] reaches below 1024; privileged ports need root and clash with system services. Start at 1024 or above.`,
    );
  }
  return [min, max];
}

const isStrings = (value: unknown): boolean =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');

/**
 * Checks lease options found at `path` in an adapter's configuration, before they reach
 * {@link leasePort}, so that each error names the option as the user wrote it: an object, whose keys
 * are among `known` (the adapter's own keys plus the lease fields it passes on), and whose lease
 * fields (`range`, `lockDir`, `owner`, `exclude`, `hosts`, `sticky` as a name or `true`, `stickyScope`) have the right types.
 *
 * @example
 * ```ts
 * checkLeaseFields(config.portlease, 'use.portlease', ['range', 'lockDir', 'owner', 'exclude', 'hosts']);
 * // PortleaseError [INVALID_OPTIONS] use.portlease has no option "rnage" (did you mean "range"?). …
 * ```
 */
export function checkLeaseFields(
  value: unknown,
  path: string,
  known: readonly string[],
): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      path,
      `must be an object such as { range: [20000, 29999] }, got ${JSON.stringify(value)}.`,
    );
  }
  assertKnownKeys(value, known, path);
  const { range, lockDir, owner, exclude, hosts, sticky, stickyScope } = value as Record<string, unknown>;
  if (range !== undefined) validateRange(range, `${path}.range`);
  if (lockDir !== undefined && (typeof lockDir !== 'string' || lockDir === '')) {
    throw invalidOption(`${path}.lockDir`, `must be a non-empty path, got ${JSON.stringify(lockDir)}.`);
  }
  if (owner !== undefined && typeof owner !== 'string') {
    throw invalidOption(`${path}.owner`, `must be a string label, got ${JSON.stringify(owner)}.`);
  }
  if (exclude !== undefined && !(Array.isArray(exclude) && exclude.every((p) => Number.isInteger(p)))) {
    throw invalidOption(
      `${path}.exclude`,
      `must be an array of port numbers such as [3000, 8080], got ${JSON.stringify(exclude)}.`,
    );
  }
  if (hosts !== undefined && !isStrings(hosts)) {
    throw invalidOption(
      `${path}.hosts`,
      `must be an array of addresses such as ['::', '0.0.0.0'], got ${JSON.stringify(hosts)}.`,
    );
  }
  if (sticky !== undefined && typeof sticky !== 'string' && typeof sticky !== 'boolean') {
    throw invalidOption(
      `${path}.sticky`,
      `must be a name such as 'web' (or true where the adapter names the port), got ${JSON.stringify(sticky)}.`,
    );
  }
  if (stickyScope !== undefined && (typeof stickyScope !== 'string' || stickyScope === '')) {
    throw invalidOption(
      `${path}.stickyScope`,
      `must be a non-empty string naming the project, got ${JSON.stringify(stickyScope)}.`,
    );
  }
}

function checkLabel(owner: unknown): string {
  if (owner === undefined) {
    const script = process.argv[1] ? basename(process.argv[1]) : 'node';
    return `${script} (pid ${process.pid})`;
  }
  if (typeof owner !== 'string') throw invalid(`owner must be a string label, got ${typeof owner}.`);
  return owner.length > MAX_LABEL ? `${owner.slice(0, MAX_LABEL)}…` : owner;
}

let defaultExcludedCache: ReadonlySet<number> | undefined;

/** The unsafe ports plus the kernel's reserved ones: what the default range always skips. */
function defaultExcluded(): ReadonlySet<number> {
  defaultExcludedCache ??= new Set([...UNSAFE_PORTS, ...reservedPorts()]);
  return defaultExcludedCache;
}

/** The option names of {@link LeaseOptions}: any other key is a typo, reported, never ignored. */
const LEASE_OPTION_KEYS = [
  'range',
  'exclude',
  'lockDir',
  'owner',
  'hosts',
  'signal',
  'sticky',
  'stickyScope',
  'contiguous',
  'name',
] as const;

/** Longest path portlease accepts for a lock directory: room is left for `<scope>/<port>/<token>`. */
const MAX_LOCK_DIR_PATH = 3900;
/** Longest name of one path component on the filesystems portlease runs on (NAME_MAX). */
const MAX_NAME_BYTES = 255;

/**
 * Validates a lock directory (an option or `PORTLEASE_DIR`) and resolves it once to an absolute path:
 * a relative one would change meaning after `process.chdir`, and release would miss the record.
 */
export function resolveLockDir(value: unknown, source: string): string {
  if (typeof value !== 'string' || value === '') {
    throw invalidOption(
      source,
      `must be a non-empty path string, got ${value === '' ? '""' : typeof value}.`,
    );
  }
  if (value.includes('\0')) throw invalidOption(source, 'must not contain a NUL byte.');
  const absolute = resolve(value);
  if (absolute.length > MAX_LOCK_DIR_PATH) {
    throw invalidOption(
      source,
      `is ${absolute.length} characters long; use a path under ${MAX_LOCK_DIR_PATH}.`,
    );
  }
  const long = absolute.split(sep).find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES);
  if (long !== undefined) {
    throw invalidOption(
      source,
      `has a name of ${Buffer.byteLength(long)} bytes (${JSON.stringify(`${long.slice(0, 24)}…`)}); file names are limited to ${MAX_NAME_BYTES}.`,
    );
  }
  return absolute;
}

/**
 * The lock directory a call uses: the `lockDir` option, else `PORTLEASE_DIR`, else the default (see
 * default-lock-dir.ts); validated and absolute. `null` means unset, as `??` reads it (documented; the
 * property model relies on it).
 */
export function chooseLockDir(option: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined && option !== null) return resolveLockDir(option, 'lockDir');
  if (env.PORTLEASE_DIR) return resolveLockDir(env.PORTLEASE_DIR, 'PORTLEASE_DIR');
  return resolve(defaultLockDir(env));
}

/** Wildcards and loopback: local on every machine, whatever its interfaces. */
function isAlwaysLocal(host: string): boolean {
  return host === '::' || host === '0.0.0.0' || host === '::1' || /^127\./.test(host);
}

/**
 * Validates `hosts` given by the caller: IP literals only (a name would be resolved by DNS on every
 * probe), and each an address of this machine: probing an address the machine does not have fails
 * with EADDRNOTAVAIL, which the probe must read as "family absent", so probing would silently stop.
 */
function checkHosts(hosts: unknown): readonly string[] {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw invalidOption('hosts', "must be a non-empty array of IP addresses, e.g. ['::', '0.0.0.0'].");
  }
  let local: Set<string> | undefined;
  hosts.forEach((host: unknown, i) => {
    if (typeof host !== 'string' || isIP(host) === 0) {
      throw invalidOption(
        `hosts[${i}]`,
        `must be an IP address such as '127.0.0.1' or '::', got ${JSON.stringify(host)} (host names are not resolved).`,
      );
    }
    if (isAlwaysLocal(host)) return;
    local ??= new Set(
      Object.values(networkInterfaces())
        .flat()
        .map((entry) => entry?.address.replace(/%.*$/, '') ?? ''),
    );
    if (!local.has(host.replace(/%.*$/, ''))) {
      throw invalidOption(
        `hosts[${i}]`,
        `${host} is not an address of this machine, so nothing can listen there and probing it would check nothing. Use one of its addresses, a wildcard ('::', '0.0.0.0') or loopback.`,
      );
    }
  });
  return hosts as string[];
}

/**
 * Applies defaults and the environment to `options` and validates the result. `api` names the
 * function in messages (`leasePorts options has no option "rnage" …`).
 */
export function resolveOptions(
  options: LeaseOptions = {},
  env: NodeJS.ProcessEnv = process.env,
  api = 'leasePort',
): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(
      `${api} options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}.`,
    );
  }
  assertKnownKeys(options, LEASE_OPTION_KEYS, `${api} options`);
  let min: number;
  let max: number;
  if (options.range !== undefined) [min, max] = validateRange(options.range, 'range');
  else if (env.PORTLEASE_RANGE) [min, max] = parseRange(env.PORTLEASE_RANGE, 'PORTLEASE_RANGE');
  else [min, max] = defaultRange();
  const usingDefaultRange = options.range === undefined && !env.PORTLEASE_RANGE;

  let excluded: ReadonlySet<number> = usingDefaultRange ? defaultExcluded() : UNSAFE_PORTS;
  if (options.exclude !== undefined) {
    const exclude = options.exclude as Iterable<number> | null;
    if (exclude === null || typeof exclude[Symbol.iterator] !== 'function') {
      throw invalid('exclude must be an iterable of port numbers, e.g. [3000, 8080].');
    }
    const mine = new Set(excluded);
    for (const port of options.exclude) {
      if (!isPort(port)) throw invalid(`exclude must hold port numbers 1-65535, got ${String(port)}.`);
      mine.add(port);
    }
    excluded = mine;
  }

  const lockDir = chooseLockDir(options.lockDir, env);

  const hosts =
    options.hosts === undefined || options.hosts === null ? defaultProbeHosts() : checkHosts(options.hosts);

  const signal = options.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalid('signal must be an AbortSignal (e.g. AbortSignal.timeout(5000)).');
  }

  return { min, max, excluded, lockDir, owner: checkLabel(options.owner), hosts, signal };
}
