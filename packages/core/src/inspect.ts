import { readdirSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hasErrno } from './errors.js';
import { isRealDirectory, removeEntry } from './lease.js';
import { isOwnerAlive } from './liveness.js';
import { defaultLockDir, ensureLockDir, type LockPaths, lockDirError } from './lock-dir.js';
import { assertKnownKeys, invalidOption } from './option-errors.js';
import { resolveLockDir } from './options.js';
import { ownerIdOfToken, type RecordProblem, readRecord } from './record.js';

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
  if (options.lockDir !== undefined && options.lockDir !== null)
    return resolveLockDir(options.lockDir, 'lockDir');
  const env = process.env.PORTLEASE_DIR;
  return env ? resolveLockDir(env, 'PORTLEASE_DIR') : resolve(defaultLockDir());
}

function readNames(dir: string, root: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT', 'ENOTDIR')) return [];
    // Coded: TOO_MANY_OPEN_FILES when out of descriptors, never an empty or partial answer.
    throw lockDirError(root, error);
  }
}

/** A port directory's entries, or `'unreadable'` for what is not a real directory we may read. */
function readPortDir(portDir: string, root: string): string[] | 'unreadable' {
  try {
    if (!isRealDirectory(portDir)) return 'unreadable';
    return readdirSync(portDir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return [];
    if (hasErrno(error, 'EACCES', 'EPERM', 'ENOTDIR')) return 'unreadable';
    throw lockDirError(root, error);
  }
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
  for (const name of readNames(paths.scope, paths.root)) {
    if (!/^\d+$/.test(name)) continue;
    const port = Number(name);
    const portDir = join(paths.scope, name);
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
  /** Entries left alone because nothing proves their owner dead. */
  unknown: string[];
}

async function sweepStaging(paths: LockPaths): Promise<number> {
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

/**
 * Removes what dead owners left behind: their records, their staged records, and empty port
 * directories. Never touches a live owner's record or an entry it cannot judge. Allocation does not
 * need this (it reclaims dead owners' ports as it meets them); it keeps `portlease list` tidy.
 */
export async function collectGarbage(options?: InspectOptions): Promise<GcResult> {
  const paths = ensureLockDir(lockDirOf(options, 'collectGarbage'));
  const result: GcResult = { stale: 0, staged: await sweepStaging(paths), empty: 0, unknown: [] };
  for (const info of await inspectScope(paths)) {
    if (info.status === 'stale') {
      let removed: boolean;
      try {
        removed = removeEntry(join(paths.scope, String(info.port)), info.token);
      } catch (error) {
        throw lockDirError(paths.root, error);
      }
      if (removed) result.stale++;
      else result.unknown.push(info.path);
    } else if (info.status === 'unknown') result.unknown.push(info.path);
  }
  for (const name of readNames(paths.scope, paths.root)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      rmdirSync(join(paths.scope, name));
      result.empty++;
    } catch {
      // Not empty (a live lease) or not a directory: leave it.
    }
  }
  return result;
}

const swept = new Set<string>();

/** Once per lock directory per process, in the background: clear staged leftovers of crashed owners. */
export function sweepStagingOnce(paths: LockPaths): void {
  if (swept.has(paths.staging)) return;
  swept.add(paths.staging);
  sweepStaging(paths).catch(() => {});
}
