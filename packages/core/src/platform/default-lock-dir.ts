import { existsSync, lstatSync, statfsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { platformFacts } from './facts.js';

/** statfs(2) `f_type` magic numbers of the filesystems worth naming (linux/magic.h). */
const FILESYSTEMS: ReadonlyMap<number, { name: string; memory: boolean }> = new Map([
  [0x01021994, { name: 'tmpfs', memory: true }],
  [0x858458f6, { name: 'ramfs', memory: true }],
  [0xef53, { name: 'ext2/3/4', memory: false }],
  [0x58465342, { name: 'xfs', memory: false }],
  [0x9123683e, { name: 'btrfs', memory: false }],
  [0x2fc12fc1, { name: 'zfs', memory: false }],
  [0xf2f52010, { name: 'f2fs', memory: false }],
  [0x794c7630, { name: 'overlayfs', memory: false }],
  [0x6969, { name: 'nfs', memory: false }],
  [0xff534d42, { name: 'cifs', memory: false }],
  [0x65735546, { name: 'fuse', memory: false }],
  [0x01021997, { name: '9p', memory: false }],
  [0x6a656a63, { name: 'virtiofs', memory: false }],
]);

/** The filesystem a path lives on, as far as `statfs` tells; `memory` when it is RAM-backed. */
export interface FilesystemInfo {
  /** `tmpfs`, `ext2/3/4`, `xfs`, …, or `0x<magic>` for one not in portlease's table, or `unknown`. */
  type: string;
  /** True for tmpfs/ramfs: lock-file metadata operations cost no journal writes there. */
  memory: boolean;
}

/**
 * Which filesystem `path` is on. `unknown` where `statfs` is unavailable (it is on every platform Node
 * supports, but its `type` is only meaningful on Linux) or fails.
 *
 * @example
 * ```ts
 * filesystemOf('/dev/shm'); //=> { type: 'tmpfs', memory: true }
 * ```
 */
export function filesystemOf(path: string): FilesystemInfo {
  try {
    const { type } = statfsSync(path);
    const known = FILESYSTEMS.get(type);
    return known
      ? { type: known.name, memory: known.memory }
      : { type: `0x${type.toString(16)}`, memory: false };
  } catch {
    return { type: 'unknown', memory: false };
  }
}

/** What decides the default lock directory; tests pass other values, users never need to. */
export interface DefaultLockDirFacts {
  platform: NodeJS.Platform;
  /** The shared-memory directory tried on Linux. */
  shm: string;
  uid: number | null;
  /** The fixed system temp directory of POSIX systems (`/tmp`), never `$TMPDIR`. */
  tmp: string;
  /** Windows: the user's profile directory from the account database (`os.userInfo().homedir`). */
  profile: string;
}

/** Why the default lock directory is where it is, for `portlease doctor`. */
export interface DefaultLockDirChoice {
  path: string;
  /** `/dev/shm`, `/tmp`, `user profile` (Windows) or `temp directory` (no `/tmp`, e.g. Android). */
  source: string;
  /** When `/dev/shm` was not used on Linux: why. */
  shmSkipped?: string;
}

/**
 * Whether `shm` can host lock directories: it exists, is a real directory (not a symlink) and is a
 * tmpfs. Static facts only: every process on the host must reach the same answer, or they would stop
 * coordinating, so a full or read-only /dev/shm is NOT a reason to go elsewhere (that is reported as
 * LOCK_DIR_UNWRITABLE instead).
 */
function shmProblem(shm: string): string | undefined {
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(shm);
  } catch {
    return `${shm} does not exist`;
  }
  if (stats.isSymbolicLink()) return `${shm} is a symbolic link`;
  if (!stats.isDirectory()) return `${shm} is not a directory`;
  const fs = filesystemOf(shm);
  if (fs.type !== 'tmpfs') return `${shm} is not a tmpfs (it is ${fs.type})`;
  return undefined;
}

/** Read once: the default is resolved on every lease. */
const PROCESS_UID: number | null = typeof process.getuid === 'function' ? process.getuid() : null;

