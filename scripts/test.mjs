#!/usr/bin/env node
// Runs every test file of the workspace with node's test runner, against the built packages.
//   node scripts/test.mjs                 all tests
//   node scripts/test.mjs --only core     tests of packages/core (or any path fragment)
// Test files: packages/*/test/*.test.mjs and examples/*/test/*.test.mjs. Runs on the Node that runs
// it: `PATH=<a Node line's bin>:$PATH node scripts/test.mjs` (as .ci/run does for each line).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_RANGE, rangeText } from '@portlease/test-harness/zones';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    concurrency: { type: 'string', default: process.env.TEST_CONCURRENCY ?? '2' },
  },
});

const files = [];
for (const group of ['packages', 'examples']) {
  const base = join(root, group);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base).sort()) {
    const dir = join(base, name, 'test');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) if (file.endsWith('.test.mjs')) files.push(join(dir, file));
  }
}
// Fragments use `/` on every OS (`--only packages/` in .github/workflows/ci.yml runs on Windows too).
const shown = (file) => relative(root, file).split(sep).join('/');
const selected = values.only ? files.filter((f) => values.only.some((o) => shown(f).includes(o))) : files;
if (selected.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${values.concurrency}`, '--test-reporter=spec', ...selected],
  {
    cwd: root,
    stdio: 'inherit',
    // Tests that do not pick a range use this one; test files reserve their blocks in the harness's
    // BLOCK_ZONE, apart from it, so test files running at once with different lock directories never
    // hand out the same port.
    env: { PORTLEASE_RANGE: rangeText(DEFAULT_RANGE), ...process.env },
  },
);
process.exit(result.status ?? 1);
