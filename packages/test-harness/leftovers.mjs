// What a lock directory holds, read through the build's store (dist/testing.js, not exported by the
// package): the tests, bench and chaos tool never walk the on-disk layout themselves.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { dist } from './build.mjs';

const store = await import(pathToFileURL(join(dist, 'testing.js')).href);

/**
 * Everything left below a lock directory's scopes, as `{ path, kind, owner? }` with kind `port`,
 * `record`, `staged` or `memo`; `[]` when every lease was released cleanly.
 */
export const leftovers = store.leftovers;
/** The paths of {@link leftovers}: what a failed `deepEqual(recordsIn(dir), [])` prints. */
export const recordsIn = (lockDir) => store.leftovers(lockDir).map((entry) => entry.path);
/** The staging directory of a scope (`stagingDirOf(lockDir, scope)`), to plant a staged entry. */
export const stagingDirOf = store.stagingDirOf;
/** The sticky memo directory of a scope (`memoDirOf(lockDir, scope)`). */
export const memoDirOf = store.memoDirOf;
/** The staging directory's name, for tests that make up strangers' names beside it. */
export const STAGING_DIR = store.STAGING_DIR;
