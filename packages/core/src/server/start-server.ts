import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { leasePort } from '../allocator.js';
import { PortleaseError } from '../errors.js';
import type { PortLease } from '../lease.js';
import type { LeaseOptions } from '../options.js';
import { delay, reachableHost, urlFor } from './ready.js';

/** What an in-process `start` function may return to be stopped later. */
export type Stoppable =
  | (() => unknown)
  | { close(callback?: (error?: Error) => void): unknown }
  | { stop(): unknown }
  | undefined
  | null
  // biome-ignore lint/suspicious/noConfusingVoidType: a start function may return nothing at all.
  | void;

/**
 * How to start a server on a leased port. Give `command` (a child process) or `start` (in process).
 *
 * @example
 * ```ts
 * // A child process: the port arrives as $PORT and wherever "{port}" appears in the arguments.
 * const api = await startServer({ command: ['node', 'server.js', '--port', '{port}'] });
 * await fetch(`${api.url}/health`);
 * await api.stop(); // stops the whole process tree, then releases the port
 *
 * // In process:
 * const web = await startServer({ start: (port) => http.createServer(handler).listen(port) });
 * ```
 */
export interface StartServerOptions {
  /**
   * The server command: an argv array (no shell), or a string run by the shell. `{port}` in it is
   * replaced by the port.
   */
  command?: string | readonly string[];
  /** In-process alternative to `command`: start listening on `port`; return how to stop. */
  start?: (port: number) => Stoppable | Promise<Stoppable>;
  /** Use this port instead of leasing one (the caller keeps ownership of it). */
  port?: number;
  /** Options for leasing the port when `port` is not given. */
  lease?: LeaseOptions;
  /** Environment variable(s) that receive the port. Default `PORT`. */
  portEnv?: string | readonly string[];
  /** Extra environment for the command (merged over `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /**
   * Hosts to check for readiness, in order; the first that accepts a connection makes `url`.
   * Default `['127.0.0.1', '::1']`.
   */
  hosts?: readonly string[];
  /** Milliseconds to wait for the server to accept connections. Default 30000. */
  readyTimeout?: number;
  /** Milliseconds between SIGTERM and SIGKILL when stopping. Default 5000. */
  stopTimeout?: number;
  /** Copy the server's output to this process's stderr as it comes. Default false (kept for errors). */
  log?: boolean;
  /** A name for messages. Default: the command. */
  name?: string;
}

