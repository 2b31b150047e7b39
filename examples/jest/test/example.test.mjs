// Runs the example suite through the real Jest CLI: once with 4 workers, then as two shards of one
// suite at the same time on this host, sharing one lock directory as CI shards on one machine would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const jestBin = join(
  dirname(createRequire(join(exampleDir, 'package.json')).resolve('jest/package.json')),
  'bin',
  'jest.js',
);

const temps = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** `jest <args>` in the example, with its own fresh cache; resolves with exit code and output. */
function jest(args, lockDir) {
  const env = { ...process.env, PORTLEASE_DIR: lockDir };
  delete env.NODE_TEST_CONTEXT;
  // A fresh cache: Jest has no timings, so it uses the workers it is given instead of running in band.
  const child = spawn(
    process.execPath,
    [jestBin, '--ci', `--cacheDirectory=${tempDir('pl-jest-cache-')}`, ...args],
    {
      cwd: exampleDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Lease records left in a lock directory. */
function leftovers(lockDir) {
  if (!existsSync(lockDir)) return [];
  return readdirSync(lockDir).flatMap((scope) =>
    readdirSync(join(lockDir, scope)).flatMap((entry) => {
      const inner = readdirSync(join(lockDir, scope, entry));
      return entry === '.staging' ? inner : [entry, ...inner];
    }),
  );
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
