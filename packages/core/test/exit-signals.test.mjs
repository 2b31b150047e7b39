// Invisibility on signals: a program's outcome (exit code or signal, which of its handlers ran, whether
// it lives on) is the same with a lease as without, with signal-exit loaded and without, and as PID 1
// of a pid namespace. Real child processes, real signals.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { core, fixture, recordsIn, reserveRange, startNode, tempLockDir } from './helpers.mjs';

const program = fixture('signal-program.mjs');

/** Runs the program with `steps`, signals it once ready, and resolves what it did. */
async function outcome(signal, steps, { range, lockDir }) {
  const child = startNode(program, [signal, ...steps], {
    env: { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${range[0]}-${range[1]}` },
  });
  await child.message((m) => m.ready);
  child.child.kill(signal);
  // A program that lives on ends when its stdin closes; give its handlers time to run first.
  const timer = setTimeout(() => child.child.stdin.end(), 1500);
  const exit = await child.exited;
  clearTimeout(timer);
  const said = child.messages.filter((m) => !m.ready).map((m) => m.text ?? JSON.stringify(m));
  return { code: exit.code, signal: exit.signal, said, records: recordsIn(lockDir).length };
}

const orders = [[], ['once'], ['on'], ['se'], ['se', 'once'], ['once', 'se'], ['se', 'on']];

for (const signal of ['SIGINT', 'SIGTERM']) {
  for (const order of orders) {
    for (const leaseAt of ['first', 'last']) {
      if (order.length === 0 && leaseAt === 'last') continue;
      const withLease = leaseAt === 'first' ? ['lease', ...order] : [...order, 'lease'];
      if (leaseAt === 'last') withLease.push('prepend-once');
      const without = leaseAt === 'last' ? [...order, 'prepend-once'] : order;
      test(`${signal} with [${withLease.join(', ')}] ends as it does without the lease`, async () => {
        const range = await reserveRange(1);
        const plain = await outcome(signal, without, { range, lockDir: tempLockDir() });
        const leased = await outcome(signal, withLease, { range, lockDir: tempLockDir() });
        assert.deepEqual(
          { code: leased.code, signal: leased.signal, said: leased.said },
          { code: plain.code, signal: plain.signal, said: plain.said },
        );
        // The process is gone either way by now: whatever ended it, its lease went with it.
        assert.equal(leased.records, 0, 'the lease was released as the process ended');
      });
    }
  }
}

test('a graceful process.once(SIGINT) shutdown is not cut short by a lease', async () => {
  const range = await reserveRange(1);
  const leased = await outcome('SIGINT', ['once', 'lease'], { range, lockDir: tempLockDir() });
  assert.deepEqual(leased, { code: 0, signal: null, said: ['shutting down', 'done'], records: 0 });
});

test('with signal-exit loaded, SIGINT still ends the process and its onExit callbacks run', async () => {
  const range = await reserveRange(1);
  for (const steps of [
    ['se', 'lease'],
    ['lease', 'se'],
  ]) {
    const leased = await outcome('SIGINT', steps, { range, lockDir: tempLockDir() });
    assert.deepEqual(leased, {
      code: null,
      signal: 'SIGINT',
      said: ['{"onExit":[null,"SIGINT"]}'],
      records: 0,
    });
  }
});

for (const steps of [['lease'], ['se', 'lease'], ['lease', 'on']]) {
  test(`as PID 1, [${steps.join(', ')}] survives SIGTERM and keeps its lease`, async (t) => {
    const range = await reserveRange(1);
    const lockDir = tempLockDir();
    const child = spawn(
      'unshare',
      ['--pid', '--fork', '--mount-proc', process.execPath, program, 'SIGTERM', ...steps],
      {
        env: { ...process.env, PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${range[0]}-${range[1]}` },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    t.after(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.setEncoding('utf8');
    const ready = await new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const line = out.split('\n').find((l) => l.includes('"ready"'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`unshare exited ${code}`)));
    });
    assert.equal(ready.pid, 1);
    // The node process is unshare's only child; signal it from this (the parent) pid namespace.
    const inner = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim());
    process.kill(inner, 'SIGTERM');
    // Still alive and holding: a second process cannot lease the port.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await assert.rejects(core.leasePort({ lockDir, range: [ready.port, ready.port] }), {
      code: 'RANGE_EXHAUSTED',
    });
    assert.ok(recordsIn(lockDir).length > 0, 'the record is still there');
    const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdin.end();
    const ended = await exit;
    assert.equal(ended.code, 3, `it lived on until stdin closed:\n${out}`);
    assert.equal(recordsIn(lockDir).length, 0, 'and released its lease when it exited');
  });
}