/** A started server. `stop()` (or `await using`) stops it and releases its port. */
export interface RunningServer extends AsyncDisposable {
  readonly port: number;
  /** `http://<host>:<port>` for the first host that accepted a connection. */
  readonly url: string;
  /** The server's pid (the supervisor's for commands); undefined in process. */
  readonly pid: number | undefined;
  /** The last 64 KiB of the server's stdout and stderr. */
  output(): string;
  /** Stops the server (whole process tree) and releases its port. Idempotent. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;
const here = dirname(fileURLToPath(import.meta.url));

function supervisorPath(): string {
  for (const name of ['supervisor.js', 'supervisor.cjs']) {
    const path = join(here, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`portlease: supervisor.js missing next to ${here}; reinstall portlease.`);
}

class OutputBuffer {
  text = '';
  constructor(private readonly log: boolean) {}
  attach(stream: Readable | null): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      if (this.log) process.stderr.write(chunk);
      this.text = (this.text + chunk).slice(-OUTPUT_LIMIT);
    });
  }
}

function describe(options: StartServerOptions): string {
  if (options.name) return options.name;
  if (options.command === undefined) return 'in-process server';
  return typeof options.command === 'string' ? options.command : options.command.join(' ');
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n').slice(-30).join('\n');
  return lines ? `\n--- server output (last lines) ---\n${lines}\n---` : '\n(the server printed nothing)';
}

function invalid(message: string): PortleaseError {
  return new PortleaseError('INVALID_OPTIONS', message);
}

function validate(options: StartServerOptions): void {
  if ((options.command === undefined) === (options.start === undefined)) {
    throw invalid('startServer needs exactly one of `command` (a child process) or `start` (in process).');
  }
  if (Array.isArray(options.command) && options.command.length === 0) {
    throw invalid('startServer: `command` is an empty array; give the program and its arguments.');
  }
  for (const key of ['readyTimeout', 'stopTimeout'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw invalid(`startServer: \`${key}\` must be a positive number of milliseconds, got ${value}.`);
    }
  }
}

function spawnSupervised(options: StartServerOptions, port: number, output: OutputBuffer): ChildProcess {
  const fill = (arg: string) => arg.replaceAll('{port}', String(port));
  const shell = typeof options.command === 'string';
  const command = shell ? [fill(options.command as string)] : (options.command as string[]).map(fill);
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of [options.portEnv ?? 'PORT'].flat()) env[name] = String(port);
  const spec = JSON.stringify({ command, shell, cwd: options.cwd, stopTimeout: options.stopTimeout ?? 5000 });
  const child = spawn(process.execPath, [supervisorPath(), spec], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  output.attach(child.stdout);
  output.attach(child.stderr);
  return child;
}

async function stopStoppable(stoppable: Stoppable): Promise<void> {
  if (!stoppable) return;
  if (typeof stoppable === 'function') {
    await stoppable();
  } else if ('stop' in stoppable) {
    await stoppable.stop();
  } else if ('close' in stoppable) {
    await new Promise<void>((resolve) => {
      const result = stoppable.close(() => resolve());
      // Promise-returning close() (fastify, …) has no callback.
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(
          () => resolve(),
          () => resolve(),
        );
      }
      if ('closeAllConnections' in stoppable)
        (stoppable as { closeAllConnections(): void }).closeAllConnections();
    });
  }
}

/**
 * Starts a server on a leased (or given) port, waits until it accepts TCP connections, and returns
 * its `port` and `url`. A command runs under a small supervisor in its own process group, so stopping
 * it, or the death of this process (even by SIGKILL), takes down the whole process tree.
 *
 * @throws {PortleaseError} `SERVER_EXITED` (with the server's output) if it exits before listening,
 * `SERVER_TIMEOUT` if it does not listen within `readyTimeout`, `INVALID_OPTIONS` for bad options.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  validate(options);
  const name = describe(options);
  const lease: PortLease | undefined =
    options.port === undefined ? await leasePort({ owner: `server: ${name}`, ...options.lease }) : undefined;
  const port = options.port ?? (lease as PortLease).port;
  const output = new OutputBuffer(options.log ?? false);
  const hosts = options.hosts ?? ['127.0.0.1', '::1'];
  const readyTimeout = options.readyTimeout ?? 30_000;

  let child: ChildProcess | undefined;
  let stoppable: Stoppable;
  let exited: string | undefined;
  let stopped: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        if (child) await stopChild(child, options.stopTimeout ?? 5000);
        else await stopStoppable(stoppable);
      } finally {
        await lease?.release();
      }
    })();
    return stopped;
  };

  try {
    if (options.command !== undefined) {
      child = spawnSupervised(options, port, output);
      const exitPromise = new Promise<void>((resolve) => {
        child?.once('exit', (code, signal) => {
          exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          resolve();
        });
      });
      void exitPromise;
    } else {
      stoppable = await (options.start as NonNullable<StartServerOptions['start']>)(port);
    }
    const deadline = performance.now() + readyTimeout;
    for (;;) {
      const host = await reachableHost(port, hosts);
      if (host !== undefined && exited === undefined) {
        child?.unref();
        for (const stream of [child?.stdout, child?.stderr, child?.stdio[3]]) {
          (stream as { unref?: () => void } | null | undefined)?.unref?.();
        }
        return {
          port,
          url: urlFor(host, port),
          pid: child?.pid,
          output: () => output.text,
          stop,
          [Symbol.asyncDispose]: stop,
        };
      }
      if (exited !== undefined) {
        throw new PortleaseError(
          'SERVER_EXITED',
          `Server ${JSON.stringify(name)} ${exited} before it accepted connections on port ${port}. Check the command and that it listens on $${[options.portEnv ?? 'PORT'].flat()[0]}.${tail(output.text)}`,
          { details: { port, output: output.text } },
        );
      }
      if (performance.now() > deadline) {
        throw new PortleaseError(
          'SERVER_TIMEOUT',
          `Server ${JSON.stringify(name)} did not accept connections on port ${port} (hosts ${hosts.join(', ')}) within ${readyTimeout} ms. Make it listen on the port it is given, or raise readyTimeout.${tail(output.text)}`,
          { details: { port, output: output.text } },
        );
      }
      await delay(50);
    }
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

/** SIGTERM to the supervisor (which stops the group), SIGKILL after the timeout; waits for exit. */
async function stopChild(child: ChildProcess, stopTimeout: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeout + 1000);
  await exited;
  clearTimeout(timer);
}
