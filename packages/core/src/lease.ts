import { lstatSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hasErrno } from './errors.js';
import { lockDirError } from './lock-dir.js';
import { deferRemoval, onProcessExit, releaseOwner } from './owner.js';

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
export class PortLease implements AsyncDisposable, Disposable {
  /** The leased TCP port. */
  readonly port: number;
  /** The label kept in the lease record (the `owner` option). */
  readonly owner: string;
  /** This lease's token: the record file's name, the only name release deletes. */
  readonly token: string;
  readonly #dir: string;
  readonly #ownerId: string;
  readonly #unhook: () => void;
  #released = false;

  /** @internal Created by leasePort / leasePorts. */
  constructor(port: number, owner: string, token: string, portDir: string, ownerId: string) {
    this.port = port;
    this.owner = owner;
    this.token = token;
    this.#dir = portDir;
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
    const remove = () => {
      removeEntry(this.#dir, this.token);
    };
    try {
      remove();
    } catch (error) {
      deferRemoval(this.token, remove);
      // The port directory sits in <lock dir>/<scope>/.
      throw lockDirError(dirname(dirname(this.#dir)), error);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }

  [Symbol.dispose](): void {
    this.releaseSync();
  }

  toJSON(): { port: number; owner: string } {
    return { port: this.port, owner: this.owner };
  }
}

/**
 * Removes one token's record and then the port's directory if (and only if) it is now empty. Returns
 * `false`, touching nothing, when the port directory is not a real directory (a symlink: unlinking
 * through it would delete a file elsewhere) or the entry is a directory: portlease only writes files
 * there, and never deletes what it did not write. Other failures throw.
 */
export function removeEntry(portDir: string, token: string): boolean {
  if (!isRealDirectory(portDir)) return false;
  try {
    unlinkSync(join(portDir, token));
  } catch (error) {
    // Linux says EISDIR for unlink of a directory; BSD and macOS say EPERM.
    if (hasErrno(error, 'EISDIR', 'EPERM')) return false;
    if (!hasErrno(error, 'ENOENT')) throw error;
  }
  try {
    rmdirSync(portDir);
  } catch (error) {
    // Not empty: someone published a new lease on this port after our record went. Leave it.
    if (!hasErrno(error, 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'EBUSY')) throw error;
  }
  return true;
}

/**
 * Whether `path` is a directory itself, not a symlink to one (lstat): nothing under the lock
 * directory is ever followed. A missing path counts as a directory (there is nothing to follow).
 */
export function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return true;
    throw error;
  }
}
