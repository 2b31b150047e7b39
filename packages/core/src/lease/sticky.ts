import { createHash } from 'node:crypto';
import type { LockPaths } from '../store/lock-dir.js';
import { type Memo, type MemoKey, readMemo, writeMemo } from '../store/memos.js';

/*
 * Sticky ports: the same port for the same name of the same project, run after run, as a preference
 * only. The preferred port is the one the key last held in this lock directory (its memo), else a
 * stable hash of the key into the range. When it is held or busy the lease takes any other port, as
 * any lease does; the memo follows that port only after the remembered one was unavailable on
 * FOLLOW_AFTER leases in a row, so one concurrent holder does not move a key for good.
 */

/** A sticky name within a project. */
export type StickyKey = MemoKey;

/** The memo follows a new port after the remembered one was unavailable this many leases in a row. */
export const FOLLOW_AFTER = 3;
/** `gc` removes memos of keys not used for this long: 30 days. */
export const MEMO_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** A lease that changed nothing rewrites its memo only when `used` is older than this (for gc age). */
const TOUCH_AFTER_MS = 24 * 3600 * 1000;

const keys = new Map<string, StickyKey>();

/** The key of `name` in `project`; its id is the first 32 hex digits of sha256(name NUL project). */
export function stickyKey(name: string, project: string): StickyKey {
  const text = `${name}\0${project}`;
  let key = keys.get(text);
  if (key === undefined) {
    key = { name, project, id: createHash('sha256').update(text).digest('hex').slice(0, 32) };
    if (keys.size >= 1000) keys.clear();
    keys.set(text, key);
  }
  return key;
}

/** A sticky lease in progress: its key, the port it prefers, and the memo that said so. */
export interface StickyChoice {
  key: StickyKey;
  preferred: number | undefined;
  memo: Memo | undefined;
}

/**
 * The port `key` prefers among `[min, max]` minus `excluded`: its memo's, if in range, else its
 * hash's (or the next usable port after it).
 */
export function chooseSticky(
  paths: LockPaths,
  key: StickyKey,
  min: number,
  max: number,
  excluded: ReadonlySet<number>,
): StickyChoice {
  const memo = readMemo(paths, key);
  if (memo && memo.port >= min && memo.port <= max && !excluded.has(memo.port))
    return { key, preferred: memo.port, memo };
  const size = max - min + 1;
  const start = Number.parseInt(key.id.slice(0, 8), 16) % size;
  for (let i = 0; i < size; i++) {
    const port = min + ((start + i) % size);
    if (!excluded.has(port)) return { key, preferred: port, memo };
  }
  return { key, preferred: undefined, memo };
}

/**
 * Records the outcome of a sticky lease: it got the preferred port (the memo stays there) or `got`
 * instead (one more miss; after {@link FOLLOW_AFTER} in a row the memo follows `got`). Written only
 * when something changed, or once a day for gc's sake.
 */
export function rememberSticky(paths: LockPaths, choice: StickyChoice, got: number, token: string): void {
  const { key, preferred, memo } = choice;
  const now = Date.now();
  const base = { v: 1 as const, name: key.name, project: key.project, used: now };
  let next: Memo;
  if (got === preferred) {
    if (memo && memo.port === got && memo.misses === 0 && now - memo.used < TOUCH_AFTER_MS) return;
    next = { ...base, port: got, misses: 0 };
  } else {
    const misses = (memo && memo.port === preferred ? memo.misses : 0) + 1;
    next =
      misses >= FOLLOW_AFTER || preferred === undefined
        ? { ...base, port: got, misses: 0 }
        : { ...base, port: preferred, misses };
  }
  writeMemo(paths, key, next, token);
}