let shmCache: { shm: string; problem: string | undefined } | undefined;
let tmpCache: boolean | undefined;
let profileCache: string | undefined;

/** The user's profile from the account database (not `%USERPROFILE%`), else the temp directory's parent. */
function windowsProfile(): string {
  if (profileCache === undefined) {
    try {
      profileCache = userInfo().homedir;
    } catch {
      profileCache = join(tmpdir(), '..', '..', '..');
    }
  }
  return profileCache;
}

/**
 * The default lock directory and why. It is computed from facts that are the same for every process
 * of a user on the host, never from the environment (`XDG_RUNTIME_DIR`, `TMPDIR`, `TEMP`): a login
 * shell, cron, a CI service, `sudo` and `docker exec` see different environments, and processes that
 * resolve different directories lease the same ports.
 *
 * - Linux: `/dev/shm/portlease-<uid>` when /dev/shm is a real tmpfs directory (a lease is metadata
 *   work, which on a disk-backed /tmp goes through the journal and costs ~10× more); else
 *   `/tmp/portlease-<uid>`.
 * - macOS and other Unixes: `/tmp/portlease-<uid>` (macOS's per-user `$TMPDIR` is set by launchd for
 *   GUI and login sessions but not for cron, `sudo` or ssh commands, so it is not the same for every
 *   process of the user; `/tmp` is). Without a `/tmp` (Android): `<os.tmpdir()>/portlease-<uid>`.
 * - Windows: `<profile>\AppData\Local\Temp\portlease-user`, where `<profile>` is the account's
 *   profile directory as the account database gives it (not `%USERPROFILE%` or `%TEMP%`); it is the
 *   usual `%TEMP%`, so it is also what portlease 0.1.0 used there.
 *
 * `PORTLEASE_DIR` is applied by the caller, before this. The /dev/shm decision is read once per process.
 */
export function chooseDefaultLockDir(
  _env: NodeJS.ProcessEnv = process.env,
  facts: Partial<DefaultLockDirFacts> = {},
): DefaultLockDirChoice {
  // The platform facts, not process.platform: the tests that run macOS and Windows paths on Linux
  // set them, and the lock directory must follow the same semantics as the oracle and the probes.
  const platform = facts.platform ?? platformFacts().os;
  const uid = facts.uid !== undefined ? facts.uid : PROCESS_UID;
  const name = `portlease-${uid ?? 'user'}`;
  if (platform === 'win32') {
    const profile = facts.profile ?? windowsProfile();
    return { path: join(profile, 'AppData', 'Local', 'Temp', name), source: 'user profile' };
  }
  const temp = () => {
    if (facts.tmp !== undefined) return { path: join(facts.tmp, name), source: facts.tmp };
    tmpCache ??= existsSync('/tmp');
    return tmpCache
      ? { path: join('/tmp', name), source: '/tmp' }
      : { path: join(tmpdir(), name), source: 'temp directory' };
  };
  if (platform !== 'linux') return temp();
  const shm = facts.shm ?? '/dev/shm';
  let problem: string | undefined;
  if (facts.shm === undefined) {
    if (shmCache?.shm !== shm) shmCache = { shm, problem: shmProblem(shm) };
    problem = shmCache.problem;
  } else problem = shmProblem(shm);
  if (problem === undefined) return { path: join(shm, name), source: '/dev/shm' };
  return { ...temp(), shmSkipped: problem };
}

/**
 * The default lock directory: on Linux `/dev/shm/portlease-<uid>` when /dev/shm is a tmpfs, else
 * `/tmp/portlease-<uid>` (every Unix); on Windows `<profile>\AppData\Local\Temp\portlease-user`. No
 * environment variable moves it, so every process of a user on one host finds the same one
 * (`PORTLEASE_DIR`, when set, wins over all of these; this function does not look at it).
 *
 * @example
 * ```ts
 * defaultLockDir(); //=> '/dev/shm/portlease-1000' on a typical Linux CI runner
 * ```
 */
export function defaultLockDir(env: NodeJS.ProcessEnv = process.env): string {
  return chooseDefaultLockDir(env).path;
}
