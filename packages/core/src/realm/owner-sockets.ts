import { existsSync, lstatSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fdExhaustion, hasErrno, PortleaseError } from '../errors.js';
import { lockDirError } from '../store/lock-dir.js';

/**
 * Where owners' socket files live where the kernel has no abstract sockets or named pipes (macOS, the
 * BSDs): one per-user directory at a fixed place, `/tmp/portlease-owners-<uid>` (mode 0700, owned by
 * the user, not a symlink; checked like the lock directory).
 *
 * Why there, and not in `os.tmpdir()` or the lock directory:
 * - A checker finds an owner's socket from the owner id alone (a record's token names only that), so
 *   every process of the user must compute the same directory. `os.tmpdir()` follows `TMPDIR`, which
 *   runners and shells set differently per process: a process looking in its own `TMPDIR` would find
 *   no socket for a live owner and reclaim its ports. `/tmp` does not move.
 * - An owner (one per process or worker thread) serves leases in any number of lock directories, so
 *   its one socket cannot live in one of them.
 * - Unix socket paths are limited to 104 bytes on macOS and the BSDs (108 on Linux), and macOS's
 *   `os.tmpdir()` is a long `/var/folders/…/T/` path (or whatever `TMPDIR` says); this path is about 60.
 * - A private 0700 directory: other users can neither plant sockets in it (pinning dead owners alive)
 *   nor remove ours (making live owners look dead). Lock directories are private to one uid, so every
 *   process that checks an owner runs as that uid.
 * Where `/tmp` does not exist (Android), `os.tmpdir()` is used instead.
 */
export const SOCKET_PATH_MAX = 104;

const OWNER_FILE = /^([0-9a-f]{24})\.sock$/;

function uid(): number | string {
  return typeof process.getuid === 'function' ? process.getuid() : 'user';
}

let dirCache: string | undefined;

/** The owner-socket directory's path (not checked; see {@link ensureOwnerSocketDir}). */
export function ownerSocketDir(): string {
  dirCache ??= join(existsSync('/tmp') ? '/tmp' : tmpdir(), `portlease-owners-${uid()}`);
  return dirCache;
}

/** The socket file of `ownerId`. */
export function ownerSocketPath(ownerId: string): string {
  return join(ownerSocketDir(), `${ownerId}.sock`);
}

function unsafe(path: string, problem: string): PortleaseError {
  return new PortleaseError(
    'LOCK_DIR_UNSAFE',
    `Owner socket directory ${path} ${problem}; portlease proves its processes alive with socket files there and will not trust it. Remove it (rm -r ${path}); portlease recreates it with mode 0700.`,
    { details: { path } },
  );
}

/** Why the directory cannot be trusted, or `undefined` if it is ours, private and a real directory. */
function problemOf(path: string): string | undefined {
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) return 'is a symbolic link';
  if (!stats.isDirectory()) return 'is not a directory';
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) {
    return `is owned by uid ${stats.uid}, not by you (uid ${process.getuid()})`;
  }
  if ((stats.mode & 0o077) !== 0) return `has mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}`;
  return undefined;
}

let verified = false;

/**
 * Creates (0700) and checks the directory; throws `LOCK_DIR_UNSAFE` if someone else's or open to
 * others, and refuses a path over the 104-byte limit with a clear error instead of `ENAMETOOLONG`.
 * Checked once per process, and again after the directory vanished (a temp cleaner).
 */
export function ensureOwnerSocketDir(force = false): string {
  const dir = ownerSocketDir();
  if (verified && !force) return dir;
  const longest = Buffer.byteLength(ownerSocketPath('0'.repeat(24)));
  if (longest >= SOCKET_PATH_MAX) {
    throw new PortleaseError(
      'LOCK_DIR_UNWRITABLE',
      `Owner socket paths under ${dir} would be ${longest} bytes, over the ${SOCKET_PATH_MAX - 1}-byte limit of unix socket paths here. Set TMPDIR to a shorter directory.`,
      { details: { path: dir } },
    );
  }
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    // Coded like any lock directory failure (read-only /tmp, out of descriptors, …).
    if (!hasErrno(error, 'EEXIST')) throw lockDirError(dir, error);
  }
  const problem = problemOf(dir);
  if (problem) throw unsafe(dir, problem);
  verified = true;
  return dir;
}

/** Whether the checker may trust what it finds in the directory (read once per process). */
let trusted: boolean | undefined;
export function ownerSocketDirTrusted(): boolean {
  if (trusted === undefined || !trusted) {
    try {
      trusted = problemOf(ownerSocketDir()) === undefined;
    } catch (error) {
      // Missing: no owner listens there, so an owner with records there is dead. Other errors: unknown.
      trusted = hasErrno(error, 'ENOENT');
    }
  }
  return trusted;
}

/**
 * Connects to `path`: `null` if something listens, else the refusal (`ECONNREFUSED`, `ENOENT`, …).
 * Rejects with `TOO_MANY_OPEN_FILES` when out of descriptors: that says nothing about the owner.
 */
function refusal(path: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.unref();
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      const fds = fdExhaustion(error, 'check whether a lease owner is alive');
      if (fds) reject(fds);
      else resolve(String(error.code));
    });
  });
}

const RECHECKS = 2;
const RECHECK_MS = 25;

/**
 * Confirms that the owner of the socket file `path`, whose connect was just refused, is dead, and if
 * so removes its stale file. No file (`ENOENT`) is final. A refusal (`ECONNREFUSED`) is retried a
 * moment later before it counts, because on BSD kernels a unix socket whose accept queue is full
 * refuses too (Linux says `EAGAIN`): a live owner's backlog drains as soon as its event loop runs.
 * Any other answer counts as alive. Owner ids are never reused, so a file proven dead cannot belong to
 * a live owner by the time it is removed. Rejects only with `TOO_MANY_OPEN_FILES`.
 */
export async function confirmDeadAndClean(path: string): Promise<boolean> {
  for (let i = 0; ; i++) {
    const why = await refusal(path);
    if (why === 'ENOENT') return true;
    if (why !== 'ECONNREFUSED') return false;
    if (i === RECHECKS) break;
    await new Promise((resolve) => setTimeout(resolve, RECHECK_MS).unref());
  }
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Gone already (another checker cleaned it): still dead.
  }
  return true;
}

let swept = false;

/**
 * Once per process, when this process first opens an owner socket: removes the socket files of dead
 * owners that nobody checked (an owner killed while idle leaves its file, since only a clean close
 * removes it). `except` is our own id. Runs in the background; costs one connect per file.
 */
export function sweepOwnerSocketsOnce(except: string): void {
  if (swept) return;
  swept = true;
  let names: string[];
  try {
    names = readdirSync(ownerSocketDir());
  } catch {
    return;
  }
  void (async () => {
    for (const name of names) {
      const match = OWNER_FILE.exec(name);
      if (!match || match[1] === except) continue;
      const path = join(ownerSocketDir(), name);
      await confirmDeadAndClean(path);
    }
  })().catch(() => {});
}
