import { statSync } from 'node:fs';
import { assertKnownKeys, invalidOption } from '../options/errors.js';
import { at, shown } from '../options/schema.js';
import type { StartServerOptions } from './types.js';

/** Every option startServer takes; adapters that pass server options through check against it too. */
export const START_SERVER_OPTION_KEYS = [
  'command',
  'start',
  'port',
  'lease',
  'portEnv',
  'env',
  'cwd',
  'hosts',
  'readyTimeout',
  'stopTimeout',
  'log',
  'name',
  'adopt',
] as const satisfies readonly (keyof StartServerOptions)[];
const KNOWN = START_SERVER_OPTION_KEYS;

/** Node clamps timers above 2^31-1 ms to 1 ms; stop() adds a second of grace to stopTimeout. */
export const MAX_STOP_TIMEOUT = 2 ** 31 - 1 - 1000;

/** A value as every option message shows it (schema.ts): `"5s"`, `[1]`, `null`. */
const what = shown;

const isStringArray = (value: unknown, nonEmpty: boolean): value is string[] =>
  Array.isArray(value) &&
  (!nonEmpty || value.length > 0) &&
  value.every((item) => typeof item === 'string' && item !== '');

/** Where server options were found, and what the surface sets itself. */
export interface ServerOptionsForm {
  /** The path of the options (`use.workerServer`); `''` for startServer's own argument. */
  path?: string;
  /** Keys the surface sets itself, each with why it is not allowed (`port: 'global setup leases it'`). */
  omit?: Readonly<Record<string, string>>;
}

/**
 * Checks `startServer` options before anything is leased or started: every mistake is an
 * `INVALID_OPTIONS` naming the option, never a raw TypeError, a crash of the host process, a timer
 * Node silently shortens, or a SERVER_TIMEOUT 30 s later. Adapters check server options found in
 * their configuration with the same rules (`portlease/adapter`'s `checkServerOptions`), at `path`
 * and without the keys they set themselves.
 */
export function validateServerOptions(
  options: unknown,
  form: ServerOptionsForm = {},
): asserts options is StartServerOptions {
  const path = form.path ?? '';
  const omit = form.omit ?? {};
  const label = path === '' ? 'startServer options' : path;
  const field = (key: string) => at(path, key);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(
      label,
      `must be an object such as { command: ['node', 'server.js'] }, got ${what(options)}.`,
    );
  }
  for (const [key, why] of Object.entries(omit)) {
    if (key in options) throw invalidOption(field(key), `is not allowed: ${why}.`);
  }
  assertKnownKeys(
    options,
    KNOWN.filter((key) => !(key in omit)),
    label,
  );
  const o = options as Record<string, unknown>;
  if ((o.command === undefined) === (o.start === undefined)) {
    throw invalidOption(
      label,
      `${path === '' ? 'need' : 'needs'} exactly one of \`command\` (a child process) or \`start\` (in process).`,
    );
  }
  if (o.command !== undefined) {
    const ok = typeof o.command === 'string' ? o.command.trim() !== '' : isStringArray(o.command, true);
    if (!ok) {
      throw invalidOption(
        field('command'),
        `must be a non-empty string (run by the shell) or a non-empty array of non-empty strings (program and arguments), got ${what(o.command)}.`,
      );
    }
  }
  if (o.start !== undefined && typeof o.start !== 'function') {
    throw invalidOption(field('start'), `must be a function (port) => server, got ${what(o.start)}.`);
  }
  if (
    o.port !== undefined &&
    !(typeof o.port === 'number' && Number.isInteger(o.port) && o.port >= 1 && o.port <= 65535)
  ) {
    throw invalidOption(
      field('port'),
      `must be a port number from 1 to 65535, got ${what(o.port)}${o.port === 0 ? ' (0 lets the OS pick a port startServer cannot know; leave `port` out to lease one)' : ''}.`,
    );
  }
  if (o.lease !== undefined && (typeof o.lease !== 'object' || o.lease === null)) {
    throw invalidOption(field('lease'), `must be leasePort options (an object), got ${what(o.lease)}.`);
  }
  if (
    o.portEnv !== undefined &&
    !(typeof o.portEnv === 'string' ? o.portEnv !== '' : isStringArray(o.portEnv, false))
  ) {
    throw invalidOption(
      field('portEnv'),
      `must be a variable name or an array of them, got ${what(o.portEnv)}.`,
    );
  }
  if (o.env !== undefined) {
    const env = o.env as Record<string, unknown> | null;
    if (
      typeof env !== 'object' ||
      env === null ||
      Object.values(env).some((v) => v !== undefined && typeof v !== 'string')
    ) {
      throw invalidOption(field('env'), `must be an object of string values, got ${what(o.env)}.`);
    }
  }
  if (o.cwd !== undefined) {
    if (typeof o.cwd !== 'string' || o.cwd === '')
      throw invalidOption(field('cwd'), `must be a directory path, got ${what(o.cwd)}.`);
    let directory = false;
    try {
      directory = statSync(o.cwd).isDirectory();
    } catch {
      // Missing or unreadable: said below.
    }
    // Only a command runs in cwd; an in-process server ignores it (adapters pass their root anyway).
    if (!directory && o.command !== undefined) {
      throw invalidOption(field('cwd'), `${JSON.stringify(o.cwd)} is not an existing directory.`);
    }
  }
  if (o.hosts !== undefined && !isStringArray(o.hosts, true)) {
    throw invalidOption(
      field('hosts'),
      `must be a non-empty array of addresses such as ['127.0.0.1', '::1'], got ${what(o.hosts)}.`,
    );
  }
  for (const key of ['readyTimeout', 'stopTimeout'] as const) {
    const value = o[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw invalidOption(field(key), `must be a positive number of milliseconds, got ${what(value)}.`);
    }
  }
  if (typeof o.stopTimeout === 'number' && o.stopTimeout > MAX_STOP_TIMEOUT) {
    throw invalidOption(
      field('stopTimeout'),
      `must be at most ${MAX_STOP_TIMEOUT} ms (Node cuts longer timers to 1 ms, which would kill the server at once), got ${o.stopTimeout}.`,
    );
  }
  if (o.log !== undefined && typeof o.log !== 'boolean')
    throw invalidOption(field('log'), `must be true or false, got ${what(o.log)}.`);
  if (o.adopt !== undefined && typeof o.adopt !== 'boolean')
    throw invalidOption(field('adopt'), `must be true or false, got ${what(o.adopt)}.`);
  if (o.adopt === true && (o.command === undefined || o.port !== undefined)) {
    throw invalidOption(
      field('adopt'),
      'needs a `command` (whose processes are searched for the port they listen on) and no `port`.',
    );
  }
  if (o.name !== undefined && typeof o.name !== 'string')
    throw invalidOption(field('name'), `must be a string, got ${what(o.name)}.`);
}
