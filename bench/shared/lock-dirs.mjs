// Where portlease keeps its lock directory in each measured row. Three places:
//   defaults  what a user's process resolves with no lockDir option and no PORTLEASE_DIR: the bench
//             passes neither and asks the built core where that is (findDefaultLockDir), so the row
//             follows the core when its default changes
//   disk      a fresh directory in os.tmpdir() (a disk, ext4, on most Linux CI runners and containers)
//   tmpfs     a fresh directory in /dev/shm (memory), where /dev/shm is a tmpfs
// and, for the measures that must not fill the user's shared directory (scale, crash), a private
// directory on the default's filesystem.
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as portlease from 'portlease';
import { childEnv } from './fork.mjs';
import { filesystemOf } from './machine.mjs';

const TMPFS = 0x01021994;

/** Whether /dev/shm is a tmpfs (Linux): the tmpfs rows run only then. */
export function hasTmpfs() {
  try {
    return statfsSync('/dev/shm').type === TMPFS;
  } catch {
    return false;
  }
}

let found;

/**
 * Finds, once per run, the lock directory the built core resolves by default in the environment
 * children get: its `defaultLockDir()` where the core exports one, else where a lease taken with no
 * options and no PORTLEASE_DIR lands (its record's path in `listLeases()`,
 * `<root>/<scope>/<port>/<token>`).
 */
export async function findDefaultLockDir() {
  if (found) return found;
  if (typeof portlease.defaultLockDir === 'function') {
    found = portlease.defaultLockDir(childEnv());
  } else {
    const saved = process.env.PORTLEASE_DIR;
    delete process.env.PORTLEASE_DIR;
    try {
      const lease = await portlease.leasePort({ owner: 'bench default lock dir check' });
      const info = (await portlease.listLeases()).find((l) => l.token === lease.token);
      await lease.release();
      found = info && dirname(dirname(dirname(info.path)));
    } finally {
      if (saved !== undefined) process.env.PORTLEASE_DIR = saved;
    }
  }
  if (typeof found !== 'string' || !found) {
    throw new Error(
      `could not tell portlease's default lock directory (got ${found}): update shared/lock-dirs.mjs`,
    );
  }
  return found;
}

/** The default lock directory, once findDefaultLockDir() has run (run.mjs does, before measuring). */
export function resolvedDefault() {
  if (!found) throw new Error('findDefaultLockDir() must run first');
  return found;
}

/** Path and filesystem of each place, for the report (the fresh directories are made per run). */
export function describeLockDirs() {
  const out = {
    defaults: { path: resolvedDefault(), fs: undefined },
    disk: { path: join(tmpdir(), 'pl-bench-…'), fs: filesystemOf(tmpdir()) },
  };
  out.defaults.fs = filesystemOf(existingParent(out.defaults.path));
  if (hasTmpfs()) out.tmpfs = { path: '/dev/shm/pl-bench-…', fs: filesystemOf('/dev/shm') };
  return out;
}

function existingParent(path) {
  for (let p = path; ; p = dirname(p)) {
    try {
      statfsSync(p);
      return p;
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}

/**
 * A lock directory of `place` for one run of a measure: `{ lockDir, env, path, dispose }`.
 * `lockDir` is undefined for the defaults (pass no option), else the fresh directory; `env` is what
 * a child process gets to use it through PORTLEASE_DIR; `path` is where the records land.
 */
export function lockDirFor(place, tag) {
  if (place === 'defaults') {
    return { lockDir: undefined, env: {}, path: resolvedDefault(), dispose() {} };
  }
  const parent = place === 'tmpfs' ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(parent, `pl-bench-${tag}-`));
  return {
    lockDir: dir,
    env: { PORTLEASE_DIR: dir },
    path: dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A private directory beside the default lock directory (same filesystem), for a measure that fills
 * or kills its lock directory on purpose. `{ dir, dispose }`.
 */
export function privateBesideDefault(tag) {
  const dir = mkdtempSync(join(existingParent(dirname(resolvedDefault())), `pl-bench-${tag}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
