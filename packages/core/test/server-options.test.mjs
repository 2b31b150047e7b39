// Every unusable startServer option is an INVALID_OPTIONS naming it, before anything is leased or
// started: never a raw TypeError, a crash of the host process, or a SERVER_TIMEOUT much later.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { core, dist, recordsIn, runNode, tempLockDir } from './helpers.mjs';

const { startServer } = core;

test('bad startServer options are INVALID_OPTIONS that name the option', async () => {
  const lockDir = tempLockDir();
  const lease = { lockDir };
  const cases = [
    [null, /startServer options must be an object/],
    [42, /startServer options must be an object/],
    [{ command: 42, lease }, /^\[INVALID_OPTIONS\] command must be a non-empty string/],
    [{ command: 123, lease }, /command must be/],
    [{ command: [123], lease }, /command must be/],
    [{ command: ['node', 5], lease }, /command must be/],
    [{ command: '', lease }, /command must be/],
    [{ start: 5, lease }, /start must be a function/],
    [{ command: 'true', port: 70000 }, /port must be a port number from 1 to 65535/],
    [{ command: 'true', port: 'abc' }, /port must be a port number/],
    [{ command: 'true', port: 0 }, /port must be .*0 lets the OS pick/],
    [{ command: 'true', hosts: [], lease }, /hosts must be a non-empty array/],
    [{ command: 'true', stopTimeout: 3e9, lease }, /stopTimeout must be at most 2147482647 ms/],
    [{ command: 'true', readyTimeout: Number.NaN, lease }, /readyTimeout must be a positive number/],
    [{ command: 'true', cwd: '/nonexistent', lease }, /cwd "\/nonexistent" is not an existing directory/],
    [{ command: 'true', env: { A: 1 }, lease }, /env must be an object of string values/],
    [
      { command: 'true', readytimeout: 100, lease },
      /has no option "readytimeout" \(did you mean "readyTimeout"\?\)/,
    ],
    [{ command: 'true', lease: 'x' }, /lease must be leasePort options/],
  ];
  for (const [options, message] of cases) {
    const error = await startServer(options).then(
      () => assert.fail(`accepted ${JSON.stringify(options)}`),
      (e) => e,
    );
    assert.equal(error.code, 'INVALID_OPTIONS', `${JSON.stringify(options)}: ${error.stack}`);
    assert.match(error.message, message, JSON.stringify(options));
  }
  assert.deepEqual(recordsIn(lockDir), [], 'nothing was leased for a bad option');
});

test('cwd that does not exist does not crash the host process', async () => {
  const script = `const { startServer } = await import(${JSON.stringify(`${dist}/index.js`)});
    const error = await startServer({ command: ['node', '-e', ''], cwd: '/nonexistent' }).catch((e) => e);
    console.log(JSON.stringify({ code: error.code }));`;
  const result = await runNode(['--input-type=module', '-e', script], {
    env: { PORTLEASE_DIR: tempLockDir() },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { code: 'INVALID_OPTIONS' });
});
