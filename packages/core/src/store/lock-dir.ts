import { lstatSync, mkdirSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { fdExhaustion, hasErrno, PortleaseError } from '../errors.js';
import { defaultLockDir } from '../platform/default-lock-dir.js';
import { networkScope } from '../platform/netns.js';

/** Where the leases of one network namespace live inside a lock directory. */
export interface LockPaths {
  /** The verified lock directory. */
  root: string;
  /** One sub-directory per network namespace: ports are per namespace, and so are leases. */
  scope: string;
  /** Where records are written in full before they are published by rename. */
  staging: string;
}

/** This process's uid (null where there is none), read once: it is checked on every allocation. */
export const UID: number | null = typeof process.getuid === 'function' ? process.getuid() : null;

const UNWRITABLE = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'];

export { defaultLockDir } from '../platform/default-lock-dir.js';

function unsafe(path: string, problem: string, fix: string): PortleaseError {
  return new PortleaseError(
    'LOCK_DIR_UNSAFE',
    `Lock directory ${path} ${problem}. ${fix} Or set PORTLEASE_DIR to a directory you own with mode 0700.`,
    { details: { path } },
  );
}

function unwritable(path: string, cause: unknown): PortleaseError {
  const code = (cause as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'its filesystem is full'
      : code === 'EROFS'
        ? 'its filesystem is read-only'
        : 'permission was denied';
  return new PortleaseError(
    'LOCK_DIR_UNWRITABLE',
    `Cannot write to lock directory ${path}: ${why} (${code}). Free space or fix its permissions, or set PORTLEASE_DIR to a writable directory.`,
    { cause, details: { path, errno: code } },
  );
}

/** Wraps a filesystem error met inside the lock directory in a PortleaseError that says what to do. */
export function lockDirError(path: string, cause: unknown): PortleaseError {
  if (cause instanceof PortleaseError) return cause;
  const fds = fdExhaustion(cause, `use lock directory ${path}`);
  if (fds) return fds;
  if (hasErrno(cause, ...UNWRITABLE)) return unwritable(path, cause);
  if (hasErrno(cause, 'ENOTDIR', 'ELOOP')) {
    return unsafe(path, 'contains something that is not a directory where one was expected', 'Remove it.');
  }
  // Anything else the filesystem says (EIO, ESTALE on NFS, …): still coded, with the errno, so a
  // caller can tell a lock directory failure from a bug without parsing a raw message.
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? String(cause);
  return new PortleaseError(
    'LOCK_DIR_UNWRITABLE',
    `Cannot use lock directory ${path}: the filesystem answered ${code}${cause instanceof Error ? ` (${cause.message})` : ''}. Check the filesystem, or set PORTLEASE_DIR to a directory on another one.`,
    { cause, details: { path, errno: code } },
  );
}

/**
 * The fix-it command for a root, only when it is a path portlease would own (the default lock
 * directory, whose name it chose): for a path the user gave (`PORTLEASE_DIR=/etc/passwd`, `/`) a
 * suggested `rm` or `chmod` could do real harm, so the message says what is wrong and points elsewhere.
 */
function fixFor(path: string, command: string, otherwise: string): string {
  const own = path === resolve(defaultLockDir()) || path === defaultLockDir();
  return own
    ? `Run ${command} ${path}${command.startsWith('rm') ? ' (portlease recreates it)' : ''}.`
    : otherwise;
}

const NOT_OURS =
  'Remove it or fix it only if it is yours to change: it is not a path portlease chose, so no command is suggested.';

function checkRoot(path: string, stats: Stats): void {
  if (stats.isSymbolicLink()) {
    throw unsafe(path, 'is a symbolic link (someone may be redirecting it)', fixFor(path, 'rm', NOT_OURS));
  }
  if (!stats.isDirectory()) throw unsafe(path, 'is not a directory', fixFor(path, 'rm', NOT_OURS));
  if (process.platform === 'win32' || UID === null) return;
  if (stats.uid !== UID) {
    // Never a removal command: the directory is another user's, and may hold that user's live leases.
    throw unsafe(
      path,
      `is owned by uid ${stats.uid}, not by you (uid ${UID})`,
      `It is not yours: do not remove it unless you know that uid ${stats.uid} has no use for it (it may hold that user's live leases).`,
    );
  }
  if ((stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw unsafe(
      path,
      `has mode ${mode}, open to other users`,
      fixFor(
        path,
        'chmod 700',
        'If it is a directory made for portlease alone, restrict it to its owner (chmod 700); if it is shared (such as /tmp), leave it as it is.',
      ),
    );
  }
}

function ensureSubdir(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if (!hasErrno(error, 'EEXIST')) throw lockDirError(path, error);
  }
  const stats = lstatSync(path);
  if (!stats.isDirectory()) throw unsafe(path, 'is not a directory', `Remove it (rm ${path}).`);
}

/**
 * Creates the lock directory. Plainly first: a recursive mkdir reports ENOENT instead of EROFS on a
 * read-only filesystem, which would hide the reason from the user; recursive only when a parent is
 * missing.
 */
function makeRoot(root: string): void {
  try {
    mkdirSync(root, { mode: 0o700 });
  } catch (error) {
    if (!hasErrno(error, 'ENOENT')) throw error;
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }
}

/** Stats of each root verified in this process, to notice a directory replaced while running. */
const verified = new Map<string, { dev: number; ino: number; paths: LockPaths }>();

function statOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return null;
    throw lockDirError(path, error);
  }
}

/**
 * Creates (mode 0700) and verifies the lock directory, then its scope and staging sub-directories.
 * Cheap on repeat: one lstat confirms the directory is still the one verified before.
 */
export function ensureLockDir(root: string): LockPaths {
  let stats = statOrNull(root);
  const known = verified.get(root);
  if (known && stats && stats.dev === known.dev && stats.ino === known.ino) {
    checkRoot(root, stats);
    return known.paths;
  }
  if (!stats) {
    try {
      makeRoot(root);
    } catch (error) {
      if (!hasErrno(error, 'EEXIST')) throw lockDirError(root, error);
    }
    stats = lstatSync(root);
  }
  checkRoot(root, stats);
  const scope = join(root, networkScope());
  const paths: LockPaths = { root, scope, staging: join(scope, '.staging') };
  ensureSubdir(scope);
  ensureSubdir(paths.staging);
  verified.set(root, { dev: stats.dev, ino: stats.ino, paths });
  return paths;
}

/** Forgets a verified root so the next call checks it from scratch (used when it vanished under us). */
export function forgetLockDir(root: string): void {
  verified.delete(root);
}
