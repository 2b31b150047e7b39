import { lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrno } from '../errors.js';
import { ensureLockDir, forgetLockDir, type LockPaths, lockDirError } from './lock-dir.js';

/*
 * The lock directory's entries, and every operation on them. The layout (docs/protocol.md §2):
 *
 *   <root>/<scope>/<port>/<token>      a lease: the record file, named by its token
 *   <root>/<scope>/.staging/<token>/<token>   a record written in full, not yet published
 *   <root>/<scope>/.sticky/<key id>    a sticky key's memo (store/memos.ts)
 *
 * A lease is published by renaming its staged directory to `<port>`: the rename fails when the port
 * directory exists and is not empty, so exactly one record wins a port. Nothing here is ever followed
 * through a symlink, and nothing portlease did not write is deleted.
 */

const PORT_DIR_NAME = /^\d+$/;

/** Whether a scope entry's name is a port directory (and not `.staging`, `.sticky` or a stranger). */
export function isPortDirName(name: string): boolean {
  return PORT_DIR_NAME.test(name);
}

/** The directory a lease of `port` is published as. */
export function portDirOf(paths: LockPaths, port: number): string {
  return join(paths.scope, String(port));
}

/**
 * Writes a complete record in a private staging directory; returns that directory and the paths, which
 * are verified again (and the lock directory recreated) once if its scope vanished under us.
 */
export function stageRecord(
  lockDir: string,
  paths: LockPaths,
  token: string,
  body: string,
): { staged: string; paths: LockPaths } {
  for (let attempt = 0; ; attempt++) {
    const dir = join(paths.staging, token);
    try {
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, token), body, { flag: 'wx', mode: 0o600 });
      return { staged: dir, paths };
    } catch (error) {
      try {
        removeEntry(dir, token);
      } catch {
        // Best effort; a leftover staged entry of ours is swept once we are gone.
      }
      if (attempt === 0 && hasErrno(error, 'ENOENT')) {
        forgetLockDir(lockDir);
        paths = ensureLockDir(lockDir);
        continue;
      }
      throw lockDirError(paths.root, error);
    }
  }
}

/** Publishes the staged record as the port's lock in one step. `false`: someone holds the port. */
export function publish(staged: string, portDir: string, root: string): boolean {
  try {
    renameSync(staged, portDir);
    return true;
  } catch (error) {
    if (hasErrno(error, 'ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EISDIR')) return false;
    if (hasErrno(error, 'EPERM', 'EACCES')) {
      // On Linux a rename onto a non-empty directory is ENOTEMPTY; EPERM/EACCES means we cannot write,
      // unless the port directory is there and readable (BSD answers so for a held port).
      try {
        readdirSync(portDir);
        return false;
      } catch {
        throw lockDirError(root, error);
      }
    }
    throw lockDirError(root, error);
  }
}

/** Takes a published record back into staging (the port turned out busy), so it can be tried again. */
export function unpublish(portDir: string, staged: string, root: string): void {
  try {
    renameSync(portDir, staged);
  } catch (error) {
    throw lockDirError(root, error);
  }
}

/**
 * Removes one token's record and then its directory if (and only if) it is now empty: a port
 * directory, or a staged one. Returns `false`, touching nothing, when the directory is not a real
 * directory (a symlink: unlinking through it would delete a file elsewhere) or the entry is a
 * directory: portlease only writes files there, and never deletes what it did not write. Other
 * failures throw.
 */
export function removeEntry(dir: string, token: string): boolean {
  if (!isRealDirectory(dir)) return false;
  try {
    unlinkSync(join(dir, token));
  } catch (error) {
    // Linux says EISDIR for unlink of a directory; BSD and macOS say EPERM.
    if (hasErrno(error, 'EISDIR', 'EPERM')) return false;
    if (!hasErrno(error, 'ENOENT')) throw error;
  }
  try {
    rmdirSync(dir);
  } catch (error) {
    // Not empty: someone published a new lease on this port after our record went. Leave it.
    if (!hasErrno(error, 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'EBUSY')) throw error;
  }
  return true;
}

/** A removal the lock directory refused: the coded error, and the removal to retry later. */
export interface RefusedRemoval {
  error: Error;
  retry: () => void;
}

/**
 * Removes this process's own record. If the lock directory refuses (turned read-only, replaced), the
 * refusal is returned, coded, with the removal to retry (realm/owner.ts defers it); nothing is thrown.
 */
export function removeOwnRecord(portDir: string, token: string, root: string): RefusedRemoval | undefined {
  const retry = () => {
    removeEntry(portDir, token);
  };
  try {
    retry();
    return undefined;
  } catch (error) {
    return { error: lockDirError(root, error), retry };
  }
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

/** A directory's names; none when it is gone. Out of descriptors and the like throw, coded. */
export function readNames(dir: string, root: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT', 'ENOTDIR')) return [];
    // Coded: TOO_MANY_OPEN_FILES when out of descriptors, never an empty or partial answer.
    throw lockDirError(root, error);
  }
}

/** The ports with a directory in the scope. */
export function portsInScope(paths: LockPaths): number[] {
  return readNames(paths.scope, paths.root).filter(isPortDirName).map(Number);
}

/** A port directory's record names, or `'unreadable'` for what is not a real directory we may read. */
export function readPortDir(portDir: string, root: string): string[] | 'unreadable' {
  try {
    if (!isRealDirectory(portDir)) return 'unreadable';
    return readdirSync(portDir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return [];
    if (hasErrno(error, 'EACCES', 'EPERM', 'ENOTDIR')) return 'unreadable';
    throw lockDirError(root, error);
  }
}

/** Removes a port directory if it is empty; whether it did. */
export function removeIfEmpty(portDir: string): boolean {
  try {
    rmdirSync(portDir);
    return true;
  } catch {
    // Not empty (a live lease, or re-taken meanwhile), gone, or not a directory: leave it.
    return false;
  }
}
