import { basename, resolve } from 'node:path';
import { PortleaseError } from '../errors.js';
import { defaultRange, reservedPorts, UNSAFE_PORTS } from '../platform/ports.js';
import { defaultProbeHosts } from '../platform/probe-hosts.js';
import type { Protocol } from '../platform/probe-udp.js';
import { projectOf } from '../platform/project.js';
import { defaultLockDir } from '../store/lock-dir.js';
import { assertKnownKeys, invalidOption } from './errors.js';
import {
  checkExclude,
  checkHosts,
  checkLeaseName,
  checkLockDir,
  checkOwner,
  checkProtocol,
  checkRange,
  checkSignal,
  checkStickyName,
  checkStickyScope,
  LEASE_OPTION_KEYS,
  parseRange,
  shown,
} from './schema.js';

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
   * Directory the leases are coordinated in. Default: `PORTLEASE_DIR`, else on Linux
   * `/dev/shm/portlease-<uid>` (when /dev/shm is a tmpfs), else `/tmp/portlease-<uid>` (Windows: the
   * profile's `AppData\Local\Temp\portlease-user`); no other variable moves it. Processes share ports safely
   * only when they share this directory. A relative path is resolved once, at the call.
   */
  lockDir?: string;
  /** A label kept in the lease record for diagnostics (`portlease list`), e.g. `"api server"`. */
  owner?: string;
  /**
   * IP addresses of this machine to probe before handing a port out; a port with a listener on any of
   * them is never handed out. Default: on Linux `['::']` (one dual-stack probe sees a listener on any
   * address; `['0.0.0.0']` without IPv6), elsewhere `['::', '0.0.0.0', '127.0.0.1', '::1']`. A given list is used as
   * given.
   */
  hosts?: readonly string[];
  /**
   * What the probe checks before a port is handed out: `'tcp'` (default) listens on TCP, `'udp'` binds
   * UDP (without `reuseAddr`), for a server that receives datagrams; a port some program holds on that
   * protocol, on any probed address, is skipped. Leases are unique across portlease users either way.
   *
   * @example
   * ```ts
   * const lease = await leasePort({ protocol: 'udp' });
   * dgram.createSocket('udp4').bind(lease.port);
   * ```
   */
  protocol?: Protocol;
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

/**
 * Options of {@link leasePorts}: those of {@link LeaseOptions}, and `owner` may be one label per port.
 *
 * @example
 * ```ts
 * const [api, web] = await leasePorts(2, { owner: ['e2e api', 'e2e web'] });
 * ```
 */
export interface LeasePortsOptions extends Omit<LeaseOptions, 'owner'> {
  /** One label for every port, or one label per port in port order (`portlease list` shows each). */
  owner?: string | readonly string[];
}

/** Options after defaults, environment and validation. */
export interface ResolvedOptions {
  min: number;
  max: number;
  excluded: ReadonlySet<number>;
  lockDir: string;
  owner: string;
  hosts: readonly string[];
  protocol: Protocol;
  signal: AbortSignal | undefined;
}

/** What one leasePort / leasePorts call asks for beyond "free ports": stickiness and contiguity. */
export interface LeaseShape {
  /** Ports wanted. */
  count: number;
  /** The ports are to be consecutive. */
  contiguous: boolean;
  /** Per port, in order, its sticky name or undefined; for a contiguous block, only the first. */
  sticky: readonly (string | undefined)[];
  /** Per port, in order, its name (the `name` option or its sticky name) or undefined. */
  names: readonly (string | undefined)[];
  /** Per port, in order, its owner label. */
  owners: readonly string[];
  /** The project sticky names and names belong to; undefined when no port is named. */
  project: string | undefined;
}

/** The call the options are for: `leasePort` (one port) or `leasePorts` (`count` ports). */
export interface LeaseCall {
  /** The function's name, for messages (`leasePorts options has no option "rnage" …`). */
  api: 'leasePort' | 'leasePorts';
  count: number;
}

let defaultExcludedCache: ReadonlySet<number> | undefined;

/** The unsafe ports plus the kernel's reserved ones: what the default range always skips. */
function defaultExcluded(): ReadonlySet<number> {
  defaultExcludedCache ??= new Set([...UNSAFE_PORTS, ...reservedPorts()]);
  return defaultExcludedCache;
}

/**
 * The lock directory a call uses: the `lockDir` option, else `PORTLEASE_DIR`, else the default (see
 * platform/default-lock-dir.ts); validated and absolute. `null` means unset, as `??` reads it
 * (documented; the property model relies on it).
 */
export function chooseLockDir(option: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined && option !== null) return checkLockDir(option, 'lockDir');
  if (env.PORTLEASE_DIR) return checkLockDir(env.PORTLEASE_DIR, 'PORTLEASE_DIR');
  return resolve(defaultLockDir(env));
}

