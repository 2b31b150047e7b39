// listLeases beside lease/release loops: a record released between the directory read and the record
// read is gone, not a row (`portlease list` showed such phantoms as "alive ? ? (record missing)").
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { core, dist, reserveRange, tempLockDir } from './helpers.mjs';

const { listLeases } = core;

/** A process that leases and releases in a loop until its stdin closes. */
function churn(lockDir, range) {
  const script = `
    const { leasePort } = await import(${JSON.stringify(join(dist, 'index.js'))});
    let open = true;
    process.stdin.on('end', () => { open = false; }).resume();
    console.log('started');
    while (open) {
      try { (await leasePort({ lockDir: ${JSON.stringify(lockDir)}, range: [${range}] })).releaseSync(); } catch {}
      await new Promise((resolve) => setImmediate(resolve));
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const started = new Promise((resolve) => child.stdout.once('data', resolve));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, started, exited };
}

test('listLeases never returns a row for a record released while it lists', async () => {
  const range = await reserveRange(4);
  const lockDir = tempLockDir();
  const loops = [churn(lockDir, range), churn(lockDir, range)];
  try {
    await Promise.all(loops.map((loop) => loop.started));
    const phantoms = [];
    let rows = 0;
    for (let i = 0; i < 1500 && phantoms.length === 0; i++) {
      for (const row of await listLeases({ lockDir })) {
        rows++;
        if (row.problem === 'missing') phantoms.push(row);
      }
    }
    assert.ok(rows > 0, 'the lists saw the loops’ leases');
    assert.deepEqual(phantoms, []);
  } finally {
    for (const loop of loops) loop.child.stdin.end();
    await Promise.all(loops.map((loop) => loop.exited));
  }
});
