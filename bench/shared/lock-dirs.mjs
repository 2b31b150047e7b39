// Where portlease keeps its lock directory in each measured row. Three places:
//   defaults  what a user's process resolves with no lockDir option and no PORTLEASE_DIR: the bench
//             passes neither and asks the built core where that is (defaultLockDir), so the row
//             follows the core when its default changes
//   disk      a fresh directory in os.tmpdir() (a disk, ext4, on most Linux CI runners and containers)
//   tmpfs     a fresh directory in /dev/shm (memory), where /dev/shm is a tmpfs
// and, for the measures that must not fill the user's shared directory (scale, crash), a private
// directory on the default's filesystem.
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultLockDir } from 'portlease';
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

/** The lock directory the built core resolves by default, in the environment children get. */
export function resolvedDefault() {
  const dir = defaultLockDir(childEnv());
  if (typeof dir !== 'string' || !dir) {
    throw new Error(
      `portlease's defaultLockDir() returned ${String(dir)}, not a path: update shared/lock-dirs.mjs`,
    );
  }
  return dir;
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
