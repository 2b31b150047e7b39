import type { WorkerInfo } from '@playwright/test';
import { ownerLabel } from 'portlease/adapter';

/** The default first word of every owner label this package writes. */
export const DEFAULT_LABEL = 'playwright';

/** `--shard=2/3` or `--shard 2/3` on the runner's command line, for labels made in its main process. */
export function shardFromArgv(argv: readonly string[] = process.argv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--shard=')) return arg.slice('--shard='.length);
    if (arg === '--shard') return argv[i + 1];
  }
  return undefined;
}

/**
 * The owner label of a worker's lease, as `portlease list` shows it:
 * `playwright project=chromium shard=2/3 worker=1`. `worker` is the parallel index (0 to workers−1,
 * kept when a worker restarts); the record also holds the pid.
 */
export function workerLabel(prefix: string | undefined, info: WorkerInfo): string {
  const shard = info.config.shard;
  return ownerLabel(prefix ?? DEFAULT_LABEL, {
    project: info.project.name,
    shard: shard ? `${shard.current}/${shard.total}` : undefined,
    worker: info.parallelIndex,
  });
}
