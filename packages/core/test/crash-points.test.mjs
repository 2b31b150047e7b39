// A process is SIGKILLed right after each filesystem call of a scenario covering every step of acquire
// and release (stage, publish, probe-busy take-back, reclaim of a dead record, release, exit-hook
// release, gc). After every crash point the directory must heal: another process leases the whole range,
// the busy port is refused only for its listener, and collectGarbage leaves nothing behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stagingDirOf } from '@portlease/test-harness';
import {
  bind,
  core,
  fixture,
  leftovers,
  reserveRange,
  runProcess,
  scopeName,
  tempDir,
} from './reliability/helpers.mjs';

const { collectGarbage, leasePort, leasePorts, listLeases } = core;

/** Runs the scenario with a crash after op `after` (0: none); resolves its exit and the ops it made. */
async function runScenario(lockDir, ports, after) {
  const result = await runProcess(
    process.execPath,
    ['--import', fixture('crash-preload.mjs'), fixture('crash-steps.mjs')],
    {
      env: {
        ...process.env,
        PORTLEASE_DIR: lockDir,
        PL_CRASH_DIR: lockDir,
        PL_CRASH_AFTER: String(after),
        PL_PORTS: JSON.stringify(ports),
      },
      settle: 'exit',
    },
  );
  const ops = result.stderr.split('\n').filter((l) => l.startsWith('op '));
  return { ...result, ops };
}

/** A fresh lock directory holding a dead owner's record on `port` and a dead owner's staged record. */
function seededLockDir(port) {
  const lockDir = join(tempDir('pl-crash-'), 'locks');
  const scope = join(lockDir, scopeName());
  const deadToken = () => `${randomBytes(12).toString('hex')}-${randomBytes(8).toString('hex')}`;
  const record = deadToken();
  mkdirSync(join(scope, String(port)), { recursive: true, mode: 0o700 });
  writeFileSync(
    join(scope, String(port), record),
    JSON.stringify({
      v: 1,
      owner: 'dead',
      ownerId: record.slice(0, 24),
      token: record,
      pid: 999999,
      created: 0,
    }),
  );
  const staged = deadToken();
  const staging = stagingDirOf(lockDir, scopeName());
  mkdirSync(join(staging, staged), { recursive: true, mode: 0o700 });
  writeFileSync(join(staging, staged, staged), '{}');
  return lockDir;
}

/** "op 7 renameSync /net-1/<staging>/<token>" with roles instead of ports and tokens: stable test names. */
function describe(op, [busy, p1, p2, p3]) {
  const roles = { [busy]: '<busy>', [p1]: '<p1>', [p2]: '<p2>', [p3]: '<dead-owner port>' };
  return op
    .replace(/^op \d+ /, '')
    .replace(/\/net-\d+/g, '')
    .replace(/[0-9a-f]{24}-[0-9a-f]{16}/g, '<token>')
    .replace(/\/(\d+)(?=\/|$| )/g, (_, port) => `/${roles[port] ?? port}`);
}

async function assertHealed(lockDir, [busy, p1, , p3]) {
  const refused = await leasePort({ lockDir, range: [busy, busy] }).catch((e) => e);
  assert.equal(refused.code, 'RANGE_EXHAUSTED', String(refused));
  assert.deepEqual(refused.details.held, [], 'the busy port is refused for its listener, not for a record');
  const leases = await leasePorts(3, { lockDir, range: [p1, p3] });
  for (const lease of leases) lease.releaseSync();
  const gc = await collectGarbage({ lockDir });
  assert.deepEqual(gc.unknown, []);
  assert.deepEqual(leftovers(lockDir), []);
}

test('a process killed between any two filesystem steps of acquire or release leaves a directory that heals', async (t) => {
  const [busy, p1, p2, p3] = await reserveRange(4).then(([min]) => [min, min + 1, min + 2, min + 3]);
  const ports = [busy, p1, p2, p3];
  const { server } = await bind(busy, '127.0.0.1');
  assert.ok(server, 'the foreign listener is up');
  try {
    const clean = await runScenario(seededLockDir(p3), ports, 0);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /done/);
    const total = clean.ops.length;
    assert.ok(total >= 20, `the scenario makes ${total} filesystem calls, expected every step to be seen`);
    for (const name of [
      'mkdirSync',
      'writeFileSync',
      'renameSync',
      'unlinkSync',
      'rmdirSync',
      'readdirSync',
    ]) {
      assert.ok(
        clean.ops.some((op) => op.includes(` ${name} `)),
        `${name} is exercised`,
      );
    }

    for (let n = 1; n <= total + 1; n++) {
      const label = n <= total ? describe(clean.ops[n - 1], ports) : 'none (runs to the end)';
      await t.test(`crash after op ${n}: ${label}`, async () => {
        const lockDir = seededLockDir(p3);
        const run = await runScenario(lockDir, ports, n);
        if (n <= total) assert.equal(run.signal, 'SIGKILL', `expected the crash at op ${n}: ${run.stderr}`);
        else assert.equal(run.code, 0, run.stderr);
        await assertHealed(lockDir, ports);
      });
    }
  } finally {
    server.close();
  }
});

/** The state letter of /proc/<pid>/stat (T: stopped), or undefined once the process is gone. */
function procState(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  } catch {
    return undefined;
  }
}

test("a checker frozen in the middle of a liveness check does not make a dead owner's port unleasable", {
  skip: process.platform !== 'linux' && 'needs Linux (/proc/<pid>/stat shows when the checker is stopped)',
}, async () => {
  // Many processes check the same dead owner at once after a crash; any of them may be descheduled,
  // traced or frozen at any instant. Freeze one right inside its check, then lease the port.
  const [port] = await reserveRange(1);
  const lockDir = seededLockDir(port);
  const checker = spawn(
    process.execPath,
    [
      '--import',
      fixture('freeze-in-check.mjs'),
      '--input-type=module',
      '-e',
      `import { listLeases } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}; await listLeases();`,
    ],
    {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => checker.once('exit', resolve));
  try {
    // Wait until it is frozen inside the check, or done (a check that leaves no trace never freezes it).
    while (procState(checker.pid) !== 'T' && checker.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    const lease = await leasePort({ lockDir, range: [port, port] }).catch((e) => e);
    assert.equal(lease.port, port, `the dead owner's port was refused: ${lease.message}`);
    lease.releaseSync();
    assert.deepEqual(await listLeases({ lockDir }), []);
  } finally {
    checker.kill('SIGKILL');
    await exited;
  }
});
