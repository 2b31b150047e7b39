/**
 * Every failure portlease reports has a stable `code`, so callers can branch on it:
 *
 * - `INVALID_OPTIONS` — an option or environment variable has a value portlease cannot use.
 * - `RANGE_EXHAUSTED` — every port of the range is held by a live lease or in use by another program.
 * - `LOCK_DIR_UNSAFE` — the lock directory is a symlink, not a directory, owned by someone else, or
 *   open to group/other users. Remove it or point `PORTLEASE_DIR` elsewhere.
 * - `LOCK_DIR_UNWRITABLE` — the lock directory cannot be created or written (permissions, read-only or
 *   full filesystem).
 * - `TOO_MANY_OPEN_FILES` — this process (or the system) is out of file descriptors (`EMFILE`,
 *   `ENFILE`), so portlease could not open its lock files, probe sockets or liveness socket. Close
 *   some, or raise the limit (`ulimit -n`). Leases already held are not affected.
 * - `NETWORK_NAMESPACE_UNKNOWN` — (Linux) `/proc/self/ns/net` cannot be read (no `/proc` mounted), so
 *   portlease cannot tell which processes share this process's ports, and refuses rather than guess.
 * - `ABORTED` — the `signal` passed in was aborted (and only that).
 * - `HOLDER_FAILED` — (CLI `portlease get`) its holder process could not be started (`EAGAIN` at a
 *   process limit, `/dev/null` missing), died before it reported (e.g. `SIGABRT` when Node cannot
 *   start its threads), or did not report within `PORTLEASE_HOLDER_TIMEOUT_MS` (30 s) and was
 *   killed. Nothing is held; a later try may succeed.
 * - `SERVER_EXITED` — a server started by {@link startServer} exited before it accepted connections.
 * - `SERVER_TIMEOUT` — a server started by {@link startServer} did not accept connections in time.
 * - `NOT_FOUND` — no live lease has the name asked for in this project (`portlease port NAME`).
 *   Start it with `portlease run --name NAME`, from the same project (or the same `stickyScope`).
 * - `TIMEOUT` — what was waited for did not happen in time: a named lease, or its port accepting
 *   connections (`waitForLease`, `portlease port --wait`), or an adopted command listening
 *   (`portlease run --adopt`).
 * - `ADOPT_AMBIGUOUS` — `--adopt` / `adopt: true` found the command listening on several ports; the
 *   message lists them. Make the command listen on one port, or lease its ports instead.
 * - `ADOPT_HELD` — the port an adopted command listens on is held by another live lease (the command
 *   took a port that portlease had handed to someone who had not bound it yet); nothing was adopted.
 */
export type PortleaseErrorCode =
  | 'INVALID_OPTIONS'
  | 'RANGE_EXHAUSTED'
  | 'LOCK_DIR_UNSAFE'
  | 'LOCK_DIR_UNWRITABLE'
  | 'TOO_MANY_OPEN_FILES'
  | 'NETWORK_NAMESPACE_UNKNOWN'
  | 'ABORTED'
  | 'HOLDER_FAILED'
  | 'SERVER_EXITED'
  | 'SERVER_TIMEOUT'
  | 'NOT_FOUND'
  | 'TIMEOUT'
  | 'ADOPT_AMBIGUOUS'
  | 'ADOPT_HELD';

/**
 * The one error class portlease throws. `code` is stable; `message` says what to do and always starts
 * with the code in brackets (`[RANGE_EXHAUSTED] No free port in …`), because the runners print an
 * error's message but not its fields.
 *
 * @example
 * ```ts
 * try {
 *   await leasePort({ range: [20000, 20001] });
 * } catch (error) {
 *   if (error instanceof PortleaseError && error.code === 'RANGE_EXHAUSTED') {
 *     console.error(error.message); // names the live holders and how to widen the range
 *   }
 * }
 * ```
 */
export class PortleaseError extends Error {
  override readonly name = 'PortleaseError';
  readonly code: PortleaseErrorCode;
  /** Extra data for the failure, e.g. the path of the lock directory or the holders of a range. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: PortleaseErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(
      `[${code}] ${withoutCode(message, code)}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.details = options.details ?? {};
  }

  /**
   * The same failure with `context` (where it happened, e.g. `@portlease/jest global setup`) put in
   * front of its text; code and details are kept. The one way adapters and the CLI add context.
   *
   * @example
   * ```ts
   * throw error.withContext('The workerServer of "api" did not start');
   * // [SERVER_EXITED] The workerServer of "api" did not start: Server "node api.js" exited with code 1 …
   * ```
   */
  withContext(context: string): PortleaseError {
    return new PortleaseError(this.code, `${context}: ${withoutCode(this.message, this.code)}`, {
      details: { ...this.details },
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    });
  }
}

function withoutCode(message: string, code: string): string {
  const prefix = `[${code}] `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/**
 * The error for running out of file descriptors, or `undefined` if `cause` is something else.
 * `doing` says what failed, e.g. "open its liveness socket".
 */
export function fdExhaustion(cause: unknown, doing: string): PortleaseError | undefined {
  if (!hasErrno(cause, 'EMFILE', 'ENFILE')) return undefined;
  const code = (cause as NodeJS.ErrnoException).code;
  return new PortleaseError(
    'TOO_MANY_OPEN_FILES',
    `portlease could not ${doing}: this process is out of file descriptors (${code}). Close files or sockets you no longer need, or raise the limit (ulimit -n). Leases already held are kept.`,
    { cause, details: { errno: code } },
  );
}

/** True for a Node.js system error with the given `code` (ENOENT, EEXIST, …). */
export function hasErrno(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    codes.includes(String((error as NodeJS.ErrnoException).code))
  );
}
