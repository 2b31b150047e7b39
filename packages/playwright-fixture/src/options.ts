import { assertKnownKeys, checkLeaseFields, invalidOption, START_SERVER_OPTION_KEYS } from 'portlease';
import type { PortleaseOptions, WorkerServerOptions } from './types.js';

/**
 * The option checks of this package. Playwright passes `use` values through untouched, so a misspelt
 * key (`workerServer: { readytimeout }`) would otherwise be ignored and a wrong type would surface
 * as a `TypeError` deep in core; each error names the option's path as written in the config.
 */

/** `true` only if `List` names every key of `T`: the key lists below stop compiling when a type gains a key. */
type Covers<T, List extends readonly string[]> = Exclude<keyof T, List[number]> extends never ? true : false;

export const PORTLEASE_KEYS = [
  'range',
  'lockDir',
  'owner',
  'exclude',
  'hosts',
  'sticky',
  'stickyScope',
] as const;
true satisfies Covers<PortleaseOptions, typeof PORTLEASE_KEYS>;

/** startServer's options less the two the worker fixture sets itself. */
type WorkerServerKey = Exclude<(typeof START_SERVER_OPTION_KEYS)[number], 'port' | 'lease'>;
const WORKER_SERVER_KEYS = START_SERVER_OPTION_KEYS.filter(
  (key): key is WorkerServerKey => key !== 'port' && key !== 'lease',
);
true satisfies Covers<WorkerServerOptions, WorkerServerKey[]>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStrings = (value: unknown) =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');

/**
 * Checks lease options (the `portlease` option, `leaseRunPort`'s options) found at `path`; `extra`
 * are further keys the caller allows and checks itself.
 */
export function checkPortleaseOptions(
  value: unknown,
  path: string,
  extra: readonly string[] = [],
): PortleaseOptions {
  if (value === undefined) return {};
  checkLeaseFields(value, path, [...PORTLEASE_KEYS, ...extra]);
  // Core checked `sticky` is a string or a boolean, and `stickyScope`; an empty prefix is refused here.
  if (value.sticky === '') {
    throw invalidOption(`${path}.sticky`, 'must be true, false or a name prefix such as \'web\', got "".');
  }
  return value as PortleaseOptions;
}

/** Checks the `workerServer` option found at `path` (keys and types; core checks the rest). */
export function checkWorkerServer(value: unknown, path: string): WorkerServerOptions {
  if (!isObject(value)) {
    throw invalidOption(
      path,
      `must be an object such as { command: ['node', 'server.mjs'] }, got ${JSON.stringify(value)}.`,
    );
  }
  assertKnownKeys(value, WORKER_SERVER_KEYS, path);
  const { command, start, portEnv, env, cwd, hosts, log, name } = value;
  if ((command === undefined) === (start === undefined)) {
    throw invalidOption(path, 'needs exactly one of `command` (a child process) or `start` (in the worker).');
  }
  if (command !== undefined && !(typeof command === 'string' && command !== '') && !isStrings(command)) {
    throw invalidOption(
      `${path}.command`,
      `must be an argv array such as ['node', 'server.mjs'] or a shell string, got ${JSON.stringify(command)}.`,
    );
  }
  if (start !== undefined && typeof start !== 'function') {
    throw invalidOption(`${path}.start`, `must be a function (port) => server, got ${typeof start}.`);
  }
  for (const key of ['readyTimeout', 'stopTimeout'] as const) {
    const ms = value[key];
    if (ms !== undefined && !(typeof ms === 'number' && Number.isFinite(ms) && ms > 0)) {
      throw invalidOption(
        `${path}.${key}`,
        `must be a positive number of milliseconds, got ${JSON.stringify(ms)}.`,
      );
    }
  }
  if (portEnv !== undefined && typeof portEnv !== 'string' && !isStrings(portEnv)) {
    throw invalidOption(
      `${path}.portEnv`,
      `must be a variable name or an array of them, got ${JSON.stringify(portEnv)}.`,
    );
  }
  if (env !== undefined && !isObject(env)) {
    throw invalidOption(`${path}.env`, `must be an object of variables, got ${JSON.stringify(env)}.`);
  }
  if (cwd !== undefined && typeof cwd !== 'string') {
    throw invalidOption(`${path}.cwd`, `must be a directory path, got ${JSON.stringify(cwd)}.`);
  }
  if (hosts !== undefined && !isStrings(hosts)) {
    throw invalidOption(
      `${path}.hosts`,
      `must be an array of addresses such as ['127.0.0.1'], got ${JSON.stringify(hosts)}.`,
    );
  }
  if (log !== undefined && typeof log !== 'boolean') {
    throw invalidOption(`${path}.log`, `must be true or false, got ${JSON.stringify(log)}.`);
  }
  if (name !== undefined && typeof name !== 'string') {
    throw invalidOption(`${path}.name`, `must be a string, got ${JSON.stringify(name)}.`);
  }
  return value as WorkerServerOptions;
}
