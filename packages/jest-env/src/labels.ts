/**
 * The owner labels of this package's leases, as `npx portlease list` shows them: like Playwright's
 * (`playwright project=chromium shard=2/3 worker=1`), they say which shard of a `--shard` run holds a
 * port, so concurrent shards on one CI host can be told apart.
 */

/** Jest's `globalConfig.shard` (1-based `shardIndex`), `null` or absent without `--shard`. */
export interface JestShard {
  shardIndex: number;
  shardCount: number;
}

/** Jest's shard from a `globalConfig`, if the run is sharded. */
export function shardOf(globalConfig: unknown): JestShard | null {
  const shard = (globalConfig as { shard?: JestShard | null } | null | undefined)?.shard;
  return shard && typeof shard.shardIndex === 'number' && typeof shard.shardCount === 'number' ? shard : null;
}

/** ` shard=2/3` to append to a label, or nothing without sharding. */
export function shardLabel(shard: JestShard | null | undefined): string {
  return shard ? ` shard=${shard.shardIndex}/${shard.shardCount}` : '';
}
