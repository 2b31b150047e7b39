import { join } from 'node:path';
import { readNames, removeEntry } from './entries.js';
import type { LockPaths } from './lock-dir.js';
import { ownerIdOfToken } from './record.js';

/** Answers whether an owner is alive: `true` also when it cannot tell (realm/liveness.ts). */
export type IsOwnerAlive = (ownerId: string) => Promise<boolean>;

/** Removes staged (never published) records of owners `isOwnerAlive` proves dead; returns how many. */
export async function sweepStaging(paths: LockPaths, isOwnerAlive: IsOwnerAlive): Promise<number> {
  let removed = 0;
  for (const token of readNames(paths.staging, paths.root)) {
    const ownerId = ownerIdOfToken(token);
    if (ownerId === undefined || (await isOwnerAlive(ownerId))) continue;
    try {
      // removeEntry touches nothing unless the staged entry is a real directory (never a symlink).
      if (removeEntry(join(paths.staging, token), token)) removed++;
    } catch {
      // Not the shape portlease stages (a directory holding one file): not ours to delete.
    }
  }
  return removed;
}

const swept = new Set<string>();

/** Once per lock directory per process, in the background: clear staged leftovers of crashed owners. */
export function sweepStagingOnce(paths: LockPaths, isOwnerAlive: IsOwnerAlive): void {
  if (swept.has(paths.staging)) return;
  swept.add(paths.staging);
  sweepStaging(paths, isOwnerAlive).catch(() => {});
}
