// Sticky ports (issue 17): the same port for the same name of the same project, run after run, in
// separate processes; another project gets its own; a concurrent holder forces another port without
// moving the name for good; whatever sits in a memo's place changes nothing but the preference.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoDirOf } from '@portlease/test-harness';
import { core, fixture, reserveRange, startNode, tempLockDir } from './helpers.mjs';

const { leasePort, leasePorts, listLeases, collectGarbage } = core;

/** Runs the lease-shape fixture in its own process; resolves its report. */
async function leaseIn(request, mode = 'exit') {
  const child = startNode(fixture('lease-shape.mjs'), [JSON.stringify(request), mode]);
  const report = await child.message((m) => m.ports || m.error);
  if (mode === 'exit') await child.exited;
  return { ...report, proc: child };
}

/** A fresh project directory (it holds a package.json), as a checkout would be. */
function project() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'portlease-project-')));
  writeFileSync(join(dir, 'package.json'), '{"name":"demo"}');
  mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
  return dir;
}

/** The port docs/protocol.md says a key with no memo prefers: sha256(name NUL project) into the range. */
function hashPort(name, projectId, [min, max]) {
  const id = createHash('sha256').update(`${name}\0${projectId}`).digest('hex').slice(0, 32);
  return { id, port: min + (Number.parseInt(id.slice(0, 8), 16) % (max - min + 1)) };
}

function memoPath(lockDir, id) {
  const scope = readdirSync(lockDir).find((name) => !name.startsWith('.'));
  return join(memoDirOf(lockDir, scope), id);
}

test('a second process of the same project gets the same port back; from a sub-directory too', async () => {
  const range = await reserveRange(256);
  const lockDir = tempLockDir();
  const dir = project();
  const options = { lockDir, range, sticky: 'web' };
  const first = await leaseIn({ options, cwd: dir });
  assert.equal(first.ports.length, 1, JSON.stringify(first));
  assert.deepEqual(first.sticky, ['web']);
  assert.equal(first.ports[0], hashPort('web', dir, range).port, 'without a memo the hash picks the port');
  const again = await leaseIn({ options, cwd: join(dir, 'src', 'deep') });
  assert.deepEqual(again.ports, first.ports, 'the nearest package.json names the project');
  const third = await leaseIn({ options, cwd: dir });
  assert.deepEqual(third.ports, first.ports);
});

test('two project directories get their own stable ports', async () => {
  const range = await reserveRange(256);
  const lockDir = tempLockDir();
  const a = project();
  let b = project();
  // Two checkouts may hash alike; pick a second one that does not, so the test says what it means.
  while (hashPort('web', b, range).port === hashPort('web', a, range).port) b = project();
  const inA = await leaseIn({ options: { lockDir, range, sticky: 'web' }, cwd: a });
  const inB = await leaseIn({ options: { lockDir, range, sticky: 'web' }, cwd: b });
  assert.notEqual(inA.ports[0], inB.ports[0]);
  assert.deepEqual((await leaseIn({ options: { lockDir, range, sticky: 'web' }, cwd: b })).ports, inB.ports);
  assert.deepEqual((await leaseIn({ options: { lockDir, range, sticky: 'web' }, cwd: a })).ports, inA.ports);
  // stickyScope names the project explicitly, whatever the working directory.
  const scoped = await leaseIn({ options: { lockDir, range, sticky: 'web', stickyScope: a }, cwd: b });
  assert.deepEqual(scoped.ports, inA.ports);
});

test('a concurrent holder forces another port; the name comes back once its port is free', async () => {
  const range = await reserveRange(256);
  const lockDir = tempLockDir();
  const options = { lockDir, range, sticky: 'api', stickyScope: 'concurrent-holder' };
  const {
    ports: [home],
  } = await leaseIn({ options });
  // Another process holds it now (a plain lease of exactly that port).
  const holder = await leaseIn({ options: { lockDir, range: [home, home] } }, 'idle');
  try {
    assert.deepEqual(holder.ports, [home]);
    const forced = await leaseIn({ options });
    assert.notEqual(forced.ports[0], home, 'a held port is never shared');
    const listed = await listLeases({ lockDir });
    assert.deepEqual(
      listed.map((l) => [l.port, l.status]),
      [[home, 'alive']],
      'the forced lease was released at exit',
    );
  } finally {
    holder.proc.child.stdin.end();
    await holder.proc.exited;
  }
  assert.deepEqual((await leaseIn({ options })).ports, [home], 'one miss does not move the name');
});

