// Worker servers that exit, never listen, or are not configured: the Playwright output says what
// happened, with the server's own output, and no port or process is left behind.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  core,
  eventually,
  fixture,
  isAlive,
  rangeText,
  reserveRange,
  runPlaywright,
  serverPids,
  tempDir,
} from './helpers.mjs';

test('a worker server that cannot start fails its tests with a readable error', {
  timeout: 120_000,
}, async () => {
  const lockDir = tempDir();
  const out = tempDir();
  const pids = tempDir();
  const range = await reserveRange(10);
  const { code, output } = await runPlaywright(fixture('server-fails'), [], {
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: rangeText(range),
    FIXTURE_PIDS: pids,
    FIXTURE_OUTPUT_DIR: join(out, 'results'),
  });
  assert.notEqual(code, 0, output);
  assert.match(output, /3 failed/, output);

  // The server that exited: the code, what happened and what it printed.
  assert.match(
    output,
    /\[SERVER_EXITED\] The workerServer of "playwright project=exits worker=\d" did not start/,
    output,
  );
  assert.match(output, /exited with code 3 before it accepted connections/, output);
  assert.match(output, /booting the shop/, output);
  assert.match(output, /fatal: DATABASE_URL is not set/, output);

  // The server that never listened: timed out with its output, then stopped.
  assert.match(
    output,
    /\[SERVER_TIMEOUT\] The workerServer of "playwright project=never-listens worker=\d" did not start/,
    output,
  );
  assert.match(output, /within 2000 ms/, output);
  assert.match(output, /warming caches/, output);
  const hung = serverPids(pids);
  assert.equal(hung.length, 1);
  assert.ok(await eventually(() => !isAlive(hung[0])), `the hung server ${hung[0]} was not stopped`);

  // `server` without a workerServer says how to configure one.
  assert.match(
    output,
    /\[INVALID_OPTIONS\] use\.workerServer is not set, and the `server` fixture needs it/,
    output,
  );

  assert.deepEqual(await core.listLeases({ lockDir }), []);
});
