import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { resolve, sep } from 'node:path';
import { PROTOCOLS, type Protocol } from '../platform/probe-udp.js';
import { assertKnownKeys, invalidOption } from './errors.js';
import { STICKY_NAME } from './sticky-name.js';

/*
 * The one schema of lease options: each field's rule and message, written once. The API
 * (resolve.ts), the CLI (cli/args.ts, cli/port-plan.ts) and the adapters (through `portlease/adapter`)
 * check a field with the same function, so the same mistake gets the same code and the same message
 * wherever it is made; only the path in front differs (`range`, `--range`, `use.portlease.range`).
 */

/** The option names of `leasePort` / `leasePorts`, in the order the docs list them. */
export const LEASE_OPTION_KEYS = [
  'range',
  'exclude',
  'lockDir',
  'owner',
  'hosts',
  'protocol',
  'signal',
  'sticky',
  'stickyScope',
  'contiguous',
  'name',
] as const;
export type LeaseOptionKey = (typeof LEASE_OPTION_KEYS)[number];

/**
 * The lease options an adapter takes in its configuration and passes on: every key but `signal` (not
 * cloneable across workers, and a run has its own end), `contiguous` and `name` (shapes of one call:
 * a name is one service's, not every port's of a run).
 * `sticky` is each adapter's own form (see {@link StickyForm}).
 */
export const ADAPTER_LEASE_KEYS = LEASE_OPTION_KEYS.filter(
  (key): key is Exclude<LeaseOptionKey, 'signal' | 'contiguous' | 'name'> =>
    key !== 'signal' && key !== 'contiguous' && key !== 'name',
);

/** The environment variable that stands in for a field when the option is not given. */
export const LEASE_OPTION_ENV: Partial<Record<LeaseOptionKey, string>> = {
  range: 'PORTLEASE_RANGE',
  lockDir: 'PORTLEASE_DIR',
  stickyScope: 'PORTLEASE_STICKY_SCOPE',
};

