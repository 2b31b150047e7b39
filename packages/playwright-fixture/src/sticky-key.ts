import type { WorkerInfo } from '@playwright/test';

/** The sticky prefix `use.portlease: { sticky: true }` gives a worker's `serverPort`. */
export const SERVER_PORT_PREFIX = 'serverPort';

/**
 * The sticky name of a worker's `serverPort`, or `undefined` when `use.portlease.sticky` is off:
 * `serverPort.<parallelIndex>` (`<prefix>.<parallelIndex>` for a string), plus `.shard<current>` in a
 * sharded run.
 *
 * Why the parallel index: it is 0 … workers−1, the same run after run and kept when Playwright
 * replaces a failed worker, and no two live workers of one run share it, so each key has one holder
 * at a time within a run (a per-worker index or pid would change every run; a per-project key would
 * have several live holders). Why the shard: shards run at once on one host use the same parallel
 * indexes and would otherwise compete for one preferred port each (only one would get it). Core
 * refuses a prefix it cannot use as a name, and the error then names `sticky`.
 */
export function serverPortKey(sticky: boolean | string | undefined, info: WorkerInfo): string | undefined {
  if (sticky === undefined || sticky === false) return undefined;
  const prefix = sticky === true ? SERVER_PORT_PREFIX : sticky;
  const shard = info.config.shard;
  return `${prefix}.${info.parallelIndex}${shard ? `.shard${shard.current}` : ''}`;
}