/** `owner`: one label, or for leasePorts one per port; cut to 200 characters each. */
function ownerLabels(owner: unknown, call: LeaseCall): string[] {
  if (owner === undefined) return new Array<string>(call.count).fill(defaultOwner());
  if (!Array.isArray(owner)) return new Array<string>(call.count).fill(checkOwner(owner, 'owner'));
  if (call.api !== 'leasePorts') {
    throw invalidOption(
      'owner',
      `must be a string label (one label per port is for leasePorts), got ${shown(owner)}.`,
    );
  }
  if (owner.length !== call.count) {
    throw invalidOption(
      'owner',
      `must be one label, or one label per port: ${call.count} asked, ${owner.length} labels given.`,
    );
  }
  return owner.map((label: unknown, i) => checkOwner(label, `owner[${i}]`));
}

function defaultOwner(): string {
  const script = process.argv[1] ? basename(process.argv[1]) : 'node';
  return `${script} (pid ${process.pid})`;
}

/** Reads `sticky` for the call: leasePort one name; leasePorts one entry per port, or one name for a block. */
function stickyNames(sticky: unknown, call: LeaseCall, contiguous: boolean): (string | undefined)[] {
  if (sticky === undefined || sticky === null) return [];
  const many = call.api === 'leasePorts';
  if (typeof sticky === 'string' && (!many || contiguous)) return [checkStickyName(sticky, 'sticky')];
  if (!many || !Array.isArray(sticky)) {
    throw invalidOption(
      'sticky',
      many
        ? `of leasePorts must be an array of ${call.count} names (undefined for a port that is not sticky), or one name with contiguous: true, got ${shown(sticky)}.`
        : `must be a sticky name such as 'web', got ${shown(sticky)}.`,
    );
  }
  if (sticky.length !== call.count) {
    throw invalidOption(
      'sticky',
      `must hold one entry per port: ${call.count} asked, ${sticky.length} sticky entries given.`,
    );
  }
  const names = perPortNames(sticky, 'sticky', checkStickyName);
  if (contiguous && names.slice(1).some((name) => name !== undefined)) {
    throw invalidOption(
      'sticky',
      'of a contiguous block is one name for the whole block (its first port): pass a string.',
    );
  }
  return names;
}

/** One checked name (or `undefined`) per entry of `list`, found at `path[i]`; no name twice. */
function perPortNames(
  list: readonly unknown[],
  path: string,
  check: (value: unknown, at: string) => string,
): (string | undefined)[] {
  const seen = new Set<string>();
  return list.map((entry, i) => {
    if (entry === undefined || entry === null) return undefined;
    const checked = check(entry, `${path}[${i}]`);
    if (seen.has(checked)) {
      throw invalidOption(
        `${path}[${i}]`,
        `repeats ${JSON.stringify(checked)}: each port needs its own name.`,
      );
    }
    seen.add(checked);
    return checked;
  });
}

/**
 * The name of each port of a call, in port order, from the `name` option merged with the sticky
 * names (a sticky port is named by its sticky name, so findLease finds it too). leasePort: one name;
 * leasePorts: an array of `count` entries (`undefined` for an unnamed port), or with `contiguous` one
 * name for the block's base port. A name given both ways must agree.
 */
