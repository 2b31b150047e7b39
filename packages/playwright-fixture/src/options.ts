import { assertKnownKeys, invalidOption, validateRange } from 'portlease';
import type { PortleaseOptions, WorkerServerOptions } from './types.js';

/**
 * The option checks of this package. Playwright passes `use` values through untouched, so a misspelt
 * key (`workerServer: { readytimeout }`) would otherwise be ignored and a wrong type would surface
 * as a `TypeError` deep in core; each error names the option's path as written in the config.
 */

/** `true` only if `List` names every key of `T`: the key lists below stop compiling when a type gains a key. */
type Covers<T, List extends readonly string[]> = Exclude<keyof T, List[number]> extends never ? true : false;

export const PORTLEASE_KEYS = ['range', 'lockDir', 'owner', 'exclude', 'hosts'] as const;
true satisfies Covers<PortleaseOptions, typeof PORTLEASE_KEYS>;

const WORKER_SERVER_KEYS = [
  'command',
  'start',
  'portEnv',
  'env',
  'cwd',
  'hosts',
  'readyTimeout',
  'stopTimeout',
  'log',
  'name',
] as const;
true satisfies Covers<WorkerServerOptions, typeof WORKER_SERVER_KEYS>;

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
  if (!isObject(value)) {
    throw invalidOption(
      path,
      `must be an object such as { range: [20000, 29999] }, got ${JSON.stringify(value)}.`,
    );
  }
  assertKnownKeys(value, [...PORTLEASE_KEYS, ...extra], path);
  const { range, lockDir, owner, exclude, hosts } = value;
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
