// The test-side helpers. They run inside Jest's vm context (loaded by the test's own module registry),
// so they read the per-file value from that context's `globalThis`, where the environment put it.
import { PortleaseError } from 'portlease';
import {
  FILE_PORTS_KIND,
  type FilePorts,
  GLOBAL_ENV,
  GLOBAL_KEY,
  type GlobalPortsInfo,
  PENDING_KIND,
  parseGlobalPorts,
} from './shared.js';

export {
  PortleaseError,
  type PortleaseErrorCode,
  type RunningServer,
  type StartServerOptions,
  startServer,
} from 'portlease';
export type { FilePorts, GlobalPortsInfo } from './shared.js';

/**
 * Augment this interface to type the names of your test files' ports: `port('api')` then accepts only
 * the names you list, and {@link namedPorts} returns them. Without augmentation any string is accepted.
 *
 * @example
 * ```ts
 * declare module '@portlease/jest' {
 *   interface PortleaseJestPortNames { api: number; web: number }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point, empty by design.
export interface PortleaseJestPortNames {}

/**
 * Augment this interface to type the names of the suite-wide ports and servers of global setup, as
 * {@link PortleaseJestPortNames} does for the per-file ports.
 *
 * @example
 * ```ts
 * declare module '@portlease/jest' {
 *   interface PortleaseJestGlobalNames { api: number }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: an augmentation point, empty by design.
export interface PortleaseJestGlobalNames {}

type NameOf<T> = [keyof T] extends [never] ? string : Extract<keyof T, string>;
/** A name of this file's ports: the keys of {@link PortleaseJestPortNames}, or any string. */
export type PortName = NameOf<PortleaseJestPortNames>;
/** A name of a suite-wide port: the keys of {@link PortleaseJestGlobalNames}, or any string. */
export type GlobalPortName = NameOf<PortleaseJestGlobalNames>;

const SETUP_HINT =
  "Set testEnvironment: '@portlease/jest' in the Jest config (or a `@jest-environment @portlease/jest` docblock)";

/** `port("api")` (or `port()`): how a message names the call. */
const callOf = (fn: string, name?: string) => `${fn}(${name === undefined ? '' : JSON.stringify(name)})`;

/** `value`, or the error of a lookup that found nothing: `why`, then the names it could have used. */
function found<T>(value: T | undefined, caller: string, why: string, names: object, hint = ''): T {
  if (value !== undefined) return value;
  const listed =
    Object.keys(names)
      .map((n) => JSON.stringify(n))
      .join(', ') || 'none';
  throw new PortleaseError('INVALID_OPTIONS', `${caller}: ${why} ${listed}.${hint}`);
}

function isFilePorts(value: unknown): value is FilePorts {
  return typeof value === 'object' && value !== null && (value as FilePorts).kind === FILE_PORTS_KIND;
}

function filePorts(caller: string): FilePorts {
  const value = (globalThis as Record<string, unknown>)[GLOBAL_KEY];
  if (isFilePorts(value)) return value;
  const pending = (value as { kind?: unknown } | undefined)?.kind === PENDING_KIND;
  const why = pending
    ? 'the environment has not leased them yet: setupFiles run before the environment is set up. Call it from a test, a hook or a setupFilesAfterEnv file.'
    : `this test file does not run in the portlease environment. ${SETUP_HINT}.`;
  throw new PortleaseError('INVALID_OPTIONS', `${caller}: no leased ports, ${why}`);
}

/**
 * This test file's leased ports, in order (named ones first, in the order of `names`). A fresh array
 * on every call.
 *
 * @example
 * ```ts
 * import { ports } from '@portlease/jest';
 * const [api, web] = ports();
 * ```
 */
export function ports(): number[] {
  return [...filePorts('ports()').ports];
}

/**
 * One of this test file's leased ports: the first one, or the one called `name` (from
 * `testEnvironmentOptions.portlease.names`). Held from the environment's setup to its teardown,
 * unique among every test file, worker and Jest run sharing the lock directory.
 *
 * @throws {PortleaseError} `INVALID_OPTIONS` when the file has no such port (the message says why).
 *
 * @example
 * ```ts
 * import { port, startServer } from '@portlease/jest';
 *
 * const server = await startServer({ command: ['node', 'server.js'], port: port() });
 * const api = port('api'); // with names: ['api', …]
 * ```
 */
export function port(name?: PortName): number {
  const caller = callOf('port', name);
  const file = filePorts(caller);
  if (name === undefined) {
    if (file.ports[0] !== undefined) return file.ports[0];
    throw new PortleaseError(
      'INVALID_OPTIONS',
      `${caller}: this test file leased no ports (count is 0). Set testEnvironmentOptions.portlease.count (or names), or a \`@jest-environment-options {"portlease": {"count": 1}}\` docblock.`,
    );
  }
  const why = `this test file has no port named ${JSON.stringify(name)}; its names are`;
  const hint =
    " Add the name to testEnvironmentOptions.portlease.names (or the file's @jest-environment-options docblock).";
  return found(file.named[name], caller, why, file.named, hint);
}

/**
 * This test file's named ports, as a fresh object.
 *
 * @example
 * ```ts
 * const { api, web } = namedPorts(); // with names: ['api', 'web']
 * ```
 */
export function namedPorts(): Record<PortName, number> {
  return { ...filePorts('namedPorts()').named } as Record<PortName, number>;
}

function globalInfo(caller: string): GlobalPortsInfo {
  const value = (globalThis as Record<string, unknown>)[GLOBAL_KEY];
  const info = (isFilePorts(value) ? value.global : undefined) ?? parseGlobalPorts(process.env[GLOBAL_ENV]);
  if (info) return info;
  throw new PortleaseError(
    'INVALID_OPTIONS',
    `${caller}: no suite-wide ports. Add globalSetup: '@portlease/jest/global-setup' and globalTeardown: '@portlease/jest/global-teardown' to the Jest config, with testEnvironmentOptions.portlease.global = { names: [...] } or { servers: {...} }.`,
  );
}

/**
 * A suite-wide port leased by `@portlease/jest/global-setup`: the first one, or the one called
 * `name` (a `names` entry or a `servers` key of the global options).
 *
 * @example
 * ```ts
 * import { globalPort } from '@portlease/jest';
 * const apiPort = globalPort('api');
 * ```
 */
export function globalPort(name?: GlobalPortName): number {
  const caller = callOf('globalPort', name);
  const info = globalInfo(caller);
  const port = name === undefined ? info.ports[0] : info.named[name];
  return found(port, caller, 'global setup leased no such port; its names are', info.named);
}

/**
 * Every suite-wide port of global setup (named ones first, then the servers'), as a fresh array.
 *
 * @example
 * ```ts
 * expect(globalPorts()).not.toContain(port());
 * ```
 */
export function globalPorts(): number[] {
  return [...globalInfo('globalPorts()').ports];
}

/**
 * The URL (`http://127.0.0.1:<port>`, or `[::1]`) of a server started by global setup.
 *
 * @example
 * ```ts
 * const res = await fetch(`${globalUrl('api')}/health`);
 * ```
 */
export function globalUrl(name: GlobalPortName): string {
  const caller = callOf('globalUrl', name);
  const { urls } = globalInfo(caller);
  const why = `global setup started no server called ${JSON.stringify(name)}; its servers are`;
  return found(urls[name], caller, why, urls);
}
