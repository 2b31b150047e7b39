// get-port's own test suite (vendored in get-port-upstream/test.js, its import pointed at
// portlease/get-port, which resolves to this package's dist/ through its own `exports`) run with ava,
// as get-port runs it: every one of its 18 tests must pass.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { here, tempLockDir } from './helpers.mjs';

// ava's CLI (its `bin`), found from its main entry: ava does not export its package.json.
const require = createRequire(import.meta.url);
const avaCli = join(require.resolve('ava'), '..', 'cli.mjs');
const UPSTREAM_TESTS = 18;

test("get-port's own 18 tests pass against portlease/get-port", async () => {
  const lockDir = tempLockDir();
  // ava finds its project (and so resolves `portlease/get-port`) from the working directory.
  const child = spawn(
    process.execPath,
    [avaCli, '--tap', '--timeout=60s', join('test', 'get-port-upstream', 'test.js')],
    { cwd: join(here, '..'), env: { ...process.env, PORTLEASE_DIR: lockDir }, stdio: 'pipe' },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const passed = stdout.match(/^ok \d+ - .*$/gm) ?? [];
  const failed = stdout.match(/^not ok \d+ - .*$/gm) ?? [];
  const report = `ava exited ${code}\n${stdout}\n${stderr}`;
  assert.deepEqual(failed, [], report);
  assert.equal(passed.length, UPSTREAM_TESTS, report);
  assert.equal(code, 0, report);
});
