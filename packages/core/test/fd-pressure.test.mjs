// Out of file descriptors is never an answer about a port: EMFILE/ENFILE in readdir, in the liveness
// connect or in a record read is TOO_MANY_OPEN_FILES, not RANGE_EXHAUSTED, an `alive` row or a row
// with a problem. A real process, its descriptors taken intermittently by another of its threads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fixture, reserveRange, tempLockDir } from './helpers.mjs';

test('descriptor exhaustion from another thread yields TOO_MANY_OPEN_FILES, never a wrong answer', async () => {
  const [port] = await reserveRange(1);
  const lockDir = tempLockDir();
  const run = spawnSync(
    'sh',
    [
      '-c',
      'ulimit -n 200 && exec "$0" "$@"',
      process.execPath,
      fixture('fd-pressure.mjs'),
      lockDir,
      String(port),
      '400',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  const tally = JSON.parse(run.stdout.trim());
  assert.deepEqual(tally.wrong, [], JSON.stringify(tally));
  assert.ok(tally.leased + tally.listed > 0, `some calls got through: ${JSON.stringify(tally)}`);
  assert.ok(tally.fds > 0, `the pressure was real: ${JSON.stringify(tally)}`);
});
