import type { LeaseOptions } from '../options/resolve.js';

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
  /** Use this port (1-65535) instead of leasing one (the caller keeps ownership of it). */
  port?: number;
  /** Options for leasing the port when `port` is not given. */
  lease?: LeaseOptions;
  /** Environment variable(s) that receive the port. Default `PORT`. */
  portEnv?: string | readonly string[];
  /** Extra environment for the command (merged over `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Working directory of the command (must exist). Default: this process's. */
  cwd?: string;
  /**
   * Hosts to check for readiness, in order; the first that accepts a connection makes `url`.
   * Default `['127.0.0.1', '::1']`.
   */
  hosts?: readonly string[];
  /** Milliseconds to wait for the server to accept connections. Default 30000. */
  readyTimeout?: number;
  /** Milliseconds between SIGTERM and SIGKILL when stopping. Default 5000; at most 2147482647 (a Node timer's limit, less a second). */
  stopTimeout?: number;
  /** Copy the server's output to this process's stderr as it comes. Default false (kept for errors). */
  log?: boolean;
  /** A name for messages. Default: the command. */
  name?: string;
  /**
   * Let the kernel choose the port: the command runs with `PORT=0` (`{port}` is `0`), portlease finds
   * the one port its process tree listens on (Linux: /proc; macOS: lsof; Windows: netstat) and leases
   * it, so others find it by `lease.name` and no portlease user is handed it. Commands only; not with
   * `port`. `ADOPT_AMBIGUOUS` if it listens on several ports, `SERVER_TIMEOUT` if on none in time.
   *
   * @example
   * ```ts
   * const api = await startServer({ command: ['node', 'api.js'], adopt: true, lease: { name: 'api' } });
   * ```
   */
  adopt?: boolean;
}

/** A started server. `stop()` (or `await using`) stops it and releases its port. */
export interface RunningServer extends AsyncDisposable {
  readonly port: number;
  /** `http://<host>:<port>` for the first host that accepted a connection. */
  readonly url: string;
  /**
   * For a command, the pid of portlease's small supervisor process that runs it (signal this one to
   * stop the server cleanly); undefined in process.
   */
  readonly pid: number | undefined;
  /** For a command, the pid of the command itself (the app, the supervisor's child); undefined in process. */
  readonly appPid: number | undefined;
  /** The last 64 KiB of the server's stdout and stderr. */
  output(): string;
  /** Stops the server (whole process tree) and releases its port. Idempotent. */
  stop(): Promise<void>;
}
