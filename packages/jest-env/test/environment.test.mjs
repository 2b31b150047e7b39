// The environment under the real Jest CLI, Jest 30 and Jest 29: ports per test file across several
// workers, in band (asked for and automatic), Jest 30's globals cleanup, options from the config and
// from docblocks, readable errors for bad options, and nothing left in the lock directory afterwards.
import assert from 'node:assert/strict';
import net from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readRecords, recordsIn, reserveRange, runJest, tempDir, VERSIONS } from './helpers.mjs';

const HELPERS_BUILD = /packages\/jest-env\/dist\/ports\.cjs$/;

for (const version of VERSIONS) {
  describe(`Jest ${version}`, () => {
    test('4 workers: every file holds its own ports at the same time; all released', async () => {
      // 4 files x 2 ports held at once (a barrier) in a range of 10: without coordination they collide.
      const range = await reserveRange(10);
      const lockDir = tempDir();
      const out = join(tempDir(), 'out');
      const run = await runJest(version, 'ports', {
        lockDir,
        args: ['--maxWorkers=4', '/[a-d]\\.test\\.cjs$'],
        env: {
          PL_OUT: out,
          PL_BARRIER: '4',
          PL_ENV_OPTIONS: JSON.stringify({ portlease: { names: ['x', 'y'], range } }),
        },
      });
      assert.equal(run.code, 0, run.output);
      const records = readRecords(out);
      assert.equal(records.length, 4);
      assert.equal(new Set(records.map((r) => r.pid)).size, 4, 'each file ran in its own worker process');
      assert.ok(records.every((r) => r.pid !== run.pid));
      const all = records.flatMap((r) => r.ports);
      assert.equal(new Set(all).size, 8, `duplicate ports among files held at once: ${all}`);
      for (const r of records) {
        assert.ok(r.ports.every((p) => p >= range[0] && p <= range[1]));
        assert.deepEqual(r.named, { x: r.ports[0], y: r.ports[1] });
        assert.match(r.helper, HELPERS_BUILD, 'tests load the light helpers, not the environment');
      }
      assert.deepEqual(recordsIn(lockDir), []);
    });

    test('--runInBand: every file in the Jest process itself, ports released after each', async () => {
      const lockDir = tempDir();
      const out = join(tempDir(), 'out');
      // Jest 30 deletes what was put on the test global between files ('on' = for real).
      const options = { globalsCleanup: 'on', portlease: { count: 2 } };
      const run = await runJest(version, 'ports', {
        lockDir,
        args: ['--runInBand'],
        env: { PL_OUT: out, PL_ENV_OPTIONS: JSON.stringify(options) },
      });
      assert.equal(run.code, 0, run.output);
      const records = readRecords(out);
      assert.equal(records.length, 8);
      for (const r of records) {
        assert.equal(r.pid, run.pid, 'in band: the Jest process runs the file');
        assert.equal(r.ports.length, 2);
        assert.notEqual(r.ports[0], r.ports[1]);
        // Released at each file's teardown, not just when the process exits.
        assert.deepEqual(r.seen.sort(), [...r.ports].sort(), `${r.file} saw leases of other files`);
      }
      assert.doesNotMatch(run.output, /soft deleted|JEST-01/);
      assert.deepEqual(recordsIn(lockDir), []);
    });

    test('automatic in band (one test file): works in the Jest process, default soft globals cleanup', async () => {
      const lockDir = tempDir();
      const out = join(tempDir(), 'out');
      const run = await runJest(version, 'ports', {
        lockDir,
        args: ['--maxWorkers=4', '/a\\.test\\.cjs$'],
        env: { PL_OUT: out },
      });
      assert.equal(run.code, 0, run.output);
      const [record] = readRecords(out);
      assert.equal(record.pid, run.pid, 'Jest chose to run the single file in band');
      assert.equal(record.ports.length, 1, 'default: one port');
      assert.doesNotMatch(run.output, /soft deleted|JEST-01/);
      assert.deepEqual(recordsIn(lockDir), []);
    });

    test('ESM: the ESM build as environment (by path), ESM test files importing the ESM helpers', async () => {
      const lockDir = tempDir();
      const run = await runJest(version, 'esm', {
        lockDir,
        env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules` },
      });
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /Tests:\s+2 passed, 2 total/);
      assert.deepEqual(recordsIn(lockDir), []);
    });

    test('options from the config and from docblocks; setupFiles get a clear error', async () => {
      const lockDir = tempDir();
      const run = await runJest(version, 'options', {
        lockDir,
        args: ['--maxWorkers=2', '/(default|docblock|none)\\.test\\.cjs$'],
      });
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /Tests:\s+3 passed, 3 total/);
      assert.deepEqual(recordsIn(lockDir), []);
    });

    test('bad options fail the file with a PortleaseError INVALID_OPTIONS message saying what to do', async () => {
      const lockDir = tempDir();
      const run = await runJest(version, 'options', {
        lockDir,
        args: ['--maxWorkers=2', '/(default|typo)\\.test\\.cjs$'],
        env: { PL_ENV_OPTIONS: JSON.stringify({ portlease: { count: -1 } }) },
      });
      assert.equal(run.code, 1, run.output);
      assert.match(
        run.output,
        /PortleaseError: \[INVALID_OPTIONS\] testEnvironmentOptions\.portlease\.count must be a whole number from 0 to 100 \(how many ports to lease\), got -1\. Example: \{ portlease: \{ count: 2 \} \}\./,
      );
      assert.match(
        run.output,
        /PortleaseError: \[INVALID_OPTIONS\] the @jest-environment-options docblock of typo\.test\.cjs: portlease has no option "nmes" \(did you mean "names"\?\)\. Known: count, names, /,
      );
      assert.match(run.output, /Test Suites: 2 failed, 2 total/);
      assert.deepEqual(recordsIn(lockDir), []);
    });
  });
}

test('no free port in the range: the file fails with RANGE_EXHAUSTED naming the busy port', async () => {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  try {
    const lockDir = tempDir();
    const run = await runJest(30, 'ports', {
      lockDir,
      args: ['/a\\.test\\.cjs$'],
      env: { PL_ENV_OPTIONS: JSON.stringify({ portlease: { range: [port, port] } }) },
    });
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(
        `PortleaseError: \\[RANGE_EXHAUSTED\\] @portlease/jest could not lease 1 port\\(s\\) for a\\.test\\.cjs: No free port in ${port}-${port}: 1 in use by other programs: ${port} on .*Widen the range`,
      ),
    );
    assert.deepEqual(recordsIn(lockDir), []);
  } finally {
    server.close();
  }
});
