// Runs the example suite through the real Jest CLI: once with 4 workers, then as two shards of one
// suite at the same time on this host, sharing one lock directory as CI shards on one machine would.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recordsIn as leftovers, runProcess, tempDir } from '@portlease/test-harness';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const jestBin = join(
  dirname(createRequire(join(exampleDir, 'package.json')).resolve('jest/package.json')),
  'bin',
  'jest.js',
);

/** `jest <args>` in the example, with its own fresh cache; resolves with exit code and output. */
async function jest(args, lockDir) {
  const env = { ...process.env, PORTLEASE_DIR: lockDir };
  delete env.NODE_TEST_CONTEXT;
  // A fresh cache: Jest has no timings, so it uses the workers it is given instead of running in band.
  const argv = [jestBin, '--ci', `--cacheDirectory=${tempDir('pl-jest-cache-')}`, ...args];
  const { code, output } = await runProcess(process.execPath, argv, { cwd: exampleDir, env });
  return { code, output };
}

test('the suite passes with 4 workers, each file on its own server and port', async () => {
  const lockDir = tempDir('pl-jest-example-');
  const run = await jest(['--maxWorkers=4'], lockDir);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /Tests:\s+9 passed, 9 total/);
  assert.deepEqual(leftovers(lockDir), []);
});

test('two shards of the suite at once on one host both pass', async () => {
  const lockDir = tempDir('pl-jest-example-');
  const [one, two] = await Promise.all([
    jest(['--maxWorkers=4', '--shard=1/2'], lockDir),
    jest(['--maxWorkers=4', '--shard=2/2'], lockDir),
  ]);
  assert.equal(one.code, 0, one.output);
  assert.equal(two.code, 0, two.output);
  const passed = [one, two].map((run) => Number(/Tests:\s+(\d+) passed/.exec(run.output)?.[1]));
  assert.equal(passed[0] + passed[1], 9, 'the shards split the 9 files between them');
  assert.deepEqual(leftovers(lockDir), []);
});