function leaseNames(
  name: unknown,
  sticky: readonly (string | undefined)[],
  call: LeaseCall,
  contiguous: boolean,
): (string | undefined)[] {
  if (name === undefined || name === null) return [...sticky];
  let names: (string | undefined)[];
  if (typeof name === 'string' && (call.api === 'leasePort' || contiguous)) {
    names = [checkLeaseName(name, 'name')];
  } else if (Array.isArray(name) && call.api !== 'leasePort') {
    if (name.length !== call.count) {
      throw invalidOption(
        'name',
        `must hold one entry per port: ${call.count} asked, ${name.length} names given.`,
      );
    }
    names = perPortNames(name, 'name', checkLeaseName);
  } else {
    throw invalidOption(
      'name',
      call.api === 'leasePort'
        ? `must be a name such as 'api', got ${shown(name)}.`
        : `of leasePorts must be an array of ${call.count} names (undefined for an unnamed port), or one name with contiguous: true, got ${shown(name)}.`,
    );
  }
  sticky.forEach((stickyName, i) => {
    if (stickyName === undefined) return;
    if (names[i] === undefined) names[i] = stickyName;
    else if (names[i] !== stickyName) {
      throw invalidOption(
        Array.isArray(name) ? `name[${i}]` : 'name',
        `is ${JSON.stringify(names[i])} but the same port is sticky as ${JSON.stringify(stickyName)}; a sticky port is named by its sticky name: leave name out for it.`,
      );
    }
  });
  return names;
}

/**
 * Applies defaults and the environment to the options of one call and validates them, in one pass
 * over the keys, with the schema's rules (schema.ts): what to lease from (`options`) and what to
 * lease (`shape`).
 */
export function resolveLease(
  options: LeasePortsOptions = {},
  env: NodeJS.ProcessEnv,
  call: LeaseCall,
): { options: ResolvedOptions; shape: LeaseShape } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PortleaseError(
      'INVALID_OPTIONS',
      `${call.api} options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}.`,
    );
  }
  assertKnownKeys(options, LEASE_OPTION_KEYS, `${call.api} options`);
  const o = options as Record<string, unknown>;
  let min: number;
  let max: number;
  if (o.range !== undefined) [min, max] = checkRange(o.range, 'range');
  else if (env.PORTLEASE_RANGE) [min, max] = parseRange(env.PORTLEASE_RANGE, 'PORTLEASE_RANGE');
  else [min, max] = defaultRange();
  const usingDefaultRange = o.range === undefined && !env.PORTLEASE_RANGE;

  let excluded: ReadonlySet<number> = usingDefaultRange ? defaultExcluded() : UNSAFE_PORTS;
  if (o.exclude !== undefined) excluded = new Set([...excluded, ...checkExclude(o.exclude, 'exclude')]);

  const lockDir = chooseLockDir(o.lockDir, env);
  const hosts =
    o.hosts === undefined || o.hosts === null ? defaultProbeHosts() : checkHosts(o.hosts, 'hosts');
  const protocol =
    o.protocol === undefined || o.protocol === null ? 'tcp' : checkProtocol(o.protocol, 'protocol');
  const signal = o.signal === undefined ? undefined : checkSignal(o.signal, 'signal');
  const owners = ownerLabels(o.owner, call);

  if (o.contiguous !== undefined && typeof o.contiguous !== 'boolean') {
    throw invalidOption('contiguous', `must be true or false, got ${shown(o.contiguous)}.`);
  }
  const contiguous = o.contiguous === true;
  if (contiguous && call.api === 'leasePort') {
    throw invalidOption(
      'contiguous',
      'is an option of leasePorts (a block of consecutive ports): use leasePorts(n, { contiguous: true }).',
    );
  }
  const sticky = stickyNames(o.sticky, call, contiguous);
  const names = leaseNames(o.name, sticky, call, contiguous);
  // A name belongs to a project by the same rule as a sticky key: two worktrees have two `web`s.
  const anyNamed = names.some((name) => name !== undefined);
  const given = o.stickyScope !== undefined && o.stickyScope !== null;
  if (given && !anyNamed) {
    throw invalidOption(
      'stickyScope',
      "applies only to sticky ports (as the CLI's --sticky-scope does): add sticky: 'name', or leave stickyScope out.",
    );
  }
  const scope = given
    ? checkStickyScope(o.stickyScope, 'stickyScope')
    : anyNamed && env.PORTLEASE_STICKY_SCOPE
      ? checkStickyScope(env.PORTLEASE_STICKY_SCOPE, 'PORTLEASE_STICKY_SCOPE')
      : undefined;
  return {
    options: { min, max, excluded, lockDir, owner: owners[0] as string, hosts, protocol, signal },
    shape: {
      count: call.count,
      contiguous,
      sticky,
      names,
      owners,
      project: anyNamed ? (scope ?? projectOf()) : undefined,
    },
  };
}

/** The options part of {@link resolveLease} (for what only reads them, such as `portlease doctor`). */
export function resolveOptions(
  options: LeaseOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  return resolveLease(options, env, { api: 'leasePorts', count: 1 }).options;
}
