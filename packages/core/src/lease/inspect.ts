import { join } from 'node:path';
import { assertKnownKeys, invalidOption } from '../options/errors.js';
import { chooseLockDir } from '../options/resolve.js';
import { isOwnerAlive } from '../realm/liveness.js';
import { portDirOf, portsInScope, readPortDir, removeEntry, removeIfEmpty } from '../store/entries.js';
import { ensureLockDir, type LockPaths, lockDirError } from '../store/lock-dir.js';
import { sweepMemos, trimMemos } from '../store/memos.js';
import { ownerIdOfToken, type RecordProblem, readRecord } from '../store/record.js';
import { sweepStaging } from '../store/sweep.js';
import { MEMO_MAX_AGE_MS } from './sticky.js';

/** One entry of the lock directory, as `portlease list` shows it. */
export interface LeaseInfo {
  port: number;
  /** `alive`: its owner is proven alive; `stale`: proven dead (reclaimable); `unknown`: not ours to judge. */
  status: 'alive' | 'stale' | 'unknown';
  /** The owner label, when the record could be read. */
  owner?: string;
  pid?: number;
  command?: string;
  createdAt?: Date;
  /** The sticky name the lease was taken under (the `sticky` option), if any. */
  sticky?: string;
  /** The name the lease was taken under (`name`, `sticky`, `--name`), if any: findLease finds it. */
  name?: string;
  /** The project the name belongs to (the nearest package.json's directory, or the stickyScope). */
  project?: string;
  /** Why the record could not be read, if it could not. */
  problem?: RecordProblem;
  token: string;
  path: string;
}

/** Options of {@link listLeases} and {@link collectGarbage}. */
export interface InspectOptions {
  /** The lock directory; default as for leasePort (`PORTLEASE_DIR`, …). */
  lockDir?: string;
}

/** Validates the options of listLeases / collectGarbage and resolves the lock directory, absolute. */
function lockDirOf(options: InspectOptions | undefined, api: string): string {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(
      `${api} options`,
      `must be an object such as { lockDir }, got ${options === null ? 'null' : typeof options}.`,
    );
  }
  assertKnownKeys(options, ['lockDir'], `${api} options`);
  return chooseLockDir(options.lockDir);
}

const aliveCache = new Map<string, Promise<boolean>>();
function ownerAlive(ownerId: string): Promise<boolean> {
  let answer = aliveCache.get(ownerId);
  if (!answer) {
    answer = isOwnerAlive(ownerId);
    aliveCache.set(ownerId, answer);
  }
  return answer;
}

async function inspectScope(paths: LockPaths): Promise<LeaseInfo[]> {
  aliveCache.clear();
  const infos: LeaseInfo[] = [];
  for (const port of portsInScope(paths)) {
    const portDir = portDirOf(paths, port);
    const tokens = readPortDir(portDir, paths.root);
    if (tokens === 'unreadable') {
      // A symlink (never followed), a file, or a directory we may not read: not ours to judge.
      infos.push({ port, status: 'unknown', token: '', path: portDir, problem: 'unreadable' });
      continue;
    }
    for (const token of tokens) {
      const path = join(portDir, token);
      const ownerId = ownerIdOfToken(token);
      const status = ownerId === undefined ? 'unknown' : (await ownerAlive(ownerId)) ? 'alive' : 'stale';
      const record = readRecord(path);
      // Released between the readdir and the read: the lease is gone, not a row.
      if (record === 'missing') continue;
      const info: LeaseInfo = { port, status, token, path };
      if (typeof record === 'string') info.problem = record;
      else {
        info.owner = record.owner;
        info.pid = record.pid;
        info.command = record.command;
        info.createdAt = new Date(record.created);
        if (record.sticky !== undefined) info.sticky = record.sticky;
        if (record.name !== undefined) {
          info.name = record.name;
          info.project = record.project;
        }
      }
      infos.push(info);
    }
  }
  return infos.sort((a, b) => a.port - b.port);
}

/**
 * Every lease record in the lock directory (this network namespace's part), with whether its owner is
 * alive.
 *
 * @example
 * ```ts
 * for (const lease of await listLeases()) console.log(lease.port, lease.owner, lease.status);
 * ```
 */
export async function listLeases(options?: InspectOptions): Promise<LeaseInfo[]> {
  return inspectScope(ensureLockDir(lockDirOf(options, 'listLeases')));
}

/** What {@link collectGarbage} removed and left. */
export interface GcResult {
  /** Records of proven-dead owners removed. */
  stale: number;
  /** Staged (never published) records of dead owners removed. */
  staged: number;
  /** Empty port directories removed (left by a crash between two steps of a release). */
  empty: number;
  /** Sticky memos removed: of keys not used for 30 days, beyond the cap of 1024 or while their filesystem is short of space, and leftovers of interrupted writes. */
  memos: number;
  /** Entries left alone because nothing proves their owner dead. */
  unknown: string[];
}

/**
 * Removes what dead owners left behind: their records, their staged records, and empty port
 * directories. Never touches a live owner's record or an entry it cannot judge. Allocation does not
 * need this (it reclaims dead owners' ports as it meets them); it keeps `portlease list` tidy.
 */
export async function collectGarbage(options?: InspectOptions): Promise<GcResult> {
  const paths = ensureLockDir(lockDirOf(options, 'collectGarbage'));
  const result: GcResult = {
    stale: 0,
    staged: await sweepStaging(paths, isOwnerAlive),
    empty: 0,
    memos: sweepMemos(paths, MEMO_MAX_AGE_MS) + trimMemos(paths),
    unknown: [],
  };
  for (const info of await inspectScope(paths)) {
    if (info.status === 'stale') {
      let removed: boolean;
      try {
        removed = removeEntry(portDirOf(paths, info.port), info.token);
      } catch (error) {
        throw lockDirError(paths.root, error);
      }
      if (removed) result.stale++;
      else result.unknown.push(info.path);
    } else if (info.status === 'unknown') result.unknown.push(info.path);
  }
  // Not empty (a live lease) or not a directory: left alone.
  for (const port of portsInScope(paths)) if (removeIfEmpty(portDirOf(paths, port))) result.empty++;
  return result;
}
