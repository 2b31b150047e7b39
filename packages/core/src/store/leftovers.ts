import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEMO_DIR } from './memos.js';

/*
 * What a lock directory holds, entry by entry, for the workspace's tests, bench and chaos tool: they ask
 * here instead of walking the layout (docs/protocol.md §2) themselves. Built as `dist/testing.js`, which
 * the package does not export and does not publish: it is no API.
 */

/** The staging directory's name inside a scope (`<root>/<scope>/.staging/<token>/<token>`). */
export const STAGING_DIR = '.staging';

/** One thing left below a lock directory's scopes. */
export interface Leftover {
  /** Its absolute path. */
  path: string;
  /**
   * `port`: a port directory; `record`: a published record inside one; `staged`: a staged entry (a
   * directory holding a record not yet published); `memo`: the sticky memo directory or a memo in it.
   */
  kind: 'port' | 'record' | 'staged' | 'memo';
  /** The owner label of a record or staged record, when it could be read. */
  owner?: string;
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    // Gone between two reads (a port directory being released), or never there.
    return [];
  }
}

function ownerIn(path: string): string | undefined {
  try {
    const owner: unknown = JSON.parse(readFileSync(path, 'utf8')).owner;
    return typeof owner === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Everything left below `lockDir`'s scopes: port directories, their records, staged entries and sticky
 * memos. The scope directories and their staging directories themselves do not count, so a lock
 * directory every lease left cleanly gives `[]`.
 *
 * @example
 * leftovers(lockDir).filter((l) => l.kind === 'record').length; // leases published and not released
 */
export function leftovers(lockDir: string): Leftover[] {
  const found: Leftover[] = [];
  for (const scope of names(lockDir)) {
    for (const entry of names(join(lockDir, scope))) {
      const path = join(lockDir, scope, entry);
      if (entry === STAGING_DIR) {
        for (const token of names(path)) {
          const owner = ownerIn(join(path, token, token));
          found.push({ path: join(path, token), kind: 'staged', ...(owner === undefined ? {} : { owner }) });
        }
        continue;
      }
      const inner = names(path);
      if (entry === MEMO_DIR) {
        found.push(
          { path, kind: 'memo' },
          ...inner.map((n) => ({ path: join(path, n), kind: 'memo' as const })),
        );
        continue;
      }
      found.push({ path, kind: 'port' });
      for (const token of inner) {
        const owner = ownerIn(join(path, token));
        found.push({ path: join(path, token), kind: 'record', ...(owner === undefined ? {} : { owner }) });
      }
    }
  }
  return found;
}

/** The staging directory of `scope` in `lockDir` (for tests that plant a staged entry by hand). */
export function stagingDirOf(lockDir: string, scope: string): string {
  return join(lockDir, scope, STAGING_DIR);
}

/** The sticky memo directory of `scope` in `lockDir` (for tests that plant or inspect memos). */
export function memoDirOf(lockDir: string, scope: string): string {
  return join(lockDir, scope, MEMO_DIR);
}
