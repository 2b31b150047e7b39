// Unusable sticky options fail with INVALID_OPTIONS naming the option's path as written: in the
// environment options (on the real Jest CLI) and in the global setup helpers. Nothing is leased.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { optionProblem } from '@portlease/test-harness';
import { listLeases } from 'portlease';
import { packageDir, recordsIn, reserveRange, runJest, tempDir } from './helpers.mjs';

const { leaseGlobalPorts, createGlobalSetup } = await import(join(packageDir, 'dist', 'global-setup.js'));
const { releaseGlobalPorts } = await import(join(packageDir, 'dist', 'global-teardown.js'));

test('environment: a sticky name that is not among names, a stickyScope of the wrong type', async () => {
  for (const [portlease, message] of [
    [
      { names: ['api'], sticky: ['apj'] },
      /testEnvironmentOptions\.portlease\.sticky lists "apj", which is not one of the names \("api"\)/,
    ],
    [
      { names: ['api'], sticky: true, stickyScope: 5 },
      /testEnvironmentOptions\.portlease\.stickyScope must be a non-empty string/,
    ],
    [
      { names: ['api'], sticky: 'api' },
      /testEnvironmentOptions\.portlease\.sticky must be true, false or an array of names/,
    ],
    // The same message core as leasePort({ exclude: '80' }): one schema for every surface.
    [
      { names: ['api'], exclude: '80' },
      /testEnvironmentOptions\.portlease\.exclude must be an array of port numbers such as \[3000, 8080\], got "80"\./,
    ],
  ]) {
    const lockDir = tempDir();
    const run = await runJest(30, 'options', {
      lockDir,
      args: ['/default\\.test\\.cjs$'],
      env: { PL_ENV_OPTIONS: JSON.stringify({ portlease }) },
    });
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      new RegExp(`PortleaseError: \\[INVALID_OPTIONS\\] ${message.source}`),
      run.output,
    );
    assert.deepEqual(recordsIn(lockDir), []);
  }
});

test('global setup helpers: sticky naming neither a port nor a server, wrong types', async () => {
  const lockDir = tempDir();
  await assert.rejects(leaseGlobalPorts({ names: ['db'], sticky: ['web'], lockDir }), {
    code: 'INVALID_OPTIONS',
    message: /the global setup options\.sticky lists "web", which is not one of the names \("db"\)/,
  });
  await assert.rejects(leaseGlobalPorts({ names: ['db'], sticky: [3], lockDir }), {
    code: 'INVALID_OPTIONS',
    message: /the global setup options\.sticky must be true, false or an array of names/,
  });
  await assert.rejects(
    createGlobalSetup({ names: ['db'], sticky: true, stickyScope: '', lockDir })({}, { rootDir: lockDir }),
    {
      code: 'INVALID_OPTIONS',
      message: /createGlobalSetup options\.stickyScope must be a non-empty string/,
    },
  );
  await assert.rejects(leaseGlobalPorts({ names: ['db'], stiky: true, lockDir }), {
    code: 'INVALID_OPTIONS',
    message: /has no option "stiky" \(did you mean "sticky"\?\)/,
  });
  assert.deepEqual(recordsIn(lockDir), []);
});

test('global setup: sticky lists the sticky names; other names and unnamed ports stay plain', async () => {
  const lockDir = tempDir();
  const range = await reserveRange(20);
  const info = await leaseGlobalPorts({ names: ['db', 'cache'], count: 3, sticky: ['db'], lockDir, range });
  try {
    const sticky = new Map((await listLeases({ lockDir })).map((l) => [l.port, l.sticky]));
    assert.equal(sticky.size, 3);
    assert.equal(sticky.get(info.named.db), 'db');
    assert.equal(sticky.get(info.named.cache), undefined);
    assert.equal(sticky.get(info.ports[2]), undefined);
  } finally {
    await releaseGlobalPorts();
  }
  // (The lock directory keeps db's sticky memo: data, not a lease.)
  assert.deepEqual(await listLeases({ lockDir }), []);
});

test("names: the one rule of every adapter's port-name list, with the message core of portlease/adapter", async () => {
  const { checkPortNames } = await import('portlease/adapter');
  const lockDir = tempDir();
  for (const names of [['db', 'db'], ['db', ' '], 'db']) {
    const expected = optionProblem((path) => checkPortNames(names, path));
    await assert.rejects(leaseGlobalPorts({ names, lockDir }), {
      code: 'INVALID_OPTIONS',
      message: `[INVALID_OPTIONS] the global setup options.names ${expected}`,
    });
  }
  assert.deepEqual(recordsIn(lockDir), []);
});
