// portlease/get-port across real processes: what get-port cannot do (its lock is per process). Several
// children call getPort() at once against one lock directory and never get the same port while they
// hold it; clearLockedPorts() frees them; exit releases them, a SIGKILL leaves them recoverable, and
// nothing holds a child open. GET_PORT_MODULE=<path to get-port's index.js> runs the same children on
// get-port itself (fixtures/get-port-worker.mjs), which fails the uniqueness tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { core, fixture, recordsIn, reserveRange, startNode, tempLockDir } from './helpers.mjs';

const worker = fixture('get-port-worker.mjs');

/** Sends one command to a worker and waits for its answer (the n-th message it sends). */
async function ask(child, command) {
  const seen = child.messages.length;
  child.child.stdin.write(`${JSON.stringify(command)}\n`);
  await child.message(() => child.messages.length > seen);
  return child.messages[seen];
}

function assertUnique(reports, size) {
  const owners = new Map();
  for (const [i, report] of reports.entries()) {
    assert.equal(report.error, undefined, `worker ${i}: ${report.error}`);
    for (const port of report.ports) {
      assert.ok(!owners.has(port), `port ${port} handed to workers ${owners.get(port)} and ${i}`);
      owners.set(port, i);
    }
  }
  assert.equal(owners.size, size);
  return owners;
}

test('6 processes calling getPort() 10 times each at once, half with portNumbers(): never the same port twice; clearLockedPorts frees them', async () => {
  const workers = 6;
  const perWorker = 10;
  const [min, max] = await reserveRange(80);
  const lockDir = tempLockDir();
  const env = { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${min}-${max}` };
  const children = Array.from({ length: workers }, () => startNode(worker, [], { env }));
  try {
    // The usual get-port pattern, a shared preferred range, for half of them: get-port hands every
    // process the first port of it.
    const round = (i) => (i % 2 ? { get: perWorker, from: min, to: max } : { get: perWorker });
    const first = await Promise.all(children.map((c, i) => ask(c, round(i))));
    const owners = assertUnique(first, workers * perWorker);
    for (const port of owners.keys()) assert.ok(port >= min && port <= max, `${port} outside the range`);
    const leased = (await core.listLeases({ lockDir })).map((l) => l.port).sort((a, b) => a - b);
    assert.deepEqual(
      leased,
      [...owners.keys()].sort((a, b) => a - b),
      'every port handed out is leased',
    );

    const cleared = await Promise.all(children.map((c) => ask(c, { clear: true })));
    assert.ok(cleared.every((m) => m.cleared));
    assert.deepEqual(recordsIn(lockDir), [], 'clearLockedPorts released every lease of every process');

    // The freed ports are handed out again, still never twice.
    const second = await Promise.all(children.map((c, i) => ask(c, round(i))));
    assertUnique(second, workers * perWorker);
  } finally {
    for (const c of children) c.child.stdin.end();
  }
  const exits = await Promise.all(children.map((c) => c.exited));
  assert.ok(
    exits.every((e) => e.code === 0),
    JSON.stringify(exits),
  );
  assert.deepEqual(recordsIn(lockDir), [], 'every lease is released when its process exits');
});

test('a process that got a port and has nothing left to do exits by itself, releasing the port', async () => {
  const [min, max] = await reserveRange(4);
  const lockDir = tempLockDir();
  const child = startNode(worker, ['once'], {
    env: { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${min}-${max}` },
  });
  child.child.stdin.end();
  const { ports } = await child.message((m) => Array.isArray(m.ports));
  assert.ok(ports[0] >= min && ports[0] <= max);
  // If a lease's timer or socket held the process open, this would never resolve (the test times out).
  assert.deepEqual(await child.exited, { code: 0, signal: null });
  assert.deepEqual(recordsIn(lockDir), []);
});

test('the port of a SIGKILLed process is recovered: another process gets it as its preferred port', async () => {
  const [min, max] = await reserveRange(4);
  const lockDir = tempLockDir();
  const env = { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${min}-${max}` };
  const holder = startNode(worker, [], { env });
  const other = startNode(worker, [], { env });
  try {
    const { ports } = await ask(holder, { get: 1, from: min, to: min });
    assert.deepEqual(ports, [min]);
    const whileHeld = await ask(other, { get: 1, from: min, to: min });
    assert.notEqual(whileHeld.ports[0], min, 'held by a live process: not handed out');

    holder.child.kill('SIGKILL');
    await holder.exited;
    const afterCrash = await ask(other, { get: 1, from: min, to: min });
    assert.deepEqual(afterCrash.ports, [min], "a dead process's lease is reclaimed");
  } finally {
    holder.child.stdin.end();
    other.child.stdin.end();
  }
  await other.exited;
});
