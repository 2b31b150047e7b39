import { lstatSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UID } from './lock-dir.js';

/** Another user's default lock directory found on this host. */
export interface OtherUserLockDir {
  path: string;
  uid: number;
}

const NAME = /^portlease-(\d+)$/;

/**
 * Lock directories of other users next to this user's default one (and in `/dev/shm` and `/tmp`,
 * where the defaults live): `portlease-<uid>` directories owned by that uid. portlease does not
 * coordinate across users (each lock directory is private to its user), so `doctor` names them.
 * Only names and `lstat` are read: nothing inside another user's directory.
 *
 * @example
 * ```ts
 * otherUsersLockDirs('/dev/shm/portlease-1000'); //=> [{ path: '/dev/shm/portlease-0', uid: 0 }]
 * ```
 */
export function otherUsersLockDirs(defaultDir: string): OtherUserLockDir[] {
  if (UID === null) return [];
  const found = new Map<string, OtherUserLockDir>();
  for (const parent of new Set([dirname(defaultDir), '/dev/shm', '/tmp'])) {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = NAME.exec(name);
      if (!match || Number(match[1]) === UID) continue;
      const path = join(parent, name);
      try {
        const stats = lstatSync(path);
        if (stats.isDirectory() && stats.uid === Number(match[1])) found.set(path, { path, uid: stats.uid });
      } catch {
        // Gone meanwhile.
      }
    }
  }
  return [...found.values()];
}
