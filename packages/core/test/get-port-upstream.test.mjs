// get-port's own test suite (vendored in get-port-upstream/test.js, its import pointed at
// portlease/get-port, which resolves to this package's dist/ through its own `exports`) run with ava,
// as get-port runs it: every one of its 18 tests must pass.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { HARNESS_DIR } from '@portlease/test-harness';
import { core, here, runProcess, tempLockDir } from './helpers.mjs';

// ava's CLI (its `bin`), found from its main entry: ava does not export its package.json.
const require = createRequire(import.meta.url);
const avaCli = join(require.resolve('ava'), '..', 'cli.mjs');
const UPSTREAM_TESTS = 18;

// Upstream's tests bind fixed ports; 10990-10993 lie in the harness's BLOCK_ZONE, where the other test
// files reserve their blocks, so hold them in the same harness directory while ava runs, or a block
// reserved there meanwhile would meet upstream's listeners (and upstream's binds would meet its).
const UPSTREAM_FIXED = [10_990, 10_993];

async function holdUpstreamPorts() {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      return await core.leasePorts(UPSTREAM_FIXED[1] - UPSTREAM_FIXED[0] + 1, {
        lockDir: HARNESS_DIR,
        range: UPSTREAM_FIXED,
        owner: "get-port's upstream tests",
      });
    } catch (error) {
      if (error.code !== 'RANGE_EXHAUSTED') throw error;
      // Another test file holds a block there until it ends: wait for it.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`ports ${UPSTREAM_FIXED.join('-')}, which get-port's tests bind, stayed taken`);
}

test("get-port's own 18 tests pass against portlease/get-port", async (t) => {
  const lockDir = tempLockDir();
  const held = await holdUpstreamPorts();
  t.after(() => {
    for (const lease of held) lease.releaseSync();
  });
  // ava finds its project (and so resolves `portlease/get-port`) from the working directory.
  const { code, stdout, stderr } = await runProcess(
    process.execPath,
    [avaCli, '--tap', '--timeout=60s', join('test', 'get-port-upstream', 'test.js')],
    { cwd: join(here, '..'), env: { ...process.env, PORTLEASE_DIR: lockDir }, settle: 'exit' },
  );
  const passed = stdout.match(/^ok \d+ - .*$/gm) ?? [];
  const failed = stdout.match(/^not ok \d+ - .*$/gm) ?? [];
  const report = `ava exited ${code}\n${stdout}\n${stderr}`;
  assert.deepEqual(failed, [], report);
  assert.equal(passed.length, UPSTREAM_TESTS, report);
  assert.equal(code, 0, report);
});
