import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statfsSync,
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
/**
 * At most this many files in a scope's `.sticky`: each memo takes a filesystem block (4 KiB on a
 * tmpfs), so memos of one scope take at most 4 MiB, whatever names are used (test ids, per-run paths).
 */
export const MAX_MEMOS = 1024;
/** A writer that finds the cap reached removes the least recently written memos down to this. */
const MEMOS_AFTER_TRIM = Math.floor(MAX_MEMOS * 0.9);
/**
 * Memos are never written when their filesystem has less free space than this (leases need it more:
 * a memo is only a preference), and `gc` or a lease that met ENOSPC removes memos until it is free.
 */
export const MEMO_HEADROOM_BYTES = 1024 * 1024;

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

/** What this process last read of a memo file, by path, and the file's identity when it did. */
const seen = new Map<
  string,
  { ino: number; size: number; mtimeMs: number; ctimeMs: number; memo: Memo | undefined }
>();
const MAX_SEEN = 1000;

/**
 * The memo of `key`, if there is one: a file of another key or shape is no memo. One lstat when the
 * file is the one read last time (writers replace memos by rename, so a changed memo is a new inode);
 * the lstat also means a symlink in the memo's place is never followed. A symlinked `.sticky` could
 * only change the preference, never a lease, and is refused when a memo is written.
 */
export function readMemo(paths: LockPaths, key: MemoKey): Memo | undefined {
  const path = join(paths.scope, MEMO_DIR, key.id);
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(path);
  } catch {
    seen.delete(path);
    return undefined;
  }
  if (!stats.isFile() || stats.size > MAX_MEMO_BYTES) return undefined;
  const last = seen.get(path);
  if (
    last &&
    last.ino === stats.ino &&
    last.size === stats.size &&
    last.mtimeMs === stats.mtimeMs &&
    last.ctimeMs === stats.ctimeMs
  )
    return last.memo;
  const memo = readJson(path) as Partial<Memo> | undefined;
  const ok =
    typeof memo === 'object' &&
    memo !== null &&
    memo.v === 1 &&
    memo.name === key.name &&
    memo.project === key.project &&
    Number.isInteger(memo.port) &&
    Number.isInteger(memo.misses) &&
    typeof memo.used === 'number';
  if (seen.size >= MAX_SEEN) seen.clear();
  const { ino, size, mtimeMs, ctimeMs } = stats;
  seen.set(path, { ino, size, mtimeMs, ctimeMs, memo: ok ? (memo as Memo) : undefined });
  return ok ? (memo as Memo) : undefined;
}

/**
 * Replaces the memo of `key` by an atomic rename of a temp file named by the writer's unique token, so
 * concurrent writers never interleave. A failure only costs the preference, never the lease: it is
 * swallowed. A directory in the memo's place stays (rename refuses), a symlink is replaced, not
 * followed.
 */
export function writeMemo(paths: LockPaths, key: MemoKey, memo: Memo, token: string): void {
  if (!roomFor(paths.scope)) return;
  const dir = memoDir(paths, true);
  if (!dir) return;
  const target = join(dir, key.id);
  let isNew = false;
  try {
    lstatSync(target);
  } catch {
    isNew = true;
  }
  // Only a new memo adds a file; counting costs a readdir, so it is done then, and trimming frees
  // a tenth of the cap at once, not one file per new key.
  if (isNew) {
    const names = namesIn(dir);
    if (names.length >= MAX_MEMOS) trim(dir, names, names.length - MEMOS_AFTER_TRIM, false);
  }
  const temp = join(dir, `${key.id}.${token}.tmp`);
  try {
    writeFileSync(temp, JSON.stringify(memo), { flag: 'wx', mode: 0o600 });
    renameSync(temp, target);
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

/** Free bytes for unprivileged users on the filesystem of `path`; Infinity when statfs cannot tell. */
function freeBytes(path: string): number {
  try {
    const { bavail, bsize } = statfsSync(path);
    return bavail * bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function roomFor(path: string): boolean {
  return freeBytes(path) >= MEMO_HEADROOM_BYTES;
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Removes memo files (and temp files) of `dir`, least recently written first: `count` of them, or, with
 * `untilRoom`, as many as it takes for the filesystem to have {@link MEMO_HEADROOM_BYTES} free (all, if
 * need be). Only regular files are removed, by lstat (a symlink is unlinked, never followed; a
 * directory is left alone). Returns how many were removed.
 */
function trim(dir: string, names: string[], count: number, untilRoom: boolean): number {
  const files: { path: string; mtimeMs: number }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stats = lstatSync(path);
      if (!stats.isDirectory()) files.push({ path, mtimeMs: stats.mtimeMs });
    } catch {
      // Gone meanwhile.
    }
  }
  files.sort((a, b) => a.mtimeMs - b.mtimeMs);
  let removed = 0;
  for (const { path } of files) {
    if (untilRoom ? roomFor(dir) : removed >= count) break;
    try {
      unlinkSync(path);
      removed++;
    } catch {
      // Removed by another process, or not ours to remove.
    }
  }
  return removed;
}

/**
 * Makes the memos of a scope fit their bounds: at most {@link MAX_MEMOS} files, and none while the
 * filesystem has less than {@link MEMO_HEADROOM_BYTES} free (least recently written go first). Called
 * by `gc`, and by a lease whose record could not be written for lack of space, so memos never take the
 * space leases need. Returns how many were removed.
 */
export function trimMemos(paths: LockPaths): number {
  const dir = memoDir(paths, false);
  if (!dir) return 0;
  const names = namesIn(dir);
  let removed = names.length > MAX_MEMOS ? trim(dir, names, names.length - MAX_MEMOS, false) : 0;
  if (!roomFor(dir)) removed += trim(dir, namesIn(dir), 0, true);
  return removed;
}
