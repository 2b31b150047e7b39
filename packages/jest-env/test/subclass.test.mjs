// An environment extending the portlease one (starting a server per file in setup), and a setup that
// fails after the ports were leased: Jest tears the environment down and the ports are released.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAlive, recordsIn, runJest, tempDir, VERSIONS } from './helpers.mjs';

for (const version of VERSIONS) {
  test(`Jest ${version}: a subclass starts a server per file on its leased port and stops it`, async () => {
    const lockDir = tempDir();
    const pids = join(tempDir(), 'app-pids');
    const run = await runJest(version, 'subclass', {
      lockDir,
      args: ['--maxWorkers=2'],
      env: { PL_APP_PIDS: pids },
    });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /Tests:\s+2 passed, 2 total/);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    assert.equal(started.length, 2);
    assert.ok(
      started.every((pid) => !isAlive(pid)),
      'teardown stopped the servers',
    );
    assert.deepEqual(recordsIn(lockDir), []);
  });

  test(`Jest ${version}: setup failing after the lease still releases the ports at teardown`, async () => {
    const lockDir = tempDir();
    const pids = join(tempDir(), 'app-pids');
    const seen = join(tempDir(), 'seen');
    // In band, so the second file's setup shows whether the first file's teardown released its port
    // (the process exiting at the end would release it anyway).
    const run = await runJest(version, 'subclass', {
      lockDir,
      args: ['--runInBand'],
      env: { PL_APP_SCRIPT: 'crash.cjs', PL_APP_PIDS: pids, PL_SEEN: seen },
    });
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /PortleaseError: \[SERVER_EXITED\] Server ".*crash\.cjs" exited with code 4 before it accepted connections/,
    );
    assert.match(run.output, /app: cannot open its database/);
    assert.match(run.output, /Test Suites: 2 failed, 2 total/);
    assert.equal(existsSync(pids), false);
    assert.deepEqual(readFileSync(seen, 'utf8').trim().split('\n'), ['[]', '[]']);
    assert.deepEqual(recordsIn(lockDir), []);
  });
}
