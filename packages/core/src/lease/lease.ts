import { onProcessExit, releaseOwner, removeOrDefer } from '../realm/owner.js';

/**
 * A port held for this process (or worker thread) until {@link PortLease.release} is called or the
 * process exits or dies. While held, no other portlease user sharing the lock directory gets it.
 *
 * @example
 * ```ts
 * const lease = await leasePort();
 * server.listen(lease.port);
 * // …
 * await lease.release(); // idempotent
 *
 * // or let the scope release it:
 * await using lease2 = await leasePort();
 * ```
 */
export interface PortLease extends AsyncDisposable, Disposable {
  /** The leased TCP port. */
  readonly port: number;
  /** The label kept in the lease record (the `owner` option). */
  readonly owner: string;
  /** This lease's token: the record file's name, the only name release deletes. */
  readonly token: string;
  /** The sticky name this lease was taken under (the `sticky` option), if any. */
  readonly sticky: string | undefined;
  /** The name this lease was taken under (`name` or `sticky`), by which findLease finds it, if any. */
  readonly name: string | undefined;
  /** Whether {@link PortLease.release} has run. */
  readonly released: boolean;
  /**
   * Deletes this lease's own record (never another's, even if this one had been reclaimed) and frees
   * the port for others. Safe to call more than once.
   *
   * If the lock directory cannot be written (read-only, replaced), it rejects with a `PortleaseError`
   * (`LOCK_DIR_UNWRITABLE`, `LOCK_DIR_UNSAFE`, …); the lease counts as released and the removal is
   * retried before this process's next allocation and at exit.
   */
  release(): Promise<void>;
  /** {@link PortLease.release}, synchronously: for exit handlers and `using`. */
  releaseSync(): void;
  /** `{ port, owner, sticky?, name? }`, as `JSON.stringify` shows a lease. */
  toJSON(): { port: number; owner: string; sticky?: string; name?: string };
}

/** The one implementation of {@link PortLease}, made by take-port.ts only (no public constructor). */
export class HeldLease implements PortLease {
  readonly port: number;
  readonly owner: string;
  readonly token: string;
  readonly sticky: string | undefined;
  readonly name: string | undefined;
  readonly #dir: string;
  readonly #root: string;
  readonly #ownerId: string;
  readonly #unhook: () => void;
  #released = false;

  /** @internal Created by leasePort / leasePorts. */
  constructor(
    port: number,
    owner: string,
    token: string,
    portDir: string,
    ownerId: string,
    root: string,
    sticky?: string,
    name?: string,
  ) {
    this.port = port;
    this.owner = owner;
    this.token = token;
    this.sticky = sticky;
    this.name = name;
    this.#dir = portDir;
    this.#root = root;
    this.#ownerId = ownerId;
    this.#unhook = onProcessExit(() => this.#drop());
  }

  /** Whether {@link release} has run. */
  get released(): boolean {
    return this.#released;
  }

  /**
   * Deletes this lease's own record (never another's, even if this one had been reclaimed) and frees
   * the port for others. Safe to call more than once.
   *
   * If the lock directory cannot be written (read-only, replaced), it rejects with a `PortleaseError`
   * (`LOCK_DIR_UNWRITABLE`, `LOCK_DIR_UNSAFE`, …); the lease counts as released and the removal is
   * retried before this process's next allocation and at exit.
   */
  release(): Promise<void> {
    try {
      this.releaseSync();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** {@link release}, synchronously: for exit handlers and `using`. */
  releaseSync(): void {
    if (this.#released) return;
    this.#unhook();
    try {
      this.#drop();
    } finally {
      releaseOwner(this.#ownerId);
    }
  }

  #drop(): void {
    if (this.#released) return;
    this.#released = true;
    removeOrDefer(this.#dir, this.token, this.#root);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  [Symbol.dispose](): void {
    this.releaseSync();
  }

  toJSON(): { port: number; owner: string; sticky?: string; name?: string } {
    const json: { port: number; owner: string; sticky?: string; name?: string } = {
      port: this.port,
      owner: this.owner,
    };
    if (this.sticky !== undefined) json.sticky = this.sticky;
    if (this.name !== undefined) json.name = this.name;
    return json;
  }
}