test('the name follows a new port only after its port was unavailable on 3 leases in a row', async () => {
  const range = await reserveRange(256);
  const lockDir = tempLockDir();
  const options = { lockDir, range, sticky: 'db', stickyScope: 'follow-rule' };
  const home = await leasePort(options);
  await home.release();
  const holder = await leasePort({ lockDir, range: [home.port, home.port] });
  const got = [];
  for (let i = 0; i < 3; i++) {
    const lease = await leasePort(options);
    got.push(lease.port);
    await lease.release();
  }
  await holder.release();
  assert.ok(!got.includes(home.port));
  const after = await leasePort(options);
  await after.release();
  assert.equal(after.port, got[2], 'after 3 misses the memo follows the last port got');
});

test('a sticky port busy with a listener outside portlease is skipped, never handed out', async () => {
  const range = await reserveRange(256);
  const lockDir = tempLockDir();
  const options = { lockDir, range, sticky: 'busy', stickyScope: 'busy-listener' };
  const first = await leasePort(options);
  await first.release();
  const net = await import('node:net');
  const server = net.createServer().listen(first.port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const second = await leasePort(options);
    assert.notEqual(second.port, first.port);
    await second.release();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const back = await leasePort(options);
  assert.equal(back.port, first.port, 'once the listener is gone the name has its port again');
  await back.release();
});

test('leasePorts takes one sticky name per port, undefined for a port that is not sticky', async () => {
  const range = await reserveRange(256);
  const lockDir = tempLockDir();
  const options = { lockDir, range, sticky: ['front', undefined, 'back'], stickyScope: 'per-port' };
  const first = await leaseIn({ count: 3, options });
  assert.deepEqual(first.sticky, ['front', null, 'back']);
  const second = await leaseIn({ count: 3, options });
  assert.equal(second.ports[0], first.ports[0]);
  assert.equal(second.ports[2], first.ports[2]);
  assert.equal(new Set(second.ports).size, 3);
});

test('a port of the same call that is not sticky never takes a sticky name’s port', async () => {
  const range = await reserveRange(3);
  const lockDir = tempLockDir();
  const { port } = hashPort('back', 'same-call', range);
  // With the plain port drawn first, at random among 3, it would take `back`'s port 1 time in 3.
  for (let i = 0; i < 12; i++) {
    const leases = await leasePorts(2, {
      lockDir,
      range,
      sticky: [undefined, 'back'],
      stickyScope: 'same-call',
    });
    assert.equal(leases[1].port, port);
    assert.deepEqual(
      leases.map((l) => l.sticky),
      [undefined, 'back'],
      'leases come back in the order asked',
    );
    for (const lease of leases) await lease.release();
  }
});

test('list shows the sticky name of a lease', async () => {
  const range = await reserveRange(16);
  const lockDir = tempLockDir();
  const lease = await leasePort({ lockDir, range, sticky: 'listed', stickyScope: 'list' });
  const plain = await leasePort({ lockDir, range });
  try {
    const rows = await listLeases({ lockDir });
    assert.deepEqual(
      rows.map((row) => [row.port, row.sticky]).sort(),
      [
        [lease.port, 'listed'],
        [plain.port, undefined],
      ].sort(),
    );
  } finally {
    await lease.release();
    await plain.release();
  }
});

test('whatever sits in a memo’s place changes nothing but the preference', async (t) => {
  const range = await reserveRange(256);
  const stickyScope = 'hostile-memo';
  const { id, port: hashed } = hashPort('web', stickyScope, range);
  const outside = join(mkdtempSync(join(tmpdir(), 'portlease-outside-')), 'secret');
  writeFileSync(outside, 'untouched');
  const plants = {
    corrupt: (path) => writeFileSync(path, '{"v":1,"name":'),
    huge: (path) => writeFileSync(path, `{"v":1,"pad":"${'x'.repeat(1 << 20)}"}`),
    'another key': (path) =>
      writeFileSync(
        path,
        JSON.stringify({
          v: 1,
          name: 'other',
          project: stickyScope,
          port: range[0],
          misses: 0,
          used: Date.now(),
        }),
      ),
    'future format': (path) =>
      writeFileSync(
        path,
        JSON.stringify({
          v: 2,
          name: 'web',
          project: stickyScope,
          port: range[0],
          misses: 0,
          used: Date.now(),
        }),
      ),
    'a port outside the range': (path) =>
      writeFileSync(
        path,
        JSON.stringify({ v: 1, name: 'web', project: stickyScope, port: 80, misses: 0, used: Date.now() }),
      ),
    'a FIFO': (path) => execFileSync('mkfifo', [path]),
    'a symlink': (path) => symlinkSync(outside, path),
    'a directory': (path) => mkdirSync(path),
  };
  for (const [what, plant] of Object.entries(plants)) {
    await t.test(what, async () => {
      const lockDir = tempLockDir();
      // Create the lock directory and its scope, then plant the thing.
      await (await leasePort({ lockDir, range })).release();
      mkdirSync(join(memoPath(lockDir, id), '..'), { recursive: true });
      plant(memoPath(lockDir, id));
      const lease = await leasePort({ lockDir, range, sticky: 'web', stickyScope });
      try {
        assert.equal(lease.port, hashed, 'no memo: the hash decides');
        const rows = await listLeases({ lockDir });
        assert.deepEqual(
          rows.map((r) => [r.port, r.status, r.sticky]),
          [[hashed, 'alive', 'web']],
        );
      } finally {
        await lease.release();
      }
      assert.equal(readFileSync(outside, 'utf8'), 'untouched', 'a symlink is never written through');
    });
  }
});

test('gc removes memos of names unused for 30 days and keeps the others', async () => {
  const range = await reserveRange(16);
  const lockDir = tempLockDir();
  const fresh = await leasePort({ lockDir, range, sticky: 'fresh', stickyScope: 'gc' });
  await fresh.release();
  const { id } = hashPort('old', 'gc', range);
  const day = 24 * 3600 * 1000;
  writeFileSync(
    memoPath(lockDir, id),
    JSON.stringify({
      v: 1,
      name: 'old',
      project: 'gc',
      port: range[0],
      misses: 0,
      used: Date.now() - 31 * day,
    }),
  );
  const result = await collectGarbage({ lockDir });
  assert.equal(result.memos, 1);
  assert.deepEqual(readdirSync(join(memoPath(lockDir, id), '..')), [hashPort('fresh', 'gc', range).id]);
  const again = await leasePort({ lockDir, range, sticky: 'fresh', stickyScope: 'gc' });
  assert.equal(again.port, fresh.port);
  await again.release();
});

test('bad sticky options are refused with INVALID_OPTIONS naming the option', async () => {
  const lockDir = tempLockDir();
  const cases = [
    [() => leasePort({ lockDir, sticky: '' }), /sticky must be a sticky name/],
    [() => leasePort({ lockDir, sticky: 'has space' }), /sticky must be a sticky name/],
    [() => leasePort({ lockDir, sticky: ['web'] }), /sticky must be a sticky name/],
    [() => leasePort({ lockDir, sticky: 'web', stickyScope: '' }), /stickyScope must be a non-empty string/],
    [() => leasePort({ lockDir, contiguous: true }), /contiguous is an option of leasePorts/],
    [() => leasePorts(2, { lockDir, sticky: ['a'] }), /sticky must hold one entry per port: 2 asked, 1/],
    [() => leasePorts(2, { lockDir, sticky: ['a', 'a'] }), /sticky\[1\] repeats "a"/],
    [() => leasePorts(2, { lockDir, sticky: 'a' }), /one name with contiguous: true/],
    [() => leasePorts(2, { lockDir, contiguous: 'yes' }), /contiguous must be true or false/],
    [() => leasePorts(2, { lockDir, contiguous: true, sticky: ['a', 'b'] }), /one name for the whole block/],
  ];
  for (const [call, message] of cases) {
    await assert.rejects(call(), (error) => {
      assert.equal(error.code, 'INVALID_OPTIONS');
      assert.match(error.message, message);
      return true;
    });
  }
});
