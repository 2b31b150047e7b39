#!/usr/bin/env node
// Runs every test file of the workspace with node's test runner, against the built packages.
//   node scripts/test.mjs                 all tests
//   node scripts/test.mjs --only core     tests of packages/core (or any path fragment)
// Test files: packages/*/test/*.test.mjs and examples/*/test/*.test.mjs. Runs on the Node that runs
// it: `PATH=<a Node line's bin>:$PATH node scripts/test.mjs` (as .ci/run does for each line).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
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
// A new machine has no package manager but npm: tests reach pnpm only through the test harness's
// `pnpm()` (the pinned one, scripts/pinned-pnpm.mjs). So that a test calling one from PATH fails here
// as it would there, even where one is installed globally, stand-ins that fail with that advice come
// first on the tests' PATH (exit 127, as a missing command does).
const GUARDED = ['pnpm', 'pnpx', 'yarn', 'yarnpkg', 'bun', 'bunx'];
const guard = mkdtempSync(join(tmpdir(), 'pl-no-global-pm-'));
for (const name of GUARDED) {
  const advice = `${name} was called from PATH, which a new machine does not have: call the test harness's pnpm() (the pinned pnpm) instead`;
  writeFileSync(join(guard, name), `#!/bin/sh\necho "portlease tests: ${advice}" >&2\nexit 127\n`);
  chmodSync(join(guard, name), 0o755);
  writeFileSync(join(guard, `${name}.cmd`), `@echo portlease tests: ${advice} 1>&2\r\n@exit /b 127\r\n`);
}
const pathKey = Object.keys(process.env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${values.concurrency}`, '--test-reporter=spec', ...selected],
  {
    cwd: root,
    stdio: 'inherit',
    // Tests that do not pick a range use this one; test files reserve their blocks in the harness's
    // BLOCK_ZONE, apart from it, so test files running at once with different lock directories never
    // hand out the same port.
    env: {
      PORTLEASE_RANGE: rangeText(DEFAULT_RANGE),
      ...process.env,
      [pathKey]: [guard, process.env[pathKey]].join(delimiter),
      PORTLEASE_TEST_PM_GUARD: guard,
    },
  },
);
rmSync(guard, { recursive: true, force: true });
process.exit(result.status ?? 1);