/** `path.key`, or `key` at the top (the API's own options). */
export function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A value as a message shows it: strings quoted, arrays and objects as JSON, so "80" is not 80. */
export function shown(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (value instanceof Set) return `a Set ${JSON.stringify([...value])}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function isPort(value: unknown): value is number {
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
    throw invalidOption(
      source,
      `must look like "20000-29999" (inclusive min-max), got ${JSON.stringify(text)}.`,
    );
  }
  return validateRange([Number(match[1]), Number(match[2])], source);
}

/**
 * Validates an inclusive `[min, max]` port range given as a tuple; `source` names the option in the
 * error (e.g. `testEnvironmentOptions.portlease.range`). Ports below 1024 are refused. A string is
 * refused with a pointer to {@link parseRange}.
 *
 * @example
 * ```ts
 * validateRange([20000, 29999], 'range'); //=> [20000, 29999]
 * validateRange([5, 1], 'range'); // throws PortleaseError [INVALID_OPTIONS]
 * ```
 */
export function validateRange(range: unknown, source: string): [number, number] {
  if (typeof range === 'string') {
    throw invalidOption(
      source,
      `must be an inclusive [min, max] pair such as [20000, 29999], got string ${JSON.stringify(range)}; for text such as "20000-29999" use parseRange(text) from 'portlease'.`,
    );
  }
  if (!Array.isArray(range) || range.length !== 2) {
    throw invalidOption(
      source,
      `must be an inclusive [min, max] pair such as [20000, 29999], got ${shown(range)}.`,
    );
  }
  const [min, max] = range as unknown[];
  if (!isPort(min) || !isPort(max)) {
    throw invalidOption(source, `must hold whole port numbers from 1024 to 65535, got ${shown(range)}.`);
  }
  if (min > max) throw invalidOption(source, `[${min}, ${max}] has min above max; swap them.`);
  if (min < 1024) {
    throw invalidOption(
      source,
      `[${min}, ${max}] reaches below 1024; privileged ports need root and clash with system services. Start at 1024 or above.`,
    );
  }
  return [min, max];
}

/** `range` as the surface takes it: a tuple, or with `text` also `"min-max"`. */
export function checkRange(value: unknown, path: string, text = false): [number, number] {
  return text && typeof value === 'string' ? parseRange(value, path) : validateRange(value, path);
}

/** `exclude`: any iterable of ports but a string (a string is iterable, by characters). */
export function checkExclude(value: unknown, path: string): number[] {
  const iterable = value as Iterable<unknown> | null | undefined;
  if (typeof value === 'string' || iterable === null || typeof iterable?.[Symbol.iterator] !== 'function') {
    throw invalidOption(path, `must be an array of port numbers such as [3000, 8080], got ${shown(value)}.`);
  }
  const ports = [...(iterable as Iterable<unknown>)];
  for (const port of ports) {
    if (!isPort(port)) throw invalidOption(path, `must hold port numbers 1-65535, got ${shown(port)}.`);
  }
  return ports as number[];
}

/** Longest path portlease accepts for a lock directory: room is left for `<scope>/<port>/<token>`. */
const MAX_LOCK_DIR_PATH = 3900;
/** Longest name of one path component on the filesystems portlease runs on (NAME_MAX). */
const MAX_NAME_BYTES = 255;

/**
 * Validates a lock directory (an option or `PORTLEASE_DIR`) and resolves it to an absolute path: a
 * relative one would change meaning after `process.chdir`, and release would miss the record.
 */
export function checkLockDir(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') {
    throw invalidOption(path, `must be a non-empty path string, got ${shown(value)}.`);
  }
  if (value.includes('\0')) throw invalidOption(path, 'must not contain a NUL byte.');
  const absolute = resolve(value);
  if (absolute.length > MAX_LOCK_DIR_PATH) {
    throw invalidOption(
      path,
      `is ${absolute.length} characters long; use a path under ${MAX_LOCK_DIR_PATH}.`,
    );
  }
  const long = absolute.split(sep).find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES);
  if (long !== undefined) {
    throw invalidOption(
      path,
      `has a name of ${Buffer.byteLength(long)} bytes (${JSON.stringify(`${long.slice(0, 24)}…`)}); file names are limited to ${MAX_NAME_BYTES}.`,
    );
  }
  return absolute;
}

const MAX_LABEL = 200;

/** `owner`: a string label, cut to 200 characters. */
export function checkOwner(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidOption(path, `must be a string label, got ${shown(value)}.`);
  return value.length > MAX_LABEL ? `${value.slice(0, MAX_LABEL)}…` : value;
}

/** Wildcards and loopback: local on every machine, whatever its interfaces. */
function isAlwaysLocal(host: string): boolean {
  return host === '::' || host === '0.0.0.0' || host === '::1' || /^127\./.test(host);
}

/**
 * `hosts`: IP literals only (a name would be resolved by DNS on every probe), and each an address of
 * this machine: probing an address the machine does not have fails with EADDRNOTAVAIL, which the
 * probe must read as "family absent", so probing would silently stop.
 */
export function checkHosts(hosts: unknown, path: string): readonly string[] {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw invalidOption(
      path,
      `must be a non-empty array of IP addresses, e.g. ['::', '0.0.0.0'], got ${shown(hosts)}.`,
    );
  }
  let local: Set<string> | undefined;
  hosts.forEach((host: unknown, i) => {
    if (typeof host !== 'string' || isIP(host) === 0) {
      throw invalidOption(
        `${path}[${i}]`,
        `must be an IP address such as '127.0.0.1' or '::', got ${shown(host)} (host names are not resolved).`,
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
        `${path}[${i}]`,
        `${host} is not an address of this machine, so nothing can listen there and probing it would check nothing. Use one of its addresses, a wildcard ('::', '0.0.0.0') or loopback.`,
      );
    }
  });
  return hosts as string[];
}

/** `signal`: an AbortSignal. */
/** `protocol`: what the probe checks, `'tcp'` or `'udp'`. */
export function checkProtocol(value: unknown, path: string): Protocol {
  if (!PROTOCOLS.includes(value as Protocol)) {
    throw invalidOption(path, `must be 'tcp' or 'udp', got ${shown(value)}.`);
  }
  return value as Protocol;
}

export function checkSignal(value: unknown, path: string): AbortSignal {
  if (!(value instanceof AbortSignal)) {
    throw invalidOption(
      path,
      `must be an AbortSignal (e.g. AbortSignal.timeout(5000)), got ${shown(value)}.`,
    );
  }
  return value;
}

/** The one sticky-name rule, for the API, the CLI and every adapter. */
export const STICKY_NAME_RULE =
  "a sticky name of letters, digits and . _ : - (starting with a letter or digit, up to 100), such as 'web'";

/** A sticky name (the API's `sticky`, the CLI's `--sticky` and `--name`, an adapter's prefix). */
export function checkStickyName(value: unknown, path: string): string {
  if (typeof value !== 'string' || !STICKY_NAME.test(value)) {
    throw invalidOption(path, `must be ${STICKY_NAME_RULE}, got ${shown(value)}.`);
  }
  return value;
}

/** The one lease-name rule: the sticky-name grammar (sticky-name.ts), for `name` and `--name`. */
export const LEASE_NAME_RULE =
  "a name of letters, digits and . _ : - (starting with a letter or digit, up to 100), such as 'api'";

/** A lease name (the `name` option, `portlease port NAME`): the same grammar as a sticky name. */
export function checkLeaseName(value: unknown, path: string): string {
  if (typeof value !== 'string' || !STICKY_NAME.test(value)) {
    throw invalidOption(path, `must be ${LEASE_NAME_RULE}, got ${shown(value)}.`);
  }
  return value;
}

const MAX_SCOPE = 1000;

/** `stickyScope`: any id of the project (a path or other text), used as given. */
export function checkStickyScope(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_SCOPE || value.includes('\0')) {
    throw invalidOption(
      path,
      `must be a non-empty string of up to ${MAX_SCOPE} characters naming the project (a path or any id), got ${shown(value)}.`,
    );
  }
  return value;
}

/**
 * The `sticky` an adapter takes in its configuration: `'name'` one sticky name (a lease of its own);
 * `'prefix'` `true`, `false` or a name the adapter builds its names from (Playwright); `'names'`
 * `true`, `false` or the names of the adapter's ports that are sticky (Vitest, Jest; the adapter
 * checks that each is one of its ports).
 */
export type StickyForm = 'name' | 'prefix' | 'names';

function checkAdapterSticky(value: unknown, path: string, form: StickyForm): void {
  if (form === 'name') {
    checkStickyName(value, path);
    return;
  }
  if (typeof value === 'boolean') return;
  if (form === 'prefix') {
    if (typeof value === 'string' && STICKY_NAME.test(value)) return;
    throw invalidOption(
      path,
      `must be true, false or a name prefix (${STICKY_NAME_RULE}), got ${shown(value)}.`,
    );
  }
  if (Array.isArray(value) && value.every((name) => typeof name === 'string' && name !== '')) return;
  throw invalidOption(
    path,
    `must be true, false or an array of names of its ports such as ['web'], got ${shown(value)}.`,
  );
}

/** How a surface takes lease options: see {@link checkLeaseOptions}. */
export interface LeaseOptionsForm {
  /** The surface's own keys, allowed beside the lease keys and checked by the caller. */
  own?: readonly string[];
  /** The lease keys it takes. Default: {@link ADAPTER_LEASE_KEYS} (every key an adapter passes on). */
  lease?: readonly LeaseOptionKey[];
  /** Its form of `sticky` (default `'name'`); ignored when `lease` leaves `sticky` out. */
  sticky?: StickyForm;
  /** `range` may also be text such as `"20000-29999"` (Jest's JSON docblocks). */
  rangeText?: boolean;
  /** An example of the object, for the message when the value is not one. */
  example?: string;
}

/**
 * Checks lease options found at `path` in an adapter's configuration (or any surface that passes
 * them on), before they reach `leasePort`, with the rules and messages `leasePort` itself uses: an
 * object whose keys are the lease keys it takes plus its own, each lease field of the right form.
 * `undefined` and `null` are no options.
 *
 * @example
 * ```ts
 * checkLeaseOptions(config.portlease, 'use.portlease', { sticky: 'prefix' });
 * // PortleaseError [INVALID_OPTIONS] use.portlease has no option "rnage" (did you mean "range"?). …
 * ```
 */
export function checkLeaseOptions(
  value: unknown,
  path: string,
  form: LeaseOptionsForm = {},
): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidOption(
      path,
      `must be an object such as ${form.example ?? '{ range: [20000, 29999] }'}, got ${shown(value)}.`,
    );
  }
  const lease = form.lease ?? ADAPTER_LEASE_KEYS;
  assertKnownKeys(value, [...(form.own ?? []), ...lease], path);
  const options = value as Record<string, unknown>;
  for (const key of lease) {
    const field = options[key];
    if (field === undefined) continue;
    const where = at(path, key);
    if (key === 'range') checkRange(field, where, form.rangeText);
    else if (key === 'exclude') checkExclude(field, where);
    else if (key === 'lockDir') checkLockDir(field, where);
    else if (key === 'owner') checkOwner(field, where);
    else if (key === 'hosts') checkHosts(field, where);
    else if (key === 'protocol') checkProtocol(field, where);
    else if (key === 'signal') checkSignal(field, where);
    else if (key === 'sticky') checkAdapterSticky(field, where, form.sticky ?? 'name');
    else if (key === 'stickyScope') checkStickyScope(field, where);
    else if (key === 'name') checkLeaseName(field, where);
    else if (key === 'contiguous' && typeof field !== 'boolean') {
      throw invalidOption(where, `must be true or false, got ${shown(field)}.`);
    }
  }
  return options;
}

/**
 * The lease fields of `options` that a lease takes (every key of {@link ADAPTER_LEASE_KEYS} that is
 * set, `sticky` left out: each adapter turns its own form into names), ready for `leasePort`.
 */
export function leaseFieldsOf(options: Record<string, unknown>): Record<string, unknown> {
  const lease: Record<string, unknown> = {};
  for (const key of ADAPTER_LEASE_KEYS) {
    if (key !== 'sticky' && options[key] !== undefined) lease[key] = options[key];
  }
  return lease;
}
