#!/usr/bin/env node
// The README's demo: several processes lease ports from one lock directory at once, each binds its
// ports, and the CLI lists who holds what; then the Playwright example suite runs as 3 concurrent
// shards on this host, first with `base + parallelIndex` ports (failing) and then with portlease.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const step = (title, file) => {
  console.log(`\n=== ${title} ===`);
  const result = spawnSync(process.execPath, [join(root, file)], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
step('Core: 8 processes lease and bind 5 ports each, at the same time', 'packages/core/demo/parallel.mjs');
step(
  'Playwright: 3 concurrent shards on one host, base + parallelIndex versus portlease',
  'examples/shards-demo/run.mjs',
);
