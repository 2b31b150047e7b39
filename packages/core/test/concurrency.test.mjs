import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, recordsIn, reserveRange, startNode, tempLockDir } from './helpers.mjs';

test('16 processes leasing at once, each binding its ports after a random delay: no EADDRINUSE, no duplicates', async () => {
  const workers = 16;
  const perWorker = 60;
  const [min, max] = await reserveRange(1500);
  const lockDir = tempLockDir();
  const children = Array.from({ length: workers }, () =>
    startNode(fixture('lease-and-bind.mjs'), [String(perWorker), String(min), String(max)], {
      env: { PORTLEASE_DIR: lockDir },
    }),
  );
  const reports = await Promise.all(children.map((c) => c.message((m) => Array.isArray(m.ports))));

  const owners = new Map();
  for (const [i, report] of reports.entries()) {
    assert.equal(report.ports.length, perWorker);
    assert.deepEqual(report.failures, [], `worker ${i} could not bind: ${JSON.stringify(report.failures)}`);
    for (const port of report.ports) {
      assert.ok(port >= min && port <= max, `port ${port} outside [${min}, ${max}]`);
      assert.ok(!owners.has(port), `port ${port} held by workers ${owners.get(port)} and ${i}`);
      owners.set(port, i);
    }
  }
  assert.equal(owners.size, workers * perWorker);

  for (const c of children) c.child.stdin.end();
  const exits = await Promise.all(children.map((c) => c.exited));
  assert.ok(
    exits.every((e) => e.code === 0),
    JSON.stringify(exits),
  );
  assert.deepEqual(recordsIn(lockDir), [], 'every lease is released when its process exits');
});
