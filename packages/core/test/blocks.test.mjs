// Contiguous blocks (issue 17): `count` consecutive ports, all or nothing, each probed, never
// overlapping another live lease or block, in separate processes at once; a clear RANGE_EXHAUSTED
// with the longest free run when none fits.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { core, fixture, reserveRange, startNode, tempLockDir } from './helpers.mjs';

const { leasePort, leasePorts, listLeases } = core;

function consecutive(ports) {
  return ports.every((port, i) => i === 0 || port === ports[i - 1] + 1);
}

test('a block is count consecutive ports in the range, each a live lease of this process', async () => {
  const [min, max] = await reserveRange(64);
  const lockDir = tempLockDir();
  const block = await leasePorts(5, { lockDir, range: [min, max], contiguous: true });
  try {
    const ports = block.map((lease) => lease.port);
    assert.ok(consecutive(ports), `not consecutive: ${ports}`);
    assert.ok(ports[0] >= min && ports[4] <= max);
    const rows = await listLeases({ lockDir });
    assert.deepEqual(
      rows.map((r) => [r.port, r.status]),
      ports.map((p) => [p, 'alive']),
    );
  } finally {
    for (const lease of block) await lease.release();
  }
  assert.deepEqual(await listLeases({ lockDir }), []);
});

test('blocks leased by 6 processes at once are consecutive and never overlap', async () => {
  const range = await reserveRange(64);
  const lockDir = tempLockDir();
  // Next to a plain lease of this process too.
  const plain = await leasePort({ lockDir, range });
  const children = Array.from({ length: 6 }, () =>
    startNode(fixture('lease-shape.mjs'), [
      JSON.stringify({ count: 5, options: { lockDir, range, contiguous: true } }),
      'idle',
    ]),
  );
  try {
    const reports = await Promise.all(children.map((c) => c.message((m) => m.ports || m.error)));
    for (const report of reports) {
      assert.equal(report.error, undefined, JSON.stringify(report.error));
      assert.ok(consecutive(report.ports), `not consecutive: ${report.ports}`);
    }
    const all = [plain.port, ...reports.flatMap((r) => r.ports)];
    assert.equal(new Set(all).size, all.length, `overlap: ${all}`);
  } finally {
    for (const child of children) child.child.stdin.end();
    await Promise.all(children.map((c) => c.exited));
    await plain.release();
  }
});

test('no run long enough: RANGE_EXHAUSTED names the ask and the longest free run, and leaves nothing', async () => {
  const [min, max] = await reserveRange(10);
  const lockDir = tempLockDir();
  const a = await leasePort({ lockDir, range: [min + 3, min + 3], owner: 'gap a' });
  const b = await leasePort({ lockDir, range: [min + 7, min + 7], owner: 'gap b' });
  try {
    const error = await leasePorts(4, { lockDir, range: [min, max], contiguous: true }).then(
      () => assert.fail('leased a block that cannot fit'),
      (e) => e,
    );
    assert.equal(error.code, 'RANGE_EXHAUSTED');
    assert.match(
      error.message,
      new RegExp(`No 4 consecutive free ports in ${min}-${max}: the longest free run found was 3 ports`),
    );
    assert.match(error.message, /"gap a"/);
    assert.equal(error.details.longestRun, 3);
    assert.equal(error.details.asked, 4);
    assert.deepEqual(
      (await listLeases({ lockDir })).map((r) => r.port),
      [a.port, b.port],
      'all or nothing',
    );
    const three = await leasePorts(3, { lockDir, range: [min, max], contiguous: true });
    assert.ok(consecutive(three.map((l) => l.port)));
    for (const lease of three) await lease.release();
  } finally {
    await a.release();
    await b.release();
  }
});

test('a port some other program listens on, or an excluded one, ends a run', async () => {
  const [min] = await reserveRange(8);
  const lockDir = tempLockDir();
  const server = createServer().listen(min + 2, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    // [min, min+4] with min+2 busy: only pairs fit, never one holding min+2.
    for (let i = 0; i < 4; i++) {
      const pair = await leasePorts(2, { lockDir, range: [min, min + 4], contiguous: true });
      const ports = pair.map((l) => l.port);
      assert.ok(consecutive(ports) && !ports.includes(min + 2), `bad pair ${ports}`);
      for (const lease of pair) await lease.release();
    }
    await assert.rejects(leasePorts(3, { lockDir, range: [min, min + 4], contiguous: true }), (error) => {
      assert.equal(error.code, 'RANGE_EXHAUSTED');
      assert.equal(error.details.longestRun, 2);
      assert.match(error.message, new RegExp(`1 in use by other programs: ${min + 2} on`));
      return true;
    });
  } finally {
    server.close();
  }
  // An excluded port ends a run the same way: [min+5, min+7] minus min+6 has no pair.
  await assert.rejects(
    leasePorts(2, { lockDir, range: [min + 5, min + 7], exclude: [min + 6], contiguous: true }),
    { code: 'RANGE_EXHAUSTED' },
  );
  const pair = await leasePorts(2, {
    lockDir,
    range: [min + 4, min + 7],
    exclude: [min + 6],
    contiguous: true,
  });
  assert.deepEqual(
    pair.map((l) => l.port),
    [min + 4, min + 5],
  );
  for (const lease of pair) await lease.release();
});

test('a SIGKILLed block holder’s ports make a block again at once', async () => {
  const range = await reserveRange(6);
  const lockDir = tempLockDir();
  const holder = startNode(fixture('lease-shape.mjs'), [
    JSON.stringify({ count: 6, options: { lockDir, range, contiguous: true } }),
    'idle',
  ]);
  const { ports } = await holder.message((m) => m.ports || m.error);
  assert.deepEqual(ports, [range[0], range[0] + 1, range[0] + 2, range[0] + 3, range[0] + 4, range[0] + 5]);
  await assert.rejects(leasePorts(2, { lockDir, range, contiguous: true }), { code: 'RANGE_EXHAUSTED' });
  holder.child.kill('SIGKILL');
  await holder.exited;
  const block = await leasePorts(6, { lockDir, range, contiguous: true });
  assert.deepEqual(
    block.map((l) => l.port),
    ports,
  );
  for (const lease of block) await lease.release();
});

test('a sticky block gets its base back run after run; only the base carries the name', async () => {
  const range = await reserveRange(256);
  const lockDir = tempLockDir();
  const options = { lockDir, range, contiguous: true, sticky: 'brokers', stickyScope: 'sticky-block' };
  const request = JSON.stringify({ count: 3, options });
  const first = startNode(fixture('lease-shape.mjs'), [request]);
  const one = await first.message((m) => m.ports || m.error);
  await first.exited;
  assert.deepEqual(one.sticky, ['brokers', null, null]);
  const second = startNode(fixture('lease-shape.mjs'), [request]);
  const two = await second.message((m) => m.ports || m.error);
  await second.exited;
  assert.deepEqual(two.ports, one.ports);
  assert.ok(consecutive(two.ports));
});
