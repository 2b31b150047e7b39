import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { core, fixture, recordsIn, reserveRange, runNode, startNode, tempLockDir } from './helpers.mjs';

const { leasePort, leasePorts, listLeases, PortleaseError } = core;

// Windows has no SIGSTOP, and a SIGTERM or SIGINT sent there kills without running handlers.
const posixSignals = process.platform === 'win32' && 'needs POSIX signals (not on Windows)';

/** Fails (instead of hanging the suite) if a child does not exit by itself within a generous bound. */
async function exitsWithin(child, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      child.child.kill('SIGKILL');
      reject(new Error(`process did not exit by itself within ${ms} ms: something holds it open`));
    }, ms);
  });
  try {
    return await Promise.race([child.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('a process that only leases exits by itself, and its leases vanish', async () => {
  const lockDir = tempLockDir();
  const child = startNode(fixture('lease-then.mjs'), ['exit', '3'], { env: { PORTLEASE_DIR: lockDir } });
  child.child.stdin.end();
  await child.message((m) => m.ports);
  const { code } = await exitsWithin(child, 20_000);
  assert.equal(code, 0);
  assert.deepEqual(recordsIn(lockDir), []);
});

for (const [how, signal] of [
  ['SIGTERM', 'SIGTERM'],
  ['SIGINT', 'SIGINT'],
]) {
  test(`leases are released on ${how}, and the process still dies of the signal`, {
    skip: posixSignals,
  }, async () => {
    const lockDir = tempLockDir();
    const child = startNode(fixture('lease-then.mjs'), ['idle', '2'], { env: { PORTLEASE_DIR: lockDir } });
    await child.message((m) => m.ports);
    assert.equal(recordsIn(lockDir).length, 4, 'two port directories with one record each');
    child.child.kill(signal);
    const exit = await exitsWithin(child, 20_000);
    assert.equal(exit.signal, signal);
    assert.deepEqual(recordsIn(lockDir), []);
  });
}

test('leases are released when the process dies of an uncaught exception', async () => {
  const lockDir = tempLockDir();
  const child = startNode(fixture('lease-then.mjs'), ['throw', '2'], { env: { PORTLEASE_DIR: lockDir } });
  await child.message((m) => m.ports);
  const exit = await exitsWithin(child, 20_000);
  assert.equal(exit.code, 1);
  assert.match(child.stderr(), /boom/);
  assert.deepEqual(recordsIn(lockDir), []);
});

test('release is idempotent, async-disposable, and frees the port for the next lease', async () => {
  const [min] = await reserveRange(1);
  const lockDir = tempLockDir();
  const lease = await leasePort({ lockDir, range: [min, min], owner: 'first' });
  assert.equal(lease.port, min);
  await assert.rejects(leasePort({ lockDir, range: [min, min] }), { code: 'RANGE_EXHAUSTED' });
  await lease.release();
  await lease.release();
  lease.releaseSync();
  assert.equal(lease.released, true);
  const second = await leasePort({ lockDir, range: [min, min] });
  await second[Symbol.asyncDispose]();
  assert.equal(second.released, true);
  assert.deepEqual(recordsIn(lockDir), []);
});

test('leasePorts is all or nothing: a failure leaves no lease of this call behind', async () => {
  const [min, max] = await reserveRange(3);
  const lockDir = tempLockDir();
  const other = await leasePort({ lockDir, range: [min, max], owner: 'taken' });
  await assert.rejects(leasePorts(3, { lockDir, range: [min, max] }), (error) => {
    assert.ok(error instanceof PortleaseError);
    assert.equal(error.code, 'RANGE_EXHAUSTED');
    return true;
  });
  assert.deepEqual(
    (await listLeases({ lockDir })).map((l) => l.owner),
    ['taken'],
  );
  const two = await leasePorts(2, { lockDir, range: [min, max] });
  assert.equal(new Set([other.port, ...two.map((l) => l.port)]).size, 3);
  for (const lease of [other, ...two]) lease.releaseSync();
});

test('a lease taken in a worker thread belongs to that thread: terminating it frees the port', async () => {
  const [min] = await reserveRange(1);
  const lockDir = tempLockDir();
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     import(workerData.index).then(async ({ leasePort }) => {
       const lease = await leasePort({ lockDir: workerData.lockDir, range: [workerData.min, workerData.min] });
       parentPort.postMessage(lease.port);
       setInterval(() => {}, 1000);
     });`,
    { eval: true, workerData: { index: new URL('../dist/index.js', import.meta.url).href, lockDir, min } },
  );
  const port = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.equal(port, min);
  // Same pid, other thread: the main thread may not take it while the worker lives.
  await assert.rejects(leasePort({ lockDir, range: [min, min] }), { code: 'RANGE_EXHAUSTED' });
  await worker.terminate();
  const lease = await leasePort({ lockDir, range: [min, min] });
  assert.equal(lease.port, min);
  lease.releaseSync();
});

test('an aborted signal stops the allocation with ABORTED', async () => {
  const lockDir = tempLockDir();
  await assert.rejects(leasePort({ lockDir, signal: AbortSignal.abort() }), { code: 'ABORTED' });
  assert.deepEqual(recordsIn(lockDir), []);
});

test('bad options are INVALID_OPTIONS errors that say what to do', async () => {
  const lockDir = tempLockDir();
  const cases = [
    [{ range: [30000, 20000] }, /swap them/],
    [{ range: [80, 90] }, /below 1024/],
    [{ range: [20000] }, /\[min, max\]/],
    [{ range: [20000.5, 20001] }, /whole port numbers/],
    [{ exclude: [70000] }, /exclude/],
    [{ hosts: [] }, /hosts/],
    [{ owner: 42 }, /owner/],
    [{ signal: 'soon' }, /AbortSignal/],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(leasePort({ lockDir, ...options }), (error) => {
      assert.equal(error.code, 'INVALID_OPTIONS', JSON.stringify(options));
      assert.match(error.message, message);
      return true;
    });
  }
  await assert.rejects(leasePorts(0, { lockDir }), { code: 'INVALID_OPTIONS' });
});

test('PORTLEASE_DIR and PORTLEASE_RANGE apply, and options win over them', async () => {
  const [min, max] = await reserveRange(4);
  const lockDir = tempLockDir();
  const script = `import { leasePort } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
    const fromEnv = await leasePort();
    const fromOption = await leasePort({ range: [${max}, ${max}] });
    console.log(JSON.stringify([fromEnv.port, fromOption.port]));`;
  const result = await runNode(['--input-type=module', '-e', script], {
    env: { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${min}-${max - 1}` },
  });
  assert.equal(result.code, 0, result.stderr);
  const [fromEnv, fromOption] = JSON.parse(result.stdout);
  assert.ok(fromEnv >= min && fromEnv <= max - 1);
  assert.equal(fromOption, max);
  const bad = await runNode(['--input-type=module', '-e', script], {
    env: { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: 'lots' },
  });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /PORTLEASE_RANGE must look like "20000-29999"/);
});
