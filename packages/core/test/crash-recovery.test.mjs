import assert from 'node:assert/strict';
import { test } from 'node:test';
import { core, fixture, reserveRange, startNode, tempLockDir } from './helpers.mjs';

const { leasePorts, leasePort, listLeases } = core;

test('ports of a SIGKILLed holder are leasable again at the very next allocation', async () => {
  const [min, max] = await reserveRange(8);
  const lockDir = tempLockDir();
  const holder = startNode(fixture('lease-then.mjs'), ['idle', '8', String(min), String(max)], {
    env: { PORTLEASE_DIR: lockDir },
  });
  const { ports } = await holder.message((m) => m.ports);
  assert.equal(ports.length, 8);
  await assert.rejects(leasePort({ lockDir, range: [min, max] }), { code: 'RANGE_EXHAUSTED' });

  holder.child.kill('SIGKILL');
  await holder.exited;
  assert.deepEqual(
    (await listLeases({ lockDir })).map((l) => l.status),
    Array(8).fill('stale'),
    'the dead holder records are listed as stale',
  );
  // No TTL, no waiting: the whole range at once, right after the kill.
  const leases = await leasePorts(8, { lockDir, range: [min, max] });
  assert.deepEqual(leases.map((l) => l.port).sort(), [...ports].sort());
  for (const lease of leases) await lease.release();
  assert.deepEqual(await listLeases({ lockDir }), []);
});

test('a live holder whose event loop is blocked keeps its ports; a full range fails fast with the holder named', async () => {
  const [min, max] = await reserveRange(4);
  const lockDir = tempLockDir();
  const holder = startNode(fixture('lease-then.mjs'), ['block', '4', String(min), String(max)], {
    env: { PORTLEASE_DIR: lockDir },
  });
  try {
    const { pid } = await holder.message((m) => m.ports);
    // Give it time to be well inside its busy loop.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const error = await leasePort({ lockDir, range: [min, max] }).then(
      () => assert.fail('leased a port of a live holder'),
      (e) => e,
    );
    assert.equal(error.code, 'RANGE_EXHAUSTED');
    assert.match(error.message, new RegExp(`4 held by live leases: .*"holder block" \\(pid ${pid}\\)`));
    assert.match(error.message, /Widen the range/);
    assert.deepEqual(
      (await listLeases({ lockDir })).map((l) => l.status),
      Array(4).fill('alive'),
    );
  } finally {
    holder.child.kill('SIGKILL');
    await holder.exited;
  }
});

test('a record whose process died is reclaimed even when a live lease of another owner sits beside it', async () => {
  const [min, max] = await reserveRange(3);
  const lockDir = tempLockDir();
  const mine = await leasePort({ lockDir, range: [min, max] });
  const victim = startNode(fixture('lease-then.mjs'), ['idle', '2', String(min), String(max)], {
    env: { PORTLEASE_DIR: lockDir },
  });
  const { ports } = await victim.message((m) => m.ports);
  victim.child.kill('SIGKILL');
  await victim.exited;
  const again = await leasePorts(2, { lockDir, range: [min, max] });
  assert.deepEqual(again.map((l) => l.port).sort(), [...ports].sort());
  assert.ok(!again.some((l) => l.port === mine.port), 'the live lease was not reclaimed');
  for (const lease of [mine, ...again]) lease.releaseSync();
});
