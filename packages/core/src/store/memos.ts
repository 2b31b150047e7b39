import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { hasErrno } from '../errors.js';
import { readNames } from './entries.js';
import type { LockPaths } from './lock-dir.js';

/**
 * What a sticky key's memo holds, in `<scope>/.sticky/<key id>`: the port the key last held. The
 * memo is data like a record: whatever is found in its place (corrupt, huge, another key's, a FIFO, a
 * symlink, a directory) is no memo, and changes nothing but the preference.
 */
export interface Memo {
  v: 1;
  name: string;
  project: string;
  port: number;
  /** Leases in a row that did not get `port`. */
  misses: number;
  /** Wall-clock ms of the last lease under this key (gc age only). */
  used: number;
}

/** The identity a memo is filed and checked under. */
export interface MemoKey {
  name: string;
  project: string;
  /** The memo's file name: 32 hex digits. */
  id: string;
}

const MEMO_DIR = '.sticky';
/** A memo is a hundred bytes or so; anything larger is not read. */
const MAX_MEMO_BYTES = 4096;
/** Temp files of interrupted memo writes older than this are removed by gc. */
const TEMP_MAX_AGE_MS = 60_000;

/** The memo directory of a scope (created on demand); undefined when it is not a plain directory. */
function memoDir(paths: LockPaths, create: boolean): string | undefined {
  const dir = join(paths.scope, MEMO_DIR);
  if (create) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if (!hasErrno(error, 'EEXIST')) return undefined;
    }
  }
  try {
    return lstatSync(dir).isDirectory() ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a small JSON file without following symlinks or blocking (a FIFO); anything odd is undefined. */
function readJson(path: string): unknown {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_MEMO_BYTES) return undefined;
    const buffer = Buffer.alloc(stats.size);
    const length = readSync(fd, buffer, 0, stats.size, 0);
    return JSON.parse(buffer.subarray(0, length).toString('utf8')) as unknown;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The memo of `key`, if there is one: a file of another key or shape is no memo. */
export function readMemo(paths: LockPaths, key: MemoKey): Memo | undefined {
  const dir = memoDir(paths, false);
  if (!dir) return undefined;
  const memo = readJson(join(dir, key.id)) as Partial<Memo> | undefined;
  const ok =
    typeof memo === 'object' &&
    memo !== null &&
    memo.v === 1 &&
    memo.name === key.name &&
    memo.project === key.project &&
    Number.isInteger(memo.port) &&
    Number.isInteger(memo.misses) &&
    typeof memo.used === 'number';
  return ok ? (memo as Memo) : undefined;
}

/**
 * Replaces the memo of `key` by an atomic rename of a temp file named by the writer's unique token, so
 * concurrent writers never interleave. A failure only costs the preference, never the lease: it is
 * swallowed. A directory in the memo's place stays (rename refuses), a symlink is replaced, not
 * followed.
 */
export function writeMemo(paths: LockPaths, key: MemoKey, memo: Memo, token: string): void {
  const dir = memoDir(paths, true);
  if (!dir) return;
  const temp = join(dir, `${key.id}.${token}.tmp`);
  try {
    writeFileSync(temp, JSON.stringify(memo), { flag: 'wx', mode: 0o600 });
    renameSync(temp, join(dir, key.id));
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Not there: nothing to tidy.
    }
  }
}

/**
 * Removes memos not used for `maxAgeMs` (by their `used` field, else their mtime) and temp files of
 * interrupted writes; never follows a symlink, and leaves a directory in a memo's place alone.
 * Returns how many were removed.
 */
export function sweepMemos(paths: LockPaths, maxAgeMs: number, now: number = Date.now()): number {
  const dir = memoDir(paths, false);
  if (!dir) return 0;
  let removed = 0;
  for (const name of readNames(dir, paths.root)) {
    const path = join(dir, name);
    let stats: ReturnType<typeof lstatSync>;
    try {
      stats = lstatSync(path);
    } catch {
      continue;
    }
    if (stats.isDirectory()) continue;
    let age = now - stats.mtimeMs;
    if (name.endsWith('.tmp')) {
      if (age < TEMP_MAX_AGE_MS) continue;
    } else {
      const used = (readJson(path) as Partial<Memo> | undefined)?.used;
      if (typeof used === 'number' && Number.isFinite(used)) age = now - used;
      if (age < maxAgeMs) continue;
    }
    try {
      unlinkSync(path);
      removed++;
    } catch {
      // Gone already or not ours to remove.
    }
  }
  return removed;
}
